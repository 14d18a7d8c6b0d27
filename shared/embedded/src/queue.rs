//! Durable work queues with the semantics of SQS standard queues: at-least-once delivery,
//! per-message delays, visibility timeouts, receive counts, and a dead-letter queue that a
//! message moves to once it has been received more than `max_receive_count` times.
//! Each stage's queue has a priority and a standard lane (each with its dead-letter queue);
//! a receive takes from the priority lane first.

use crate::committer::{CommitStats, Committer, Grouping, Wrote};
use crate::db::{blocking, err, from_json, open, to_json};
use async_trait::async_trait;
use redb::{ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::message::{Lane, QueueName};
use storyloom_domain::ports::{Clock, JobQueue, Received};
use storyloom_domain::{Envelope, Error, Result};
use tokio::sync::Notify;

/// `queue#seq(20 digits)` -> message, for the work queues and their dead-letter queues.
const MESSAGES: TableDefinition<&str, &str> = TableDefinition::new("messages");
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");

/// Queue behaviour, as an SQS redrive policy would set it.
#[derive(Debug, Clone, Copy)]
pub struct QueueSettings {
    /// Receives after which a message goes to the dead-letter queue.
    pub max_receive_count: u32,
    /// Whether concurrent writers share durable syncs.
    pub grouping: Grouping,
}

impl Default for QueueSettings {
    fn default() -> Self {
        QueueSettings {
            max_receive_count: 5,
            grouping: Grouping::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    id: String,
    body: String,
    visible_at: u64,
    receive_count: u32,
    /// The token of the latest receive; acks carrying an older one are ignored.
    receipt: Option<String>,
    sent_at: u64,
}

/// The durable embedded queues (one redb file for all of them).
#[derive(Clone)]
pub struct FileQueue {
    db: Arc<redb::Database>,
    committer: Committer,
    clock: Arc<dyn Clock>,
    settings: QueueSettings,
    wakers: Arc<HashMap<QueueName, Notify>>,
}

fn dlq(queue: QueueName, lane: Lane) -> String {
    format!("{}-dlq", queue.lane_name(lane))
}

fn range_of(name: &str) -> (String, String) {
    (format!("{name}#"), format!("{name}#\u{7f}"))
}

impl FileQueue {
    /// Writes a consistent copy of every queue to a new file at `dest` while it stays in
    /// use (a backup). Messages in flight stay so in the copy, and come back at once when
    /// the copy is opened, as after any restart.
    pub async fn snapshot(&self, dest: &Path) -> Result<()> {
        let db = self.db.clone();
        let dest = dest.to_owned();
        crate::db::blocking(move || crate::db::snapshot(&db, &[MESSAGES], &[META], &dest)).await
    }

    /// Opens the queues at `path`. This process holds the file exclusively, so any message
    /// that was in flight when the previous process stopped cannot still be held by a live
    /// consumer: it becomes visible again at once instead of waiting out its timeout.
    pub fn open(path: &Path, clock: Arc<dyn Clock>, settings: QueueSettings) -> Result<Self> {
        let db = open(path)?;
        let now = clock.now_ms();
        let tx = db.begin_write().map_err(err)?;
        {
            tx.open_table(META).map_err(err)?;
            let mut t = tx.open_table(MESSAGES).map_err(err)?;
            let mut reclaimed = Vec::new();
            for row in t.iter().map_err(err)? {
                let (k, v) = row.map_err(err)?;
                let mut m: Stored = from_json(v.value())?;
                if m.receipt.is_some() && m.visible_at > now {
                    m.visible_at = now;
                    m.receipt = None;
                    reclaimed.push((k.value().to_owned(), to_json(&m)?));
                }
            }
            for (k, v) in reclaimed {
                t.insert(k.as_str(), v.as_str()).map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        let wakers = QueueName::ALL
            .into_iter()
            .map(|q| (q, Notify::new()))
            .collect();
        Ok(FileQueue {
            committer: Committer::start(db.clone(), settings.grouping, "queues")?,
            db,
            clock,
            settings,
            wakers: Arc::new(wakers),
        })
    }

    /// How many write transactions and durable syncs the queues have had.
    pub fn commits(&self) -> Arc<CommitStats> {
        self.committer.stats()
    }

    /// Wakes one receiver waiting on `queue` for the message just made visible: waking
    /// every waiting worker had hundreds of them read the queue and race for one message.
    fn wake(&self, queue: QueueName) {
        if let Some(n) = self.wakers.get(&queue) {
            n.notify_one();
        }
    }

    /// Receives from the queue stored as `name`; a message received too often moves to
    /// `dead` (none for a dead-letter queue itself).
    async fn try_receive(
        &self,
        name: String,
        dead: Option<String>,
        max: u32,
        visibility: Duration,
    ) -> Result<Vec<Received>> {
        let db = self.db.clone();
        let now = self.clock.now_ms();
        let limit = self.settings.max_receive_count;
        let (lo, hi) = range_of(&name);
        // Most receives of an idle queue find nothing due: looking first in a read
        // transaction spares them the writer and a durable sync.
        let due = blocking({
            let (lo, hi) = (lo.clone(), hi.clone());
            move || {
                let tx = db.begin_read().map_err(err)?;
                let t = tx.open_table(MESSAGES).map_err(err)?;
                for row in t.range(lo.as_str()..hi.as_str()).map_err(err)? {
                    let (_, v) = row.map_err(err)?;
                    if from_json::<Stored>(v.value())?.visible_at <= now {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        })
        .await?;
        if !due {
            return Ok(Vec::new());
        }
        self.committer.write_if(move |tx| {
            let mut out = Vec::new();
            let mut moved = false;
            {
                let mut t = tx.open_table(MESSAGES).map_err(err)?;
                let mut seq = tx.open_table(META).map_err(err)?;
                let mut due = Vec::new();
                for row in t.range(lo.as_str()..hi.as_str()).map_err(err)? {
                    let (k, v) = row.map_err(err)?;
                    let m: Stored = from_json(v.value())?;
                    if m.visible_at <= now {
                        due.push((k.value().to_owned(), m));
                    }
                }
                for (key, mut m) in due {
                    if out.len() as u32 >= max {
                        break;
                    }
                    t.remove(key.as_str()).map_err(err)?;
                    if let Some(dead) = dead.as_deref().filter(|_| m.receive_count >= limit) {
                        // Like SQS, the move happens when a receive would exceed the limit.
                        let n = next_seq(&mut seq)?;
                        m.receipt = None;
                        t.insert(format!("{dead}#{n:020}").as_str(), to_json(&m)?.as_str()).map_err(err)?;
                        tracing::warn!(queue = %name, message_id = %m.id, receives = m.receive_count, "message moved to the dead-letter queue");
                        moved = true;
                        continue;
                    }
                    m.receive_count += 1;
                    m.visible_at = now + visibility.as_millis() as u64;
                    let receipt = format!("{key}|{}", uuid::Uuid::new_v4());
                    m.receipt = Some(receipt.clone());
                    t.insert(key.as_str(), to_json(&m)?.as_str()).map_err(err)?;
                    out.push(Received { message_id: m.id, body: m.body, receipt, receive_count: m.receive_count });
                }
            }
            // Another receiver took what was due: nothing to commit or wait for.
            Ok(if out.is_empty() && !moved {
                Wrote::Nothing(out)
            } else {
                Wrote::Changes(out)
            })
        })
        .await
    }

    /// Updates the message a receipt points at, if the receipt is still its latest.
    async fn with_receipt(
        &self,
        receipt: &str,
        f: impl FnOnce(&mut redb::Table<&str, &str>, &str, Stored) -> Result<()> + Send + 'static,
    ) -> Result<()> {
        let receipt = receipt.to_owned();
        self.committer
            .write(move |tx| {
                let key = receipt.split('|').next().unwrap_or_default().to_owned();
                let mut t = tx.open_table(MESSAGES).map_err(err)?;
                let current: Option<Stored> = t
                    .get(key.as_str())
                    .map_err(err)?
                    .map(|v| from_json(v.value()))
                    .transpose()?;
                if let Some(m) = current.filter(|m| m.receipt.as_deref() == Some(receipt.as_str()))
                {
                    f(&mut t, &key, m)?;
                }
                Ok(())
            })
            .await
    }

    /// Up to `max` visible messages of a stage, from its priority lane first: from its
    /// work queues, or with `dead` from their dead-letter queues.
    async fn receive_lanes(
        &self,
        queue: QueueName,
        dead: bool,
        max: u32,
        visibility: Duration,
    ) -> Result<Vec<Received>> {
        let mut out = Vec::new();
        for lane in Lane::DRAIN_ORDER {
            let room = max.saturating_sub(out.len() as u32);
            if room == 0 {
                break;
            }
            let (name, moves_to) = if dead {
                (dlq(queue, lane), None)
            } else {
                (queue.lane_name(lane), Some(dlq(queue, lane)))
            };
            out.extend(self.try_receive(name, moves_to, room, visibility).await?);
        }
        Ok(out)
    }

    /// Messages waiting in a stage's dead-letter queues (bodies), priority lane first,
    /// oldest first.
    pub async fn dead_letters(&self, queue: QueueName) -> Result<Vec<String>> {
        let db = self.db.clone();
        blocking(move || {
            let tx = db.begin_read().map_err(err)?;
            let t = tx.open_table(MESSAGES).map_err(err)?;
            let mut out = Vec::new();
            for lane in Lane::DRAIN_ORDER {
                let (lo, hi) = range_of(&dlq(queue, lane));
                for row in t.range(lo.as_str()..hi.as_str()).map_err(err)? {
                    let (_, v) = row.map_err(err)?;
                    out.push(from_json::<Stored>(v.value())?.body);
                }
            }
            Ok(out)
        })
        .await
    }

    /// Messages in a stage's work queue (both lanes), visible or in flight.
    pub async fn depth(&self, queue: QueueName) -> Result<u64> {
        let mut n = 0;
        for lane in Lane::DRAIN_ORDER {
            n += self.count(queue.lane_name(lane)).await?;
        }
        Ok(n)
    }

    async fn count(&self, name: String) -> Result<u64> {
        let db = self.db.clone();
        blocking(move || {
            let tx = db.begin_read().map_err(err)?;
            let t = tx.open_table(MESSAGES).map_err(err)?;
            let (lo, hi) = range_of(&name);
            Ok(t.range(lo.as_str()..hi.as_str()).map_err(err)?.count() as u64)
        })
        .await
    }
}

use redb::ReadableDatabase;

fn next_seq(meta: &mut redb::Table<&str, u64>) -> Result<u64> {
    let n = meta
        .get("seq")
        .map_err(err)?
        .map(|v| v.value())
        .unwrap_or(0)
        + 1;
    meta.insert("seq", n).map_err(err)?;
    Ok(n)
}

#[async_trait]
impl JobQueue for FileQueue {
    async fn send(&self, envelope: &Envelope, delay: Duration) -> Result<()> {
        let queue = envelope.message.queue();
        let name = queue.lane_name(envelope.lane);
        let body = to_json(envelope)?;
        let now = self.clock.now_ms();
        self.committer
            .write(move |tx| {
                let mut seq = tx.open_table(META).map_err(err)?;
                let n = next_seq(&mut seq)?;
                let m = Stored {
                    id: uuid::Uuid::new_v4().to_string(),
                    body,
                    visible_at: now + delay.as_millis() as u64,
                    receive_count: 0,
                    receipt: None,
                    sent_at: now,
                };
                let mut t = tx.open_table(MESSAGES).map_err(err)?;
                t.insert(format!("{name}#{n:020}").as_str(), to_json(&m)?.as_str())
                    .map_err(err)?;
                Ok(())
            })
            .await?;
        self.wake(queue);
        Ok(())
    }

    async fn receive(
        &self,
        queue: QueueName,
        max: u32,
        visibility: Duration,
    ) -> Result<Vec<Received>> {
        // Long polling, as SQS's WaitTimeSeconds: wait briefly for a send rather than spin.
        let waker = self
            .wakers
            .get(&queue)
            .ok_or_else(|| Error::Permanent("unknown queue".into()))?;
        let notified = waker.notified();
        let got = self.receive_lanes(queue, false, max, visibility).await?;
        if !got.is_empty() {
            return Ok(got);
        }
        let _ = tokio::time::timeout(Duration::from_millis(250), notified).await;
        self.receive_lanes(queue, false, max, visibility).await
    }

    async fn ack(&self, _queue: QueueName, receipt: &str) -> Result<()> {
        self.with_receipt(receipt, |t, key, _| {
            t.remove(key).map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn retry_later(&self, queue: QueueName, receipt: &str, delay: Duration) -> Result<()> {
        let visible_at = self.clock.now_ms() + delay.as_millis() as u64;
        self.with_receipt(receipt, move |t, key, mut m| {
            m.visible_at = visible_at;
            m.receipt = None;
            t.insert(key, to_json(&m)?.as_str()).map_err(err)?;
            Ok(())
        })
        .await?;
        self.wake(queue);
        Ok(())
    }

    async fn dead_letter_count(&self, queue: QueueName) -> Result<u64> {
        let mut n = 0;
        for lane in Lane::DRAIN_ORDER {
            n += self.count(dlq(queue, lane)).await?;
        }
        Ok(n)
    }

    async fn receive_dead_letters(
        &self,
        queue: QueueName,
        max: u32,
        visibility: Duration,
    ) -> Result<Vec<Received>> {
        self.receive_lanes(queue, true, max, visibility).await
    }

    async fn ack_dead_letter(&self, queue: QueueName, receipt: &str) -> Result<()> {
        // Receipts name their message's key, dead-letter queue or not.
        self.ack(queue, receipt).await
    }
}

#[cfg(test)]
mod tests {
    //! What only the embedded queue does; the shared behaviour is in the port contract
    //! (`tests/src/contract/queue.rs`), run against this queue and SQS alike.
    use super::*;
    use storyloom_domain::{BookId, StageMessage};

    fn envelope() -> Envelope {
        Envelope {
            message: StageMessage::WriteStory {
                book_id: BookId::parse("b-1").unwrap(),
            },
            correlation_id: "c-1".into(),
            redrives: 0,
            lane: Lane::Standard,
        }
    }

    struct WallClock;

    impl Clock for WallClock {
        fn now_ms(&self) -> u64 {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64)
        }
    }

    fn open_at(path: &Path) -> FileQueue {
        FileQueue::open(path, Arc::new(WallClock), QueueSettings::default()).unwrap()
    }

    #[tokio::test]
    async fn messages_in_flight_when_the_process_stopped_come_back_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.redb");
        let queue = open_at(&path);
        queue.send(&envelope(), Duration::ZERO).await.unwrap();
        let got = queue
            .receive(QueueName::Story, 10, Duration::from_secs(3600))
            .await
            .unwrap();
        assert_eq!(got.len(), 1);
        drop(queue);

        let reopened = open_at(&path);
        let again = reopened
            .receive(QueueName::Story, 10, Duration::from_secs(3600))
            .await
            .unwrap();
        assert_eq!(again.len(), 1, "the in-flight message was not reclaimed");
        assert_eq!(again[0].message_id, got[0].message_id);
        assert_eq!(again[0].receive_count, 2);
    }

    #[tokio::test]
    async fn an_ack_with_an_outdated_receipt_deletes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let queue = open_at(&dir.path().join("q.redb"));
        queue.send(&envelope(), Duration::ZERO).await.unwrap();
        let first = queue
            .receive(QueueName::Story, 1, Duration::ZERO)
            .await
            .unwrap();
        let second = queue
            .receive(QueueName::Story, 1, Duration::from_secs(3600))
            .await
            .unwrap();
        assert_eq!(second.len(), 1);
        // The first consumer wakes up late and acks: the second one still owns the message.
        queue
            .ack(QueueName::Story, &first[0].receipt)
            .await
            .unwrap();
        assert_eq!(queue.depth(QueueName::Story).await.unwrap(), 1);
        queue
            .ack(QueueName::Story, &second[0].receipt)
            .await
            .unwrap();
        assert_eq!(queue.depth(QueueName::Story).await.unwrap(), 0);
    }
}
