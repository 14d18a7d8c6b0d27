//! A circuit breaker per model provider. Its state lives in the store, so every function
//! instance sees the same one: after repeated transient failures, calls are refused at once
//! for a cool-down; then one caller may probe, and its result closes or reopens it.

use serde::{Deserialize, Serialize};

/// Consecutive transient failures that open the breaker.
pub const FAILURE_THRESHOLD: u32 = 5;
/// How long an open breaker refuses calls, in ms.
pub const COOL_DOWN_MS: u64 = 30_000;
/// How long a probe holds the half-open breaker before another caller may probe, in ms.
pub const PROBE_TIMEOUT_MS: u64 = 60_000;

/// One provider's breaker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breaker {
    pub provider: String,
    pub consecutive_failures: u32,
    /// Ms since the epoch until which calls are refused (when open).
    pub open_until: u64,
    /// Ms since the epoch until which a probe is under way (when half-open).
    pub probe_until: u64,
    /// Optimistic-concurrency version; 0 for a breaker never stored.
    pub version: u64,
}

/// Whether a call may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Closed: call.
    Call,
    /// Half-open: this caller may probe, once it has claimed the probe.
    Probe,
    /// Open (or probing elsewhere): refused; try again after this many ms.
    Refused { retry_after_ms: u64 },
}

impl Breaker {
    /// A closed breaker for `provider`.
    pub fn closed(provider: &str) -> Self {
        Breaker {
            provider: provider.to_owned(),
            ..Breaker::default()
        }
    }

    /// Whether it is open (refusing or waiting for a probe).
    pub fn is_open(&self) -> bool {
        self.consecutive_failures >= FAILURE_THRESHOLD
    }

    /// May a call go ahead at `now`?
    pub fn admit(&self, now: u64) -> Admission {
        if !self.is_open() {
            Admission::Call
        } else if now < self.open_until {
            Admission::Refused {
                retry_after_ms: self.open_until - now,
            }
        } else if now < self.probe_until {
            Admission::Refused {
                retry_after_ms: self.probe_until - now,
            }
        } else {
            Admission::Probe
        }
    }

    /// Claims the probe at `now` (store it conditionally: one claimant wins).
    pub fn start_probe(&mut self, now: u64) {
        self.probe_until = now + PROBE_TIMEOUT_MS;
    }

    /// A call succeeded: close.
    pub fn on_success(&mut self) {
        self.consecutive_failures = 0;
        self.open_until = 0;
        self.probe_until = 0;
    }

    /// A call failed transiently at `now`: count it, and (re)open at the threshold.
    pub fn on_failure(&mut self, now: u64) {
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        if self.is_open() {
            self.open_until = now + COOL_DOWN_MS;
            self.probe_until = 0;
        }
    }

    /// Whether recording a success would change anything (a healthy breaker is not
    /// rewritten on every call).
    pub fn needs_reset(&self) -> bool {
        self.consecutive_failures > 0 || self.open_until > 0 || self.probe_until > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_at_the_threshold_refuses_then_admits_one_probe() {
        let mut b = Breaker::closed("text");
        for _ in 0..FAILURE_THRESHOLD - 1 {
            b.on_failure(1_000);
            assert_eq!(b.admit(1_000), Admission::Call);
        }
        b.on_failure(1_000);
        assert_eq!(
            b.admit(1_000),
            Admission::Refused {
                retry_after_ms: COOL_DOWN_MS
            }
        );
        let later = 1_000 + COOL_DOWN_MS;
        assert_eq!(b.admit(later), Admission::Probe);
        b.start_probe(later);
        assert!(matches!(b.admit(later + 1), Admission::Refused { .. }));
        // A failed probe reopens for a full cool-down.
        b.on_failure(later + 10);
        assert_eq!(
            b.admit(later + 10),
            Admission::Refused {
                retry_after_ms: COOL_DOWN_MS
            }
        );
        // A successful one closes.
        b.on_success();
        assert_eq!(b.admit(later + 11), Admission::Call);
        assert!(!b.needs_reset());
    }
}
