//! Turning a received queue message into a stage call, and the stage's result into what the
//! queue should do with the message.

use crate::Ports;
use crate::stages::assemble_book::Press;
use crate::stages::illustrate_page::Drawing;
use crate::stages::write_story::Writing;
use crate::stages::{Stage, assemble_book, illustrate_page, review_story, write_story};
use std::time::Duration;
use storyloom_domain::metrics::{Sample, names};
use storyloom_domain::ports::{Received, backoff};
use storyloom_domain::{Envelope, Error, ErrorClass, Result, StageMessage};
use tracing::Instrument;

/// What to do with a message after handling it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// Done (or nothing to do): delete it.
    Ack,
    /// Try again after this delay (backoff with full jitter).
    Retry(Duration),
}

/// Backoff bounds for transient failures.
pub const RETRY_BASE: Duration = Duration::from_secs(1);
/// See [`RETRY_BASE`].
pub const RETRY_CAP: Duration = Duration::from_secs(60);

/// Immediate re-runs of a stage that lost a write race, before it is retried with backoff.
pub const CONFLICT_RERUNS: u32 = 3;

/// The longest delay a queue accepts on a message (SQS: 15 minutes).
pub const MAX_DELAY: Duration = Duration::from_secs(900);

/// Runs the stage a message asks for, handing it the ports it uses. The worker takes the
/// whole bundle because it serves every stage.
pub async fn dispatch(ports: &Ports, message: &StageMessage) -> Result<()> {
    let stage = Stage::of(ports);
    match message {
        StageMessage::WriteStory { book_id } => {
            write_story::run(&stage, &Writing::of(ports), book_id).await
        }
        StageMessage::ReviewStory { book_id } => review_story::run(&stage, book_id).await,
        StageMessage::IllustratePage { book_id, page } => {
            illustrate_page::run(&stage, &Drawing::of(ports), book_id, *page).await
        }
        StageMessage::AssembleBook { book_id } => {
            assemble_book::run(&stage, &Press::of(ports), book_id).await
        }
    }
}

/// Handles one received message. A malformed body is retried like any failure so it ends in
/// the dead-letter queue for a person to look at, never silently dropped.
pub async fn handle(ports: &Ports, received: &Received) -> Disposition {
    let jitter = unit(&received.receipt);
    let retry = Disposition::Retry(backoff(
        received.receive_count.saturating_sub(1),
        RETRY_BASE,
        RETRY_CAP,
        jitter,
    ));
    let envelope: Envelope = match serde_json::from_str(&received.body) {
        Ok(e) => e,
        Err(e) => {
            tracing::error!(message_id = %received.message_id, error = %e, "malformed message; it will reach the dead-letter queue");
            return retry;
        }
    };
    let stage = envelope.message.queue().as_str();
    let page = match envelope.message {
        StageMessage::IllustratePage { page, .. } => Some(page),
        _ => None,
    };
    let span = tracing::info_span!("stage", stage, correlation_id = %envelope.correlation_id, book_id = %envelope.message.book_id(), page, lane = ?envelope.lane);
    let started = std::time::Instant::now();
    // A lost write race (another stage or page moved the book meanwhile) is settled by
    // running the idempotent stage again on the fresh book, at once: a backoff would only
    // leave the book waiting.
    let mut reruns = 0;
    let outcome = loop {
        let outcome = dispatch(ports, &envelope.message)
            .instrument(span.clone())
            .await;
        if !matches!(outcome, Err(Error::Conflict(_))) || reruns == CONFLICT_RERUNS {
            break outcome;
        }
        reruns += 1;
    };
    let elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
    ports
        .metrics
        .record(Sample::millis(names::STAGE_DURATION, elapsed_ms).by("Stage", stage));
    // The outcome's log lines carry the stage's fields too.
    async move {
        match outcome {
            Ok(()) => {
                tracing::info!(elapsed_ms, "stage handled");
                Disposition::Ack
            }
            Err(Error::CircuitOpen {
                provider,
                retry_after_ms,
            }) => {
                // Nothing was attempted: put the message back as a fresh, delayed one instead of
                // spending one of its receives (which would end in the dead-letter queue).
                let delay = Duration::from_millis(retry_after_ms)
                    .saturating_add(Duration::from_secs(1).mul_f64(jitter))
                    .min(MAX_DELAY);
                match ports.queue.send(&envelope, delay).await {
                    Ok(()) => {
                        tracing::info!(%provider, delay_ms = delay.as_millis() as u64, correlation_id = %envelope.correlation_id, "circuit open; message delayed");
                        Disposition::Ack
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "could not delay the message; retrying it instead");
                        retry
                    }
                }
            }
            Err(e) => {
                let class: ErrorClass = e.class();
                tracing::warn!(error = %e, ?class, receive_count = received.receive_count, correlation_id = %envelope.correlation_id, "stage failed; will retry");
                retry
            }
        }
    }
    .instrument(span)
    .await
}

/// A number in [0, 1) from the receipt: jitter without a random source in this layer.
fn unit(seed: &str) -> f64 {
    (storyloom_domain::character::seed_from(seed) >> 11) as f64 / (1u64 << 53) as f64
}
