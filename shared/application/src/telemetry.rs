//! The events worth a metric and a log line that more than one use case reaches.

use storyloom_domain::metrics::{Metrics, Sample, names};
use storyloom_domain::ports::BookStore;
use storyloom_domain::{Book, BookStatus, Result};

/// Stores a book that has just reached an end (ready, partial or failed) and, once the
/// update has won, reports it. Every terminal update goes through here.
pub async fn save_finished<S: BookStore + ?Sized>(
    store: &S,
    metrics: &dyn Metrics,
    book: &Book,
) -> Result<Book> {
    let saved = store.update_book(book).await?;
    book_finished(metrics, &saved);
    Ok(saved)
}

fn book_finished(metrics: &dyn Metrics, book: &Book) {
    let outcome = match book.status {
        BookStatus::Ready => "ready",
        BookStatus::Partial => "partial",
        BookStatus::Failed => "failed",
        _ => return,
    };
    metrics.record(Sample::count(names::BOOKS_FINISHED, 1.0).by("Outcome", outcome));
    tracing::info!(
        book_id = %book.id,
        correlation_id = %book.correlation_id,
        outcome,
        elapsed_ms = book.updated_at.saturating_sub(book.created_at),
        "book finished"
    );
}
