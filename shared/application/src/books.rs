//! Ordering a book and watching it: create, list, get, cancel, progress, pages, pictures,
//! PDF.

use crate::Ports;
use crate::access::open;
use crate::limits::Limiter;
use crate::timings::TimingsCache;
use std::time::Duration;
use storyloom_domain::blob_key::book_prefix;
use storyloom_domain::character::seed_from;
use storyloom_domain::gates::safety;
use storyloom_domain::metrics::{Metrics, Sample, names};
use storyloom_domain::ports::{
    BlobStore, BookStore, CharacterStore, Clock, JobQueue, OperationsStore, PageStore, ShareStore,
    SpendingStore, Store,
};
use storyloom_domain::share::Need;
use storyloom_domain::validation::FieldError;
use storyloom_domain::{
    Book, BookId, BookStatus, Envelope, Error, NewBook, OwnerId, Page, Progress, Result,
    StageMessage, Tier,
};

/// What ordering a book uses: the limiter that admits it (with the store and the clock),
/// the queue the writer listens on, and the metrics that count orders.
pub struct Orders<'a, S: ?Sized> {
    /// Admits the book within the owner's limits; its store keeps the characters and books.
    pub limiter: Limiter<'a, S>,
    /// Where the writer's message goes.
    pub queue: &'a dyn JobQueue,
    /// Where an order is counted.
    pub metrics: &'a dyn Metrics,
}

impl<'a> Orders<'a, dyn Store> {
    /// The ordering ports of a process's ports.
    pub fn of(ports: &'a Ports) -> Self {
        Orders {
            limiter: Limiter::of(ports),
            queue: &*ports.queue,
            metrics: &*ports.metrics,
        }
    }
}

/// Validates a request, snapshots the cast, saves the book as Queued under `id` and hands
/// it to the writer, in the queue lane of the caller's `tier`. The premise is screened
/// before anything is stored.
///
/// A repeated request with the same id (an idempotent retry whose first attempt died after
/// saving) returns the book saved first and makes sure the writer got its message.
pub async fn create<S: CharacterStore + BookStore + SpendingStore + ?Sized>(
    orders: &Orders<'_, S>,
    owner: &OwnerId,
    tier: Tier,
    id: BookId,
    input: NewBook,
    correlation_id: &str,
) -> Result<Book> {
    let store = orders.limiter.store;
    let ids = input.cast_ids()?;
    let mut cast = Vec::with_capacity(ids.len());
    let mut missing = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        match store.get_character(owner, id).await? {
            Some(c) => cast.push(c),
            None => missing.push(FieldError::new(
                &format!("cast[{i}]"),
                format!("no saved character has the id {id}"),
            )),
        }
    }
    if !missing.is_empty() {
        return Err(Error::Invalid(missing));
    }
    let now = orders.limiter.clock.now_ms();
    let request = input.validate(cast, seed_from(id.as_str()))?;
    if let Some(problem) = safety(&request.premise).into_iter().next() {
        return Err(Error::PolicyBlocked(format!("the premise {problem}")));
    }
    let book = Book {
        tier,
        ..Book::new(
            id.clone(),
            owner.clone(),
            request,
            correlation_id.to_owned(),
            now,
        )
    };
    orders.limiter.admit_book(owner, &id).await?;
    let book = match store.create_book(&book).await {
        Ok(()) => {
            orders
                .metrics
                .record(Sample::count(names::BOOKS_REQUESTED, 1.0).by("Tier", tier.as_str()));
            book
        }
        Err(Error::Conflict(why)) => match store.get_book(&id).await? {
            Some(first) if &first.owner == owner => {
                if first.status != BookStatus::Queued {
                    return Ok(first);
                }
                first
            }
            _ => return Err(Error::Conflict(why)),
        },
        Err(e) => {
            // Not made: give its place back (if this fails too, the place is reclaimed
            // when the next book is admitted, as no such book is in flight).
            let _ = orders.limiter.release_book(owner, &id).await;
            return Err(e);
        }
    };
    let envelope = Envelope::about(&book, StageMessage::WriteStory { book_id: id });
    orders.queue.send(&envelope, Duration::ZERO).await?;
    Ok(book)
}

/// The owner's books, newest first.
pub async fn list(store: &dyn BookStore, owner: &OwnerId) -> Result<Vec<Book>> {
    store.list_books(owner).await
}

/// The owner's books whose title, premise or page text holds every word of `query`
/// (case-insensitive), newest first. Titles and premises are read first; pages only for
/// books those do not already match.
pub async fn search<S>(store: &S, owner: &OwnerId, query: &str) -> Result<Vec<Book>>
where
    S: BookStore + PageStore + ?Sized,
{
    let words: Vec<String> = query
        .split_whitespace()
        .map(str::to_lowercase)
        .take(12)
        .collect();
    let mut found = Vec::new();
    for book in store.list_books(owner).await? {
        let mut haystack = format!("{} {}", book.title, book.request.premise).to_lowercase();
        if !words.iter().all(|w| haystack.contains(w.as_str())) {
            for page in store.list_pages(&book.id).await? {
                haystack.push(' ');
                haystack.push_str(&page.text.to_lowercase());
            }
        }
        if words.iter().all(|w| haystack.contains(w.as_str())) {
            found.push(book);
        }
    }
    Ok(found)
}

/// A book the caller may read (their own or one shared with them); any other is simply
/// not found (no existence leak).
pub async fn get<S>(store: &S, caller: &OwnerId, id: &BookId) -> Result<Book>
where
    S: BookStore + ShareStore + ?Sized,
{
    open(store, caller, id, Need::Read)
        .await
        .map(|(book, _)| book)
}

/// A book the caller may change (their own, or shared with them as editor).
async fn get_to_edit<S>(store: &S, caller: &OwnerId, id: &BookId) -> Result<Book>
where
    S: BookStore + ShareStore + ?Sized,
{
    open(store, caller, id, Need::Edit)
        .await
        .map(|(book, _)| book)
}

/// Deletes the caller's book: its pictures and PDF, pages, shares and the book itself.
/// A book still being made must be cancelled first. A deleted book is not found, like any
/// book the caller cannot see.
pub async fn delete<S: BookStore + ShareStore + SpendingStore + ?Sized>(
    limiter: &Limiter<'_, S>,
    blobs: &dyn BlobStore,
    caller: &OwnerId,
    id: &BookId,
) -> Result<()> {
    let (book, _) = open(limiter.store, caller, id, Need::Manage).await?;
    if book.status.in_flight() {
        return Err(Error::Conflict(format!(
            "book {id} is still being made ({}); cancel it first",
            book.status
        )));
    }
    // Blobs first: a crash midway leaves the book, so the delete can be repeated.
    for blob in blobs.list(&book_prefix(id)).await? {
        blobs.delete(&blob.key).await?;
    }
    limiter.store.delete_book(id).await?;
    limiter.release_book(&book.owner, id).await?;
    tracing::info!(book_id = %id, "book deleted");
    Ok(())
}

/// Cancels a book the pipeline is still making. Its queued and in-flight messages find it
/// Cancelled and do nothing, so no further model call is made for it (a call already
/// running finishes, and its result is discarded). Cancelling twice is not an error.
pub async fn cancel<S: BookStore + ShareStore + ?Sized>(
    store: &S,
    clock: &dyn Clock,
    owner: &OwnerId,
    id: &BookId,
) -> Result<Book> {
    loop {
        let mut book = get_to_edit(store, owner, id).await?;
        if book.status == BookStatus::Cancelled {
            return Ok(book);
        }
        if !book.status.in_flight() {
            return Err(Error::Conflict(format!(
                "book {id} is already {}; only a book still being made can be cancelled",
                book.status
            )));
        }
        // A finished book being typeset (or a picture redrawn) again after a change is not
        // being made: cancelling would throw away a finished book for a moment's work.
        if book.pdf_key.is_some() {
            return Err(Error::Conflict(format!(
                "book {id} is finished and is being updated after a change; its edition \
                 stays readable and the update follows shortly, so there is nothing to \
                 cancel (only a book still being made for the first time can be)"
            )));
        }
        book.transition(BookStatus::Cancelled, clock.now_ms())?;
        match store.update_book(&book).await {
            Ok(book) => {
                tracing::info!(book_id = %id, correlation_id = %book.correlation_id, "book cancelled");
                return Ok(book);
            }
            // A stage moved the book meanwhile: look again.
            Err(Error::Conflict(_)) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Partial retry: redraws only the pictures that failed (not flagged ones, not finished
/// ones) of a Partial book, then assembles it again; with every picture drawn it becomes
/// Ready. Safe to repeat: a crash midway leaves pending pages the next call (or the
/// sweeper) picks up.
pub async fn retry<S: BookStore + ShareStore + PageStore + ?Sized>(
    store: &S,
    queue: &dyn JobQueue,
    clock: &dyn Clock,
    owner: &OwnerId,
    id: &BookId,
) -> Result<Book> {
    let book = get_to_edit(store, owner, id).await?;
    if book.status != BookStatus::Partial {
        return Err(Error::Conflict(format!(
            "book {id} is {}; only a partial book (some pictures failed) can be retried",
            book.status
        )));
    }
    store.reopen_failed_illustrations(id).await?;
    let pending = crate::stages::pending_pages(store, id).await?;
    if pending.is_empty() {
        return Err(Error::Conflict(format!(
            "book {id} has no failed pictures to redraw (refused ones cannot be retried)"
        )));
    }
    let mut book = book;
    loop {
        book.transition(BookStatus::Illustrating, clock.now_ms())?;
        book.assembly_claimed_by = None;
        match store.update_book(&book).await {
            Ok(saved) => {
                crate::stages::send_illustrations(store, queue, &saved, pending).await?;
                tracing::info!(book_id = %id, correlation_id = %saved.correlation_id, "retrying failed pictures");
                return store
                    .get_book(id)
                    .await?
                    .ok_or_else(|| Error::NotFound(format!("book {id}")));
            }
            Err(Error::Conflict(_)) => {
                book = get_to_edit(store, owner, id).await?;
                if book.status != BookStatus::Partial {
                    return Ok(book);
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// Status plus per-stage counts, with the time left estimated from recent books' stage
/// timings (as `timings` last read them).
pub async fn progress<S>(
    store: &S,
    clock: &dyn Clock,
    timings: &TimingsCache,
    owner: &OwnerId,
    id: &BookId,
) -> Result<Progress>
where
    S: BookStore + ShareStore + PageStore + OperationsStore + ?Sized,
{
    let book = get(store, owner, id).await?;
    let pages = store.list_pages(id).await?;
    let timings = crate::timings::current(store, clock, timings).await?;
    Ok(Progress::of(&book, &pages, &timings, clock.now_ms()))
}

/// The pages written so far.
pub async fn pages<S>(store: &S, owner: &OwnerId, id: &BookId) -> Result<Vec<Page>>
where
    S: BookStore + ShareStore + PageStore + ?Sized,
{
    get(store, owner, id).await?;
    store.list_pages(id).await
}

/// One page.
pub async fn page<S>(store: &S, caller: &OwnerId, id: &BookId, number: u32) -> Result<Page>
where
    S: BookStore + ShareStore + PageStore + ?Sized,
{
    get(store, caller, id).await?;
    store
        .get_page(id, number)
        .await?
        .ok_or_else(|| Error::NotFound(format!("page {number} of book {id}")))
}

/// Where a client can fetch a blob: a short-lived URL where the store offers one, else the
/// bytes themselves.
pub enum Download {
    Redirect(String),
    Bytes(Vec<u8>),
}

const DOWNLOAD_TTL: Duration = Duration::from_secs(300);

pub(crate) async fn download(blobs: &dyn BlobStore, key: &str, what: &str) -> Result<Download> {
    if let Some(url) = blobs.presign_get(key, DOWNLOAD_TTL).await? {
        return Ok(Download::Redirect(url));
    }
    blobs
        .get(key)
        .await?
        .map(Download::Bytes)
        .ok_or_else(|| Error::NotFound(what.to_owned()))
}

/// One page's picture.
pub async fn picture<S>(
    store: &S,
    blobs: &dyn BlobStore,
    owner: &OwnerId,
    id: &BookId,
    number: u32,
) -> Result<Download>
where
    S: BookStore + ShareStore + PageStore + ?Sized,
{
    get(store, owner, id).await?;
    let page = store
        .get_page(id, number)
        .await?
        .ok_or_else(|| Error::NotFound(format!("page {number}")))?;
    let key = page
        .image_key
        .ok_or_else(|| Error::NotFound(format!("a picture for page {number} (not drawn yet)")))?;
    download(blobs, &key, &format!("the picture for page {number}")).await
}

/// A finished book's typeset forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    /// The print-ready PDF.
    Pdf,
    /// The EPUB 3 e-book.
    Epub,
}

impl Edition {
    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            Edition::Pdf => "application/pdf",
            Edition::Epub => "application/epub+zip",
        }
    }

    /// Its file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Edition::Pdf => "pdf",
            Edition::Epub => "epub",
        }
    }

    fn key(self, book: &Book) -> Option<&String> {
        match self {
            Edition::Pdf => book.pdf_key.as_ref(),
            Edition::Epub => book.epub_key.as_ref(),
        }
    }

    /// How messages name it: some one, and the one.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Edition::Pdf => ("a PDF", "the PDF"),
            Edition::Epub => ("an e-book", "the e-book"),
        }
    }
}

/// A finished book as a PDF or an e-book.
pub async fn edition<S: BookStore + ShareStore + ?Sized>(
    store: &S,
    blobs: &dyn BlobStore,
    owner: &OwnerId,
    id: &BookId,
    edition: Edition,
) -> Result<Download> {
    let book = get(store, owner, id).await?;
    let (some, the) = edition.names();
    let key = edition
        .key(&book)
        .ok_or_else(|| Error::NotFound(format!("{some} for book {id} (it is {})", book.status)))?;
    download(blobs, key, the).await
}
