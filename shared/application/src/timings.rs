//! Measuring stages for the time estimates: each book that leaves a stage adds how long it
//! spent there. Best effort: a sample lost to contention only makes estimates a little
//! staler, so it never fails the stage.

use crate::Ports;
use storyloom_domain::{BookStatus, Error, Result};

const ATTEMPTS: u32 = 4;

/// Records that a book of `pages` pages spent from `started_at` until now in `stage`.
pub async fn stage_ended(ports: &Ports, stage: BookStatus, started_at: u64, pages: u32) {
    let elapsed = ports.clock.now_ms().saturating_sub(started_at);
    if let Err(e) = record(ports, stage, elapsed, pages).await {
        tracing::warn!(error = %e, stage = stage.as_str(), "a stage timing was not recorded");
    }
}

async fn record(ports: &Ports, stage: BookStatus, elapsed: u64, pages: u32) -> Result<()> {
    for _ in 0..ATTEMPTS {
        let mut timings = ports.store.get_timings().await?;
        timings.record(stage, elapsed, pages);
        match ports.store.put_timings(&timings).await {
            Ok(_) => return Ok(()),
            Err(Error::Conflict(_)) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Error::Conflict("the timings kept changing".into()))
}
