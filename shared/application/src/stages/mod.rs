//! The pipeline stages. Each persists its result before its message is acknowledged and is
//! idempotent under redelivery: a message for work already done changes nothing, except to
//! re-send the next stage's message in case a crash lost it.

pub mod assemble_book;
pub mod illustrate_page;
pub mod review_story;
pub mod write_story;

use crate::Ports;
use std::time::Duration;
use storyloom_domain::{Book, Envelope, Result, StageMessage};

/// Sends the next stage's message, carrying the book's correlation id.
pub(crate) async fn emit(ports: &Ports, book: &Book, message: StageMessage) -> Result<()> {
    ports
        .queue
        .send(
            &Envelope {
                message,
                correlation_id: book.correlation_id.clone(),
            },
            Duration::ZERO,
        )
        .await
}
