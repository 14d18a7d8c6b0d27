//! The events worth a metric and a log line that more than one use case reaches.

use crate::Ports;
use storyloom_domain::metrics::{Sample, names};
use storyloom_domain::{Book, BookStatus};

/// Reports a book that has just reached an end (ready, partial or failed). Call once,
/// after the update that moved it there succeeded.
pub fn book_finished(ports: &Ports, book: &Book) {
    let outcome = match book.status {
        BookStatus::Ready => "ready",
        BookStatus::Partial => "partial",
        BookStatus::Failed => "failed",
        _ => return,
    };
    ports
        .metrics
        .record(Sample::count(names::BOOKS_FINISHED, 1.0).by("Outcome", outcome));
    tracing::info!(
        book_id = %book.id,
        correlation_id = %book.correlation_id,
        outcome,
        elapsed_ms = book.updated_at.saturating_sub(book.created_at),
        "book finished"
    );
}
