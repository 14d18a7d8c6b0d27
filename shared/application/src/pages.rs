//! A made book as a living thing: edit a page's text (a new revision, guarded by the
//! page's ETag), list and restore revisions, and redraw one picture. Each change is stored
//! before anything else happens, and the PDF is typeset again afterwards.

use crate::Ports;
use crate::access::open;
use crate::modify::modify_book;
use crate::stages::{back_to_illustrating, send_assemble};
use std::time::Duration;
use storyloom_domain::ports::{
    BlobStore, BookStore, Clock, JobQueue, PageStore, RevisionStore, ShareStore, Store,
};
use storyloom_domain::revision::{self, Revision};
use storyloom_domain::share::Need;
use storyloom_domain::{
    Book, BookId, BookStatus, Envelope, Error, IllustrationStatus, OwnerId, Page, Result,
    StageMessage,
};

/// Attempts at a page change that keeps meeting a picture landing at the same moment.
const ATTEMPTS: u32 = 8;

/// The stores changing a page reads and writes.
pub trait EditingStores: BookStore + ShareStore + PageStore + RevisionStore {}

impl<S> EditingStores for S where S: BookStore + ShareStore + PageStore + RevisionStore + ?Sized {}

/// What changing a made book uses: the stores, the queue that redraws and typesets it
/// again, and the clock revisions are dated by.
pub struct Editor<'a, S: ?Sized> {
    /// Where the book, its pages, their history and its shares are stored.
    pub store: &'a S,
    /// Where redraw and typesetting messages go.
    pub queue: &'a dyn JobQueue,
    /// The time revisions are dated by.
    pub clock: &'a dyn Clock,
}

impl<'a> Editor<'a, dyn Store> {
    /// The editor of a process's ports.
    pub fn of(ports: &'a Ports) -> Self {
        Editor {
            store: &*ports.store,
            queue: &*ports.queue,
            clock: &*ports.clock,
        }
    }
}

/// The book, if the caller may change it and it is past writing and review.
async fn editable<S>(store: &S, caller: &OwnerId, id: &BookId) -> Result<Book>
where
    S: BookStore + ShareStore + ?Sized,
{
    let (book, _) = open(store, caller, id, Need::Edit).await?;
    match book.status {
        BookStatus::Illustrating
        | BookStatus::Assembling
        | BookStatus::Ready
        | BookStatus::Partial => Ok(book),
        BookStatus::Paused
            if book.pause.as_ref().map(|p| p.stage) == Some(BookStatus::Illustrating) =>
        {
            Ok(book)
        }
        other => Err(Error::Conflict(format!(
            "book {id} is {other}; pages can be changed once the story is written and reviewed"
        ))),
    }
}

async fn page<S: PageStore + ?Sized>(store: &S, id: &BookId, number: u32) -> Result<Page> {
    store
        .get_page(id, number)
        .await?
        .ok_or_else(|| Error::NotFound(format!("page {number} of book {id}")))
}

/// The revision an `If-Match` header names; required for edits.
fn expected_revision(if_match: Option<&str>, current: &Page) -> Result<u32> {
    let raw = if_match.ok_or_else(|| {
        Error::PreconditionRequired(format!(
            "send If-Match with the page's ETag ({}) so a change made meanwhile is not \
             overwritten",
            current.etag()
        ))
    })?;
    // RFC 9110: `*` matches whatever the page is now.
    if raw.trim() == "*" {
        return Ok(current.revision);
    }
    Page::revision_in(raw).ok_or_else(|| {
        Error::Stale(format!(
            "If-Match {raw:?} is not an ETag of page {}; its current ETag is {}",
            current.number,
            current.etag()
        ))
    })
}

fn stale(current: &Page, expected: u32) -> Error {
    Error::Stale(format!(
        "page {} changed: it is at revision {} (ETag {}), and the change was made to \
         revision {expected}; read the page again and reapply the change",
        current.number,
        current.revision,
        current.etag()
    ))
}

/// Stores `change(page)` as the page's next revision, re-reading when a picture lands at
/// the same moment; with `expected`, only while the page is still at that revision. A
/// change of `None` leaves the page as it is and returns it.
async fn revise<S: PageStore + RevisionStore + ?Sized>(
    store: &S,
    id: &BookId,
    number: u32,
    expected: Option<u32>,
    change: impl Fn(&Page) -> Result<Option<Page>>,
) -> Result<Page> {
    for _ in 0..ATTEMPTS {
        let current = page(store, id, number).await?;
        if let Some(expected) = expected
            && current.revision != expected
        {
            return Err(stale(&current, expected));
        }
        let Some(next) = change(&current)? else {
            return Ok(current);
        };
        match store.revise_page(&current, &next).await {
            Ok(()) => return Ok(next),
            Err(Error::Conflict(_)) => continue,
            Err(Error::Stale(why)) => match expected {
                Some(expected) => {
                    return Err(stale(&page(store, id, number).await?, expected));
                }
                None => tracing::debug!(%why, "page revised meanwhile; reading it again"),
            },
            Err(e) => return Err(e),
        }
    }
    Err(Error::Transient(format!(
        "page {number} kept changing; try again"
    )))
}

/// Replaces a page's text as a new revision; `if_match` must carry the page's current
/// ETag (else `PreconditionRequired`, or `Stale` when it changed meanwhile). The picture
/// stays; the PDF is typeset again.
pub async fn edit<S: EditingStores + ?Sized>(
    editor: &Editor<'_, S>,
    caller: &OwnerId,
    id: &BookId,
    number: u32,
    if_match: Option<&str>,
    text: &str,
) -> Result<Page> {
    let book = editable(editor.store, caller, id).await?;
    let current = page(editor.store, id, number).await?;
    let expected = expected_revision(if_match, &current)?;
    let text = revision::check_text(text)?;
    let now = editor.clock.now_ms();
    let next = revise(editor.store, id, number, Some(expected), |p| {
        Ok(Some(revision::edit(&book, p, text.clone(), now)))
    })
    .await?;
    tracing::info!(book_id = %id, page = number, revision = next.revision, "page edited");
    retypeset(editor, id).await?;
    Ok(next)
}

/// A page and its superseded revisions, oldest first.
pub async fn revisions<S>(
    store: &S,
    caller: &OwnerId,
    id: &BookId,
    number: u32,
) -> Result<(Page, Vec<Revision>)>
where
    S: BookStore + ShareStore + PageStore + RevisionStore + ?Sized,
{
    open(store, caller, id, Need::Read).await?;
    let current = page(store, id, number).await?;
    let history = store.list_revisions(id, number).await?;
    Ok((current, history))
}

/// The picture a page showed at an earlier revision (a thumbnail in its history).
pub async fn revision_picture<S>(
    store: &S,
    blobs: &dyn BlobStore,
    caller: &OwnerId,
    id: &BookId,
    number: u32,
    revision: u32,
) -> Result<crate::books::Download>
where
    S: EditingStores + ?Sized,
{
    let (_, history) = revisions(store, caller, id, number).await?;
    let what = format!("the picture of page {number} at revision {revision}");
    let key = history
        .into_iter()
        .find(|r| r.revision == revision)
        .and_then(|r| {
            (r.illustration == IllustrationStatus::Ok)
                .then_some(r.image_key)
                .flatten()
        })
        .ok_or_else(|| Error::NotFound(what.clone()))?;
    crate::books::download(blobs, &key, &what).await
}

/// Makes revision `from` current again, as a new revision: its text, and its picture when
/// it had one. With `if_match`, only while the page is still at that ETag.
pub async fn restore<S: EditingStores + ?Sized>(
    editor: &Editor<'_, S>,
    caller: &OwnerId,
    id: &BookId,
    number: u32,
    from: u32,
    if_match: Option<&str>,
) -> Result<Page> {
    editable(editor.store, caller, id).await?;
    let current = page(editor.store, id, number).await?;
    let expected = if_match
        .map(|raw| expected_revision(Some(raw), &current))
        .transpose()?;
    if from == current.revision {
        return Err(Error::Conflict(format!(
            "revision {from} of page {number} is already the current one"
        )));
    }
    let old = editor
        .store
        .list_revisions(id, number)
        .await?
        .into_iter()
        .find(|r| r.revision == from)
        .ok_or_else(|| Error::NotFound(format!("revision {from} of page {number}")))?;
    let now = editor.clock.now_ms();
    let next = revise(editor.store, id, number, expected, |p| {
        if p.illustration == IllustrationStatus::Pending && old.image_key.is_some() {
            return Err(Error::Conflict(format!(
                "page {number}'s picture is being drawn; restore once it is done"
            )));
        }
        Ok(Some(revision::restore(p, &old, now)))
    })
    .await?;
    tracing::info!(book_id = %id, page = number, from, revision = next.revision, "page restored");
    retypeset(editor, id).await?;
    Ok(next)
}

/// Redraws one page's picture (with an optional note for the illustrator); nothing else
/// is drawn again. The old picture stays in the page's history; the book goes back to
/// illustrating and is typeset again when the picture lands. Asking again while the
/// picture is being drawn only makes sure it is on its way.
pub async fn redraw<S: EditingStores + ?Sized>(
    editor: &Editor<'_, S>,
    caller: &OwnerId,
    id: &BookId,
    number: u32,
    note: Option<&str>,
) -> Result<Page> {
    editable(editor.store, caller, id).await?;
    let direction = revision::check_direction(note)?;
    let now = editor.clock.now_ms();
    // A picture already being drawn is not drawn twice; its message is only sent again.
    let next = revise(editor.store, id, number, None, |p| {
        Ok((p.illustration != IllustrationStatus::Pending)
            .then(|| revision::redraw(p, direction.clone(), now)))
    })
    .await?;
    let book = back_to_illustrating(editor.store, editor.clock, id).await?;
    let message = StageMessage::IllustratePage {
        book_id: id.clone(),
        page: number,
    };
    editor
        .queue
        .send(&Envelope::about(&book, message), Duration::ZERO)
        .await?;
    tracing::info!(book_id = %id, page = number, revision = next.revision, "picture redraw asked for");
    Ok(next)
}

/// Typesets the book again after a page changed. A book being typeset is touched so that
/// typesetting's final, versioned write loses and it runs again on the new text; a book
/// still illustrating (or paused there) is typeset when its pictures are done anyway.
async fn retypeset<S: BookStore + ?Sized>(editor: &Editor<'_, S>, id: &BookId) -> Result<()> {
    let now = editor.clock.now_ms();
    let mut moved = false;
    let book = modify_book(editor.store, id, |book| {
        moved = false;
        match book.status {
            BookStatus::Ready | BookStatus::Partial => {
                book.assembly_claimed_by = None;
                book.transition(BookStatus::Assembling, now)?;
                moved = true;
                Ok(true)
            }
            BookStatus::Assembling => {
                book.updated_at = now;
                Ok(true)
            }
            _ => Ok(false),
        }
    })
    .await?;
    match book {
        Some(book) if moved => send_assemble(editor.store, editor.queue, &book).await,
        _ => Ok(()),
    }
}
