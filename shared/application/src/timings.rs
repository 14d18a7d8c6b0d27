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

/// A book's time in a stage, not yet written: the stage, milliseconds, pages.
type Sample = (BookStatus, u64, u32);

/// The timings this process read or wrote last, and when (ms); and the samples it has
/// yet to write.
#[derive(Debug, Default)]
pub struct TimingsCache {
    last: Mutex<Option<(u64, StageTimings)>>,
    /// Samples waiting for this process's writer.
    pending: Mutex<Vec<Sample>>,
    /// Held by the one task of this process that writes samples. Every stage end rewrites
    /// the one timings record, so books leaving stages together used to race each other
    /// for it (of 25 at once, 19 lost their sample after their attempts). Now the first
    /// writes everyone's in batches, and the others go on at once; only other processes'
    /// writes can conflict.
    writing: tokio::sync::Mutex<()>,
}

impl TimingsCache {
    fn fresh(&self, now: u64) -> Option<StageTimings> {
        let cached = self.last.lock().ok()?;
        cached
            .as_ref()
            .filter(|(at, _)| now.saturating_sub(*at) < CACHE_MS)
            .map(|(_, t)| t.clone())
    }

    fn keep(&self, now: u64, timings: &StageTimings) {
        if let Ok(mut cached) = self.last.lock() {
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

/// Records that a book of `pages` pages spent from `started_at` until now in `stage`. The
/// sample is written by this call, or, when another stage of this process is writing
/// samples already, by that one in its next batch.
pub async fn stage_ended<S: OperationsStore + ?Sized>(
    store: &S,
    clock: &dyn Clock,
    cache: &TimingsCache,
    stage: BookStatus,
    started_at: u64,
    pages: u32,
) {
    let elapsed = clock.now_ms().saturating_sub(started_at);
    if let Ok(mut pending) = cache.pending.lock() {
        pending.push((stage, elapsed, pages));
    }
    // A sample pushed while the writer is between its last batch and letting go is seen
    // by the check after letting go, so none waits for a later stage end. The turn is a
    // guard: a stage cancelled while holding it gives it back.
    while let Ok(turn) = cache.writing.try_lock() {
        loop {
            let batch = cache.pending.lock().map(|mut p| std::mem::take(&mut *p));
            let batch = batch.unwrap_or_default();
            if batch.is_empty() {
                break;
            }
            if let Err(e) = record(store, clock, cache, &batch).await {
                tracing::warn!(error = %e, samples = batch.len(), "stage timings were not recorded");
            }
        }
        drop(turn);
        if cache.pending.lock().map_or(true, |p| p.is_empty()) {
            break;
        }
    }
}

async fn record<S: OperationsStore + ?Sized>(
    store: &S,
    clock: &dyn Clock,
    cache: &TimingsCache,
    batch: &[Sample],
) -> Result<()> {
    for _ in 0..ATTEMPTS {
        let mut timings = store.get_timings().await?;
        for &(stage, elapsed, pages) in batch {
            timings.record(stage, elapsed, pages);
        }
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
