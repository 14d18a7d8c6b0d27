//! CPU-heavy work (typesetting a book, rasterising a picture) runs here, never on the async
//! runtime's worker threads: those must stay free to answer requests while books are made.
//!
//! The pool has one thread per core, so however many books are being made, their CPU work
//! takes at most the machine's cores, queueing for the rest; its threads run at a lower
//! scheduling priority (nice 10), so the kernel gives a core to a request before a
//! typesetting job whenever both are waiting. Work that itself fans out with rayon (krilla
//! decoding and compressing a book's pictures) stays within the pool.

use std::sync::LazyLock;

/// How much lower the pool's threads are scheduled than the process's other threads.
const NICENESS: i32 = 10;

static POOL: LazyLock<Result<rayon::ThreadPool, String>> = LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("storyloom-cpu-{i}"))
        .start_handler(|_| lower_priority())
        .build()
        .map_err(|e| e.to_string())
});

/// Linux schedules each thread on its own niceness, so this lowers only the pool's thread.
fn lower_priority() {
    // SAFETY: `nice` only changes the calling thread's scheduling priority; failure (a
    // sandbox forbidding it) leaves it at the default, which is still correct.
    unsafe {
        libc::nice(NICENESS);
    }
}

/// Why CPU work did not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CpuError {
    /// The pool could not be started.
    #[error("the CPU pool could not start: {0}")]
    NoPool(String),
    /// The work panicked.
    #[error("CPU work panicked")]
    Panicked,
}

/// Runs `work` on the pool and waits for it without holding an async worker thread.
pub async fn run<T, F>(work: F) -> Result<T, CpuError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let pool = POOL.as_ref().map_err(|e| CpuError::NoPool(e.clone()))?;
    let (done, result) = tokio::sync::oneshot::channel();
    pool.spawn(move || {
        // A panic drops `done`, which the caller hears as `Panicked`; rayon's own handler
        // would abort the process instead.
        if let Ok(out) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
            let _ = done.send(out);
        }
    });
    result.await.map_err(|_| CpuError::Panicked)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Threads the pool runs on (one per core).
    fn threads() -> usize {
        POOL.as_ref().map_or(0, |p| p.current_num_threads())
    }

    #[tokio::test(flavor = "current_thread")]
    async fn work_runs_off_the_calling_thread_and_its_result_comes_back() {
        let caller = std::thread::current().id();
        let (worker, sum) = run(move || (std::thread::current().id(), (1..=100u64).sum::<u64>()))
            .await
            .expect("runs");
        assert_ne!(worker, caller);
        assert_eq!(sum, 5050);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_panic_is_an_error_and_the_pool_carries_on() {
        let panicked = run(|| -> u32 { panic!("a bug in one job") }).await;
        assert_eq!(panicked, Err(CpuError::Panicked));
        assert_eq!(run(|| 7).await, Ok(7));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn no_more_jobs_run_at_once_than_the_pool_has_threads() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let jobs = (0..4 * threads()).map(|_| {
            let (running, most) = (running.clone(), most.clone());
            run(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
            })
        });
        for job in futures::future::join_all(jobs).await {
            job.expect("runs");
        }
        let most = most.load(Ordering::SeqCst);
        assert!(threads() >= 1);
        // Every job was waiting at once, so the pool ran as many as it could.
        assert!(most == threads(), "{most} at once on {} threads", threads());
    }
}
