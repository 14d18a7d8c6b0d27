//! The pipeline stages. Each persists its result before its message is acknowledged and is
//! idempotent under redelivery: a message for work already done changes nothing, except to
//! send the next stage's message when a crash lost it before it was recorded as sent.

pub mod assemble_book;
pub mod illustrate_page;
pub mod review_story;
pub mod write_story;

use crate::Ports;
use crate::spending::Till;
use crate::timings::TimingsCache;
use std::time::Duration;
use storyloom_domain::metrics::Metrics;
use storyloom_domain::ports::{BookStore, Clock, JobQueue, OperationsStore, PageStore, Store};
use storyloom_domain::{
    Book, BookId, BookStatus, Envelope, Error, IllustrationStatus, PriceTable, Result, StageMessage,
};

/// The stores every stage reads and writes: the book, its pages, and the stage timings.
pub trait StageStores: BookStore + PageStore + OperationsStore {}

impl<S> StageStores for S where S: BookStore + PageStore + OperationsStore + ?Sized {}

/// What every stage uses to move a book along; a stage takes the models, blobs or
/// renderer it needs besides.
pub struct Stage<'a, S: ?Sized> {
    /// Where the book, its pages and the timings are stored.
    pub store: &'a S,
    /// Where the next stage's messages go.
    pub queue: &'a dyn JobQueue,
    /// The time stages are measured by.
    pub clock: &'a dyn Clock,
    /// Where a finished book is counted.
    pub metrics: &'a dyn Metrics,
    /// The stage timings this process read last.
    pub timings: &'a TimingsCache,
}

impl<'a> Stage<'a, dyn Store> {
    /// The stage ports of a process's ports.
    pub fn of(ports: &'a Ports) -> Self {
        Stage {
            store: &*ports.store,
            queue: &*ports.queue,
            clock: &*ports.clock,
            metrics: &*ports.metrics,
            timings: &ports.timings,
        }
    }
}

impl<'a, S: ?Sized> Stage<'a, S> {
    /// The till a stage's model calls are paid at, at `prices`.
    fn till(&self, prices: &'a PriceTable) -> Till<'a, S> {
        Till {
            store: self.store,
            clock: self.clock,
            prices,
        }
    }
}

impl<S: StageStores + ?Sized> Stage<'_, S> {
    /// Records that the book spent from `since` until now in `stage`.
    async fn ended(&self, stage: BookStatus, since: u64, book: &Book) {
        crate::timings::stage_ended(
            self.store,
            self.clock,
            self.timings,
            stage,
            since,
            book.page_count(),
        )
        .await;
    }
}

/// Sends the messages that hand the book to its current stage, unless the book records this
/// hand-over ([`Book::stage_key`]) as sent; then records it.
///
/// Sending comes first: a crash between the two re-sends on redelivery (the next stage is
/// idempotent), whereas recording first could lose the hand-over for good.
async fn hand_over<S: BookStore + ?Sized>(
    store: &S,
    queue: &dyn JobQueue,
    book: &Book,
    messages: Vec<StageMessage>,
) -> Result<()> {
    let key = book.stage_key();
    if book.handed_over.as_ref() == Some(&key) {
        return Ok(());
    }
    for message in messages {
        let envelope = Envelope::about(book, message);
        queue.send(&envelope, Duration::ZERO).await?;
    }
    let mut current = book.clone();
    loop {
        current.handed_over = Some(key.clone());
        match store.update_book(&current).await {
            Ok(_) => return Ok(()),
            Err(Error::Conflict(_)) => match store.get_book(&book.id).await? {
                Some(fresh)
                    if fresh.stage_key() == key && fresh.handed_over.as_ref() != Some(&key) =>
                {
                    current = fresh
                }
                _ => return Ok(()),
            },
            Err(e) => return Err(e),
        }
    }
}

/// Hands the book (back) to the writer for the current round.
pub(crate) async fn send_write<S: BookStore + ?Sized>(
    store: &S,
    queue: &dyn JobQueue,
    book: &Book,
) -> Result<()> {
    let message = StageMessage::WriteStory {
        book_id: book.id.clone(),
    };
    hand_over(store, queue, book, vec![message]).await
}

/// Hands the current round's draft to review.
pub(crate) async fn send_review<S: BookStore + ?Sized>(
    store: &S,
    queue: &dyn JobQueue,
    book: &Book,
) -> Result<()> {
    let message = StageMessage::ReviewStory {
        book_id: book.id.clone(),
    };
    hand_over(store, queue, book, vec![message]).await
}

/// Fans out one illustration message per page.
pub(crate) async fn send_illustrations<S: BookStore + ?Sized>(
    store: &S,
    queue: &dyn JobQueue,
    book: &Book,
    pages: Vec<u32>,
) -> Result<()> {
    hand_over(store, queue, book, illustrate_messages(&book.id, pages)).await
}

/// One illustration message per page.
pub(crate) fn illustrate_messages(book: &BookId, pages: Vec<u32>) -> Vec<StageMessage> {
    pages
        .into_iter()
        .map(|page| StageMessage::IllustratePage {
            book_id: book.clone(),
            page,
        })
        .collect()
}

/// The pages of a book whose picture is still to be drawn.
pub(crate) async fn pending_pages<S: PageStore + ?Sized>(
    store: &S,
    book: &BookId,
) -> Result<Vec<u32>> {
    Ok(store
        .list_pages(book)
        .await?
        .into_iter()
        .filter(|p| p.illustration == IllustrationStatus::Pending)
        .map(|p| p.number)
        .collect())
}

/// Hands the book to assembly (the fan-in winner only).
pub(crate) async fn send_assemble<S: BookStore + ?Sized>(
    store: &S,
    queue: &dyn JobQueue,
    book: &Book,
) -> Result<()> {
    let message = StageMessage::AssembleBook {
        book_id: book.id.clone(),
    };
    hand_over(store, queue, book, vec![message]).await
}

/// Moves a made (or being typeset) book back to illustrating, so a picture being redrawn
/// is waited for before the book is typeset again; any other book is left as it is.
pub(crate) async fn back_to_illustrating<S: BookStore + ?Sized>(
    store: &S,
    clock: &dyn Clock,
    id: &BookId,
) -> Result<Book> {
    let now = clock.now_ms();
    crate::modify::modify_book(store, id, |book| {
        if !matches!(
            book.status,
            BookStatus::Ready | BookStatus::Partial | BookStatus::Assembling
        ) {
            return Ok(false);
        }
        book.assembly_claimed_by = None;
        book.transition(BookStatus::Illustrating, now)?;
        Ok(true)
    })
    .await?
    .ok_or_else(|| Error::NotFound(format!("book {id}")))
}
