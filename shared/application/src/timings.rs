//! Measuring stages for the time estimates: each book that leaves a stage adds how long it
//! spent there. Best effort: a sample lost to contention only makes estimates a little
//! staler, so it never fails the stage.

use std::sync::Mutex;
use storyloom_domain::ports::{Clock, OperationsStore};
use storyloom_domain::timings::StageTimings;
use storyloom_domain::{BookStatus, Error, Result};

const ATTEMPTS: u32 = 4;

/// How long a process reuses the timings it read: every progress read needs them, and an
/// estimate a second old is as good as a fresh one.
const CACHE_MS: u64 = 1_000;

/// The timings this process read or wrote last, and when (ms).
#[derive(Debug, Default)]
pub struct TimingsCache(Mutex<Option<(u64, StageTimings)>>);

impl TimingsCache {
    fn fresh(&self, now: u64) -> Option<StageTimings> {
        let cached = self.0.lock().ok()?;
        cached
            .as_ref()
            .filter(|(at, _)| now.saturating_sub(*at) < CACHE_MS)
            .map(|(_, t)| t.clone())
    }

    fn keep(&self, now: u64, timings: &StageTimings) {
        if let Ok(mut cached) = self.0.lock() {
            *cached = Some((now, timings.clone()));
        }
    }
}

/// The recent stage timings, from this process's cache when it is fresh.
pub async fn current<S: OperationsStore + ?Sized>(
    store: &S,
    clock: &dyn Clock,
    cache: &TimingsCache,
) -> Result<StageTimings> {
    let now = clock.now_ms();
    if let Some(timings) = cache.fresh(now) {
        return Ok(timings);
    }
    let timings = store.get_timings().await?;
    cache.keep(now, &timings);
    Ok(timings)
}

/// Records that a book of `pages` pages spent from `started_at` until now in `stage`.
pub async fn stage_ended<S: OperationsStore + ?Sized>(
    store: &S,
    clock: &dyn Clock,
    cache: &TimingsCache,
    stage: BookStatus,
    started_at: u64,
    pages: u32,
) {
    let elapsed = clock.now_ms().saturating_sub(started_at);
    if let Err(e) = record(store, clock, cache, stage, elapsed, pages).await {
        tracing::warn!(error = %e, stage = stage.as_str(), "a stage timing was not recorded");
    }
}

async fn record<S: OperationsStore + ?Sized>(
    store: &S,
    clock: &dyn Clock,
    cache: &TimingsCache,
    stage: BookStatus,
    elapsed: u64,
    pages: u32,
) -> Result<()> {
    for _ in 0..ATTEMPTS {
        let mut timings = store.get_timings().await?;
        timings.record(stage, elapsed, pages);
        match store.put_timings(&timings).await {
            Ok(stored) => {
                cache.keep(clock.now_ms(), &stored);
                return Ok(());
            }
            Err(Error::Conflict(_)) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Error::Conflict("the timings kept changing".into()))
}
