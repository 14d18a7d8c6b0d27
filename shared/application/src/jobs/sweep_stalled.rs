//! sweep-stalled: finds books stuck in a stage past its deadline (a lost message, a crashed
//! worker) and restarts the stage once by re-sending its message; a second stall in the
//! same stage fails the book with a reason rather than retrying for ever. Every write is
//! conditional on the version read, so a sweep never overwrites a book that moved on.

use crate::stages::{Stage, pending_pages};
use serde::Serialize;
use std::time::Duration;
use storyloom_domain::ports::{BookStore, PageStore};
use storyloom_domain::{Book, BookStatus, Envelope, Error, Result, StageMessage};

/// Restarts a stage gets before the book is failed.
pub const MAX_SWEEPS: u32 = 1;
/// Books looked at per run.
pub const BATCH: u32 = 100;

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub restarted: u32,
    pub failed: u32,
}

/// Sweeps the books stalled at `now`, restarting them with the pipeline's own stage.
pub async fn run<S: BookStore + PageStore + ?Sized>(stage: &Stage<'_, S>) -> Result<SweepReport> {
    let now = stage.clock.now_ms();
    let shortest = BookStatus::ALL
        .iter()
        .filter_map(|s| s.stall_after_ms())
        .min()
        .unwrap_or(0);
    let mut report = SweepReport::default();
    for candidate in stage
        .store
        .in_flight_books(now.saturating_sub(shortest), BATCH)
        .await?
    {
        // The index may lag: decide on the book as it is now.
        let Some(mut book) = stage.store.get_book(&candidate.id).await? else {
            continue;
        };
        let Some(limit) = book.status.stall_after_ms() else {
            continue;
        };
        if book.stage_started_at.saturating_add(limit) > now {
            continue;
        }
        let stalled_in = book.status;
        if book.sweeps >= MAX_SWEEPS {
            book.fail(
                format!(
                    "the book stopped making progress while {} (restarted {} time(s) \
                     already); please order it again",
                    stalled_in.as_str(),
                    book.sweeps
                ),
                now,
            )?;
            match crate::telemetry::save_finished(stage.store, stage.metrics, &book).await {
                Ok(_) => report.failed += 1,
                Err(Error::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
            continue;
        }
        book.sweeps += 1;
        // A restarted stage gets a fresh deadline.
        book.stage_started_at = now;
        book.updated_at = now;
        let book = match stage.store.update_book(&book).await {
            Ok(book) => book,
            // Someone moved the book meanwhile: it is not stalled.
            Err(Error::Conflict(_)) => continue,
            Err(e) => return Err(e),
        };
        tracing::warn!(book_id = %book.id, status = stalled_in.as_str(), sweeps = book.sweeps, correlation_id = %book.correlation_id, "restarting a stalled stage");
        for message in restart_messages(stage.store, &book).await? {
            let envelope = Envelope::about(&book, message);
            stage.queue.send(&envelope, Duration::ZERO).await?;
        }
        report.restarted += 1;
    }
    Ok(report)
}

/// The messages that drive the book's current stage (every stage is idempotent, so a
/// message that was not lost after all does no harm).
async fn restart_messages<S: PageStore + ?Sized>(
    store: &S,
    book: &Book,
) -> Result<Vec<StageMessage>> {
    let book_id = book.id.clone();
    Ok(match book.status {
        BookStatus::Queued | BookStatus::Writing => vec![StageMessage::WriteStory { book_id }],
        BookStatus::Reviewing => vec![StageMessage::ReviewStory { book_id }],
        BookStatus::Assembling => vec![StageMessage::AssembleBook { book_id }],
        BookStatus::Illustrating => {
            crate::stages::illustrate_messages(&book_id, pending_pages(store, &book.id).await?)
        }
        BookStatus::Paused
        | BookStatus::Ready
        | BookStatus::Partial
        | BookStatus::Failed
        | BookStatus::Cancelled => {
            vec![]
        }
    })
}
