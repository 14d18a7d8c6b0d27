//! redrive-dead-letters: gives each dead-lettered stage message a bounded number of further
//! runs, with growing delays; after that it gives up on the unit of work with the reason —
//! the page's picture is marked Failed (the book can still finish, Partial), or the book is
//! failed. Nothing is dropped silently: a message whose body cannot be read stays in the
//! dead-letter queue, where its alarm keeps asking for a person.

use crate::stages::{Stage, StageStores, illustrate_page};
use serde::Serialize;
use std::time::Duration;
use storyloom_domain::message::QueueName;
use storyloom_domain::metrics::{Sample, names};
use storyloom_domain::{BookId, Envelope, Error, Result, StageMessage};

/// Runs a dead-lettered message gets before its unit is given up on.
pub const MAX_REDRIVES: u32 = 3;
/// Dead letters looked at per queue per run, so one run stays short.
pub const PER_QUEUE: u32 = 100;
/// How long a dead letter stays hidden while this job handles it.
const HANDLING: Duration = Duration::from_secs(60);

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RedriveReport {
    /// Sent back to their queue.
    pub redriven: u32,
    /// Given up on: the page or book failed with the reason.
    pub gave_up: u32,
    /// Unreadable, left for a person.
    pub kept: u32,
}

/// The delay before the `n`th redrive (1-based): a minute, doubling, at most 15.
pub fn redrive_delay(n: u32) -> Duration {
    Duration::from_secs(60u64 << n.saturating_sub(1).min(4)).min(Duration::from_secs(900))
}

/// Handles every queue's dead letters.
pub async fn run<S: StageStores + ?Sized>(stage: &Stage<'_, S>) -> Result<RedriveReport> {
    let mut report = RedriveReport::default();
    for queue in QueueName::ALL {
        // Sampled on every run, so the metric shows dead letters even between alarms.
        let waiting = stage.queue.dead_letter_count(queue).await?;
        stage
            .metrics
            .record(Sample::count(names::DEAD_LETTERS, waiting as f64).by("Stage", queue.as_str()));
        let mut seen = 0;
        while seen < PER_QUEUE {
            let batch = stage
                .queue
                .receive_dead_letters(queue, 10, HANDLING)
                .await?;
            if batch.is_empty() {
                break;
            }
            seen += batch.len() as u32;
            for letter in batch {
                let Ok(mut envelope) = serde_json::from_str::<Envelope>(&letter.body) else {
                    tracing::error!(queue = queue.as_str(), message_id = %letter.message_id, "an unreadable dead letter stays for a person to look at");
                    report.kept += 1;
                    continue;
                };
                if envelope.redrives < MAX_REDRIVES {
                    envelope.redrives += 1;
                    let delay = redrive_delay(envelope.redrives);
                    stage.queue.send(&envelope, delay).await?;
                    tracing::warn!(queue = queue.as_str(), redrives = envelope.redrives, correlation_id = %envelope.correlation_id, "redrove a dead letter");
                    report.redriven += 1;
                } else {
                    give_up(stage, &envelope).await?;
                    report.gave_up += 1;
                }
                stage.queue.ack_dead_letter(queue, &letter.receipt).await?;
            }
        }
    }
    Ok(report)
}

/// Fails the message's unit of work with the reason.
async fn give_up<S: StageStores + ?Sized>(stage: &Stage<'_, S>, envelope: &Envelope) -> Result<()> {
    let reason = format!(
        "gave up after {} further attempts from the dead-letter queue",
        envelope.redrives
    );
    tracing::error!(correlation_id = %envelope.correlation_id, message = ?envelope.message, %reason, "giving up on a unit of work");
    match &envelope.message {
        StageMessage::IllustratePage { book_id, page } => {
            illustrate_page::give_up(stage, book_id, *page, &format!("the picture {reason}")).await
        }
        StageMessage::WriteStory { book_id }
        | StageMessage::ReviewStory { book_id }
        | StageMessage::AssembleBook { book_id } => {
            let name = envelope.message.queue().as_str();
            fail_book(stage, book_id, &format!("the {name} stage {reason}")).await
        }
    }
}

/// Fails the book unless it already finished (conditional on the version read).
async fn fail_book<S: StageStores + ?Sized>(
    stage: &Stage<'_, S>,
    id: &BookId,
    reason: &str,
) -> Result<()> {
    loop {
        let Some(mut book) = stage.store.get_book(id).await? else {
            return Ok(());
        };
        if !book.status.in_flight() {
            return Ok(());
        }
        book.fail(reason, stage.clock.now_ms())?;
        match crate::telemetry::save_finished(stage.store, stage.metrics, &book).await {
            Ok(_) => return Ok(()),
            Err(Error::Conflict(_)) => continue,
            Err(e) => return Err(e),
        }
    }
}
