//! A clock a test moves by hand, for deadlines, cool-downs and delays.

use std::sync::atomic::{AtomicU64, Ordering};
use storyloom_domain::ports::Clock;

/// Time stands still until the test advances it.
#[derive(Debug)]
pub struct HandClock(AtomicU64);

impl HandClock {
    /// A clock reading `ms`.
    pub fn at(ms: u64) -> Self {
        HandClock(AtomicU64::new(ms))
    }

    /// Moves the clock forward.
    pub fn advance(&self, ms: u64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for HandClock {
    fn now_ms(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}
