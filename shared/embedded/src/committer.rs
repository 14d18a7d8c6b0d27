//! Group commit: one writer thread per redb file runs every write transaction, each
//! committed without a sync, and then makes the whole group durable with a single sync.
//! A transaction's caller hears back only after that sync, so nothing acknowledged is lost
//! to a crash (`kill -9` included), while concurrent writers share one sync instead of
//! paying one each.
//!
//! Each transaction still commits or rolls back on its own: one that fails is dropped
//! (rolled back) without touching the others, and its caller hears so at once, since it
//! wrote nothing to wait for. redb commits in order, and a crash takes back at most a
//! suffix of commits that were not yet synced, so what is on disk is always a prefix of
//! what was committed. Read transactions on other threads may see a group's commits the
//! moment they are made, before the sync: a crash in those few hundred microseconds can
//! take back something a reader saw, never something a writer was told was written.

use crate::db::err;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use storyloom_domain::{Error, Result};

/// Transactions one sync covers at most, so a long queue of writers still hears back
/// within a bounded time.
const MAX_GROUP: usize = 256;

/// Whether writers share syncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    /// One sync for every group of transactions waiting together (the default).
    #[default]
    Grouped,
    /// One sync per transaction, as a plain redb commit does (for comparison).
    PerTransaction,
}

/// How many write transactions and durable syncs a file has had since it was opened.
#[derive(Debug, Default)]
pub struct CommitStats {
    transactions: AtomicU64,
    syncs: AtomicU64,
}

impl CommitStats {
    /// Write transactions committed. Counted as each commits, before it is synced, so a
    /// cached read taken when this was lower may be out of date.
    pub fn transactions(&self) -> u64 {
        self.transactions.load(Ordering::Acquire)
    }

    /// Durable syncs made.
    pub fn syncs(&self) -> u64 {
        self.syncs.load(Ordering::Relaxed)
    }
}

/// What a transaction did.
pub(crate) enum Wrote<T> {
    /// It changed something: it is committed, and answered once durable.
    Changes(T),
    /// It found nothing to change: it is rolled back and answered at once, sparing the
    /// sync (a receive that found every message taken, say).
    Nothing(T),
}

/// Tells a transaction's caller how it ended, once its group is durable (or not).
type Reply = Box<dyn FnOnce(std::result::Result<(), String>) + Send>;
/// One write transaction: runs on the writer thread with the durability it is given, and
/// returns how to answer its caller after the sync (`None`: it failed and has answered).
type Job = Box<dyn FnOnce(&redb::Database, redb::Durability) -> Option<Reply> + Send>;

/// The writer of one redb file; cloned handles share it, and the last one to go stops
/// the thread and waits for it, so the file is closed when the handle is gone.
#[derive(Clone)]
pub(crate) struct Committer {
    inner: Arc<Inner>,
}

struct Inner {
    jobs: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    stats: Arc<CommitStats>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Closing the channel ends the writer's loop once the queued jobs are done.
        self.jobs.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Committer {
    /// Starts the writer of `db`.
    pub(crate) fn start(db: Arc<redb::Database>, grouping: Grouping, name: &str) -> Result<Self> {
        let (jobs, queue) = channel::<Job>();
        let stats = Arc::new(CommitStats::default());
        let thread = std::thread::Builder::new()
            .name(format!("{name}-writer"))
            .spawn({
                let stats = stats.clone();
                move || write_loop(&db, &queue, grouping, &stats)
            })
            .map_err(|e| Error::Permanent(format!("cannot start the {name} writer: {e}")))?;
        Ok(Committer {
            inner: Arc::new(Inner {
                jobs: Some(jobs),
                thread: Some(thread),
                stats,
            }),
        })
    }

    /// The file's counts of transactions and syncs.
    pub(crate) fn stats(&self) -> Arc<CommitStats> {
        self.inner.stats.clone()
    }

    /// Write transactions committed so far (what a cached read is checked against).
    pub(crate) fn transactions(&self) -> u64 {
        self.inner.stats.transactions()
    }

    /// Runs `f` in a write transaction of its own and answers once it is durable. An
    /// error from `f` rolls back what it wrote and is answered at once.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&redb::WriteTransaction) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        self.write_if(move |tx| f(tx).map(Wrote::Changes)).await
    }

    /// As [`Committer::write`], for a transaction that may find nothing to change.
    pub(crate) async fn write_if<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&redb::WriteTransaction) -> Result<Wrote<T>> + Send + 'static,
        T: Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel::<Result<T>>();
        let job: Job = Box::new(move |db, durability| match transaction(db, durability, f) {
            Ok(Wrote::Changes(out)) => Some(Box::new(move |synced| {
                let _ = answer.send(synced.map(|()| out).map_err(Error::Transient));
            })),
            Ok(Wrote::Nothing(out)) => {
                let _ = answer.send(Ok(out));
                None
            }
            Err(e) => {
                let _ = answer.send(Err(e));
                None
            }
        });
        let jobs = self.inner.jobs.as_ref().ok_or_else(stopped)?;
        jobs.send(job).map_err(|_| stopped())?;
        answered.await.map_err(|_| {
            Error::Transient("embedded store: a write was dropped by its writer".into())
        })?
    }
}

fn stopped() -> Error {
    Error::Transient("embedded store: its writer has stopped".into())
}

/// Runs `f` in a transaction and commits it if it wrote something (else rolls it back).
fn transaction<T>(
    db: &redb::Database,
    durability: redb::Durability,
    f: impl FnOnce(&redb::WriteTransaction) -> Result<Wrote<T>>,
) -> Result<Wrote<T>> {
    let mut tx = db.begin_write().map_err(err)?;
    tx.set_durability(durability)
        .map_err(|e| Error::Transient(format!("embedded store: {e}")))?;
    let out = f(&tx)?;
    match out {
        Wrote::Changes(_) => tx.commit().map_err(err)?,
        Wrote::Nothing(_) => tx.abort().map_err(err)?,
    }
    Ok(out)
}

fn write_loop(db: &redb::Database, queue: &Receiver<Job>, grouping: Grouping, stats: &CommitStats) {
    let (durability, most) = match grouping {
        Grouping::Grouped => (redb::Durability::None, MAX_GROUP),
        Grouping::PerTransaction => (redb::Durability::Immediate, 1),
    };
    while let Ok(first) = queue.recv() {
        let mut replies = Vec::new();
        let mut next = Some(first);
        while let Some(job) = next.take() {
            // A job that panics has dropped its answer (its caller hears of a dropped
            // write); the writer carries on with the rest.
            if let Ok(Some(reply)) = catch_unwind(AssertUnwindSafe(|| job(db, durability))) {
                stats.transactions.fetch_add(1, Ordering::AcqRel);
                replies.push(reply);
            }
            if replies.len() < most {
                next = queue.try_recv().ok();
            }
        }
        if replies.is_empty() {
            continue;
        }
        let synced = match grouping {
            Grouping::Grouped => sync(db),
            Grouping::PerTransaction => Ok(()),
        };
        stats.syncs.fetch_add(1, Ordering::Relaxed);
        for reply in replies {
            reply(synced.clone());
        }
    }
}

/// Makes every commit so far durable: an empty transaction committed with a sync.
fn sync(db: &redb::Database) -> std::result::Result<(), String> {
    let run = || -> std::result::Result<(), redb::Error> {
        let mut tx = db.begin_write()?;
        tx.set_durability(redb::Durability::Immediate)?;
        tx.commit()?;
        Ok(())
    };
    run().map_err(|e| format!("embedded store: the sync failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::{ReadableDatabase, TableDefinition};

    const T: TableDefinition<&str, u64> = TableDefinition::new("t");

    fn open(path: &std::path::Path, grouping: Grouping) -> (Arc<redb::Database>, Committer) {
        let db = Arc::new(redb::Database::create(path).expect("opens"));
        let committer = Committer::start(db.clone(), grouping, "test").expect("starts");
        (db, committer)
    }

    async fn put(committer: &Committer, key: String, value: u64) -> Result<()> {
        committer
            .write(move |tx| {
                let mut t = tx.open_table(T).map_err(err)?;
                t.insert(key.as_str(), value).map_err(err)?;
                Ok(())
            })
            .await
    }

    fn stored(db: &redb::Database, key: &str) -> Option<u64> {
        let tx = db.begin_read().expect("reads");
        let t = tx.open_table(T).ok()?;
        t.get(key).expect("gets").map(|v| v.value())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writers_share_syncs_and_each_hears_back_once_durable() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("db.redb");
        let (db, committer) = open(&path, Grouping::Grouped);
        let writes = (0..200).map(|i| put(&committer, format!("k{i}"), i));
        for written in futures::future::join_all(writes).await {
            written.expect("written");
        }
        let stats = committer.stats();
        assert_eq!(stats.transactions(), 200);
        assert!(
            stats.syncs() < stats.transactions(),
            "{} syncs for {} transactions",
            stats.syncs(),
            stats.transactions()
        );
        drop((db, committer));
        // The last handle waits for its writer, so the file opens again at once, with
        // every acknowledged write in it.
        let reopened = redb::Database::create(&path).expect("reopens");
        assert!((0..200).all(|i| stored(&reopened, &format!("k{i}")) == Some(i)));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_transaction_writes_nothing_and_spoils_no_other() {
        let dir = tempfile::tempdir().expect("dir");
        let (db, committer) = open(&dir.path().join("db.redb"), Grouping::Grouped);
        let failing = committer.write(|tx| -> Result<()> {
            let mut t = tx.open_table(T).map_err(err)?;
            t.insert("half-done", 1).map_err(err)?;
            Err(Error::Conflict("changed meanwhile".into()))
        });
        let (failed, first, second) = tokio::join!(
            failing,
            put(&committer, "a".into(), 1),
            put(&committer, "b".into(), 2)
        );
        assert!(matches!(failed, Err(Error::Conflict(_))), "{failed:?}");
        first.expect("a");
        second.expect("b");
        assert_eq!(stored(&db, "half-done"), None);
        assert_eq!((stored(&db, "a"), stored(&db, "b")), (Some(1), Some(2)));
        assert_eq!(committer.stats().transactions(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_transaction_that_changed_nothing_is_rolled_back_without_a_sync() {
        let dir = tempfile::tempdir().expect("dir");
        let (db, committer) = open(&dir.path().join("db.redb"), Grouping::Grouped);
        let looked = committer
            .write_if(|tx| {
                let mut t = tx.open_table(T).map_err(err)?;
                t.insert("tentative", 1).map_err(err)?;
                Ok(Wrote::Nothing("found nothing"))
            })
            .await;
        assert_eq!(looked.expect("answered"), "found nothing");
        assert_eq!(stored(&db, "tentative"), None);
        let stats = committer.stats();
        assert_eq!((stats.transactions(), stats.syncs()), (0, 0));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panicking_transaction_is_answered_and_the_writer_carries_on() {
        let dir = tempfile::tempdir().expect("dir");
        let (db, committer) = open(&dir.path().join("db.redb"), Grouping::Grouped);
        let panicked = committer
            .write(|_| -> Result<()> { panic!("a bug in one transaction") })
            .await;
        assert!(matches!(panicked, Err(Error::Transient(_))), "{panicked:?}");
        put(&committer, "after".into(), 7).await.expect("written");
        assert_eq!(stored(&db, "after"), Some(7));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn syncing_each_transaction_makes_one_sync_per_transaction() {
        let dir = tempfile::tempdir().expect("dir");
        let (_db, committer) = open(&dir.path().join("db.redb"), Grouping::PerTransaction);
        let writes = (0..50).map(|i| put(&committer, format!("k{i}"), i));
        for written in futures::future::join_all(writes).await {
            written.expect("written");
        }
        let stats = committer.stats();
        assert_eq!((stats.transactions(), stats.syncs()), (50, 50));
    }
}
