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
async fn emit(ports: &Ports, book: &Book, message: StageMessage) -> Result<()> {
    let envelope = Envelope {
        message,
        correlation_id: book.correlation_id.clone(),
    };
    ports.queue.send(&envelope, Duration::ZERO).await
}

/// Hands the book to the writer.
pub(crate) async fn send_write(ports: &Ports, book: &Book) -> Result<()> {
    emit(
        ports,
        book,
        StageMessage::WriteStory {
            book_id: book.id.clone(),
        },
    )
    .await
}

/// Hands the book to review.
pub(crate) async fn send_review(ports: &Ports, book: &Book) -> Result<()> {
    emit(
        ports,
        book,
        StageMessage::ReviewStory {
            book_id: book.id.clone(),
        },
    )
    .await
}

/// Fans out one illustration message per page.
pub(crate) async fn send_illustrations(
    ports: &Ports,
    book: &Book,
    pages: impl Iterator<Item = u32>,
) -> Result<()> {
    for page in pages {
        emit(
            ports,
            book,
            StageMessage::IllustratePage {
                book_id: book.id.clone(),
                page,
            },
        )
        .await?;
    }
    Ok(())
}

/// Hands the book to assembly.
pub(crate) async fn send_assemble(ports: &Ports, book: &Book) -> Result<()> {
    emit(
        ports,
        book,
        StageMessage::AssembleBook {
            book_id: book.id.clone(),
        },
    )
    .await
}
