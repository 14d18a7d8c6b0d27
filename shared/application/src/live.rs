//! Live progress over a WebSocket (on AWS; the local stack streams Server-Sent Events):
//! a ticket from the HTTP API, a connection opened with it, subscriptions to books, and a
//! push of the book's progress to every follower whenever the book changes.
//!
//! A refused request on an open connection is answered down the connection as a `problem`
//! event: API Gateway drops a route's return value unless a route response is declared,
//! and the client is listening on the socket anyway.

use crate::books;
use crate::timings::TimingsCache;
use std::collections::BTreeMap;
use storyloom_domain::live::{
    Connection, ConnectionId, Delivery, LiveEvent, LiveRequest, LiveTicket, Subscription,
};
use storyloom_domain::ports::{
    BookStore, Clock, LiveStore, OperationsStore, PageStore, Pusher, ShareStore,
};
use storyloom_domain::{BookId, Error, OwnerId, Progress, Result};

/// The stores following a book reads and writes: the connections and subscriptions, and
/// what a book's progress is made of.
pub trait FollowingStores:
    LiveStore + BookStore + ShareStore + PageStore + OperationsStore
{
}

impl<S> FollowingStores for S where
    S: LiveStore + BookStore + ShareStore + PageStore + OperationsStore + ?Sized
{
}

/// A ticket for `owner` to open one WebSocket with, within a minute.
pub async fn issue_ticket(
    store: &dyn LiveStore,
    clock: &dyn Clock,
    owner: &OwnerId,
) -> Result<LiveTicket> {
    let ticket = LiveTicket::issue(owner.clone(), clock.now_ms());
    store.put_ticket(&ticket).await?;
    Ok(ticket)
}

/// Opens connection `id` for whoever `ticket` was issued to, using the ticket up.
/// `Forbidden` when it is missing, unknown, used or expired.
pub async fn connect(
    store: &dyn LiveStore,
    clock: &dyn Clock,
    id: &ConnectionId,
    ticket: Option<&str>,
) -> Result<Connection> {
    let refused = || {
        Error::Forbidden(
            "connect with ?ticket=<ticket> from POST /v1/live/tickets; a ticket works once, \
             within a minute"
                .into(),
        )
    };
    let ticket = ticket
        .filter(|t| LiveTicket::well_formed(t))
        .ok_or_else(refused)?;
    let now = clock.now_ms();
    let owner = store
        .redeem_ticket(ticket, now)
        .await?
        .ok_or_else(refused)?;
    let connection = Connection::open(id.clone(), owner, now);
    store.put_connection(&connection).await?;
    Ok(connection)
}

/// Handles a message on connection `id`: a subscription answered with the book's progress
/// now, or a `problem` event saying what was wrong. `Err` only when the work could not be
/// done (worth the client's retry).
pub async fn receive<S: FollowingStores + ?Sized>(
    store: &S,
    clock: &dyn Clock,
    timings: &TimingsCache,
    pusher: &dyn Pusher,
    id: &ConnectionId,
    body: &str,
) -> Result<()> {
    let Some(connection) = store.get_connection(id, clock.now_ms()).await? else {
        // Closed while the message was in flight: nobody to answer.
        return Ok(());
    };
    let event = match subscribe(store, clock, timings, &connection, body).await {
        Ok(event) => event,
        Err(refusal) => refusal.into_event()?,
    };
    // A client that left meanwhile is cleaned up by its disconnect.
    pusher.push(id, &event.to_frame()).await.map(drop)
}

/// Why a message was refused, with the book it named.
struct Refusal {
    book_id: Option<String>,
    error: Error,
}

impl Refusal {
    /// The refusal as a `problem` event, or the error itself when it is not the client's.
    fn into_event(self) -> Result<LiveEvent> {
        let status = match &self.error {
            Error::Invalid(_) => 400,
            Error::NotFound(_) => 404,
            Error::Forbidden(_) => 403,
            _ => return Err(self.error),
        };
        Ok(LiveEvent::Problem {
            book_id: self.book_id,
            status,
            detail: self.error.to_string(),
        })
    }
}

async fn subscribe<S: FollowingStores + ?Sized>(
    store: &S,
    clock: &dyn Clock,
    timings: &TimingsCache,
    connection: &Connection,
    body: &str,
) -> std::result::Result<LiveEvent, Refusal> {
    let request: LiveRequest = serde_json::from_str(body).map_err(|e| Refusal {
        book_id: None,
        error: Error::invalid(
            "message",
            format!("send {{\"action\":\"subscribe\",\"book_id\":\"<id>\"}}: {e}"),
        ),
    })?;
    let LiveRequest::Subscribe { book_id } = request;
    let refuse = |error| Refusal {
        book_id: Some(book_id.clone()),
        error,
    };
    let book = BookId::parse(&book_id).map_err(refuse)?;
    // Reading the progress checks the caller may see the book.
    let progress = books::progress(store, clock, timings, &connection.owner, &book)
        .await
        .map_err(refuse)?;
    let subscription = Subscription {
        book,
        connection: connection.id.clone(),
        owner: connection.owner.clone(),
        expires_at_ms: connection.expires_at_ms,
    };
    store.subscribe(&subscription).await.map_err(refuse)?;
    Ok(LiveEvent::Progress {
        book_id,
        progress: Box::new(progress),
    })
}

/// Closes connection `id`: it and its subscriptions are removed.
pub async fn disconnect(store: &dyn LiveStore, id: &ConnectionId) -> Result<()> {
    store.remove_connection(id).await
}

/// What one notification did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Notified {
    /// Frames delivered.
    pub pushed: u32,
    /// Connections found gone, and removed.
    pub gone: u32,
    /// Followers who may no longer see the book (unshared or deleted): nothing sent.
    pub hidden: u32,
}

/// Pushes book `id`'s progress to everyone following it; connections found gone are
/// removed. A push that fails for a passing reason fails the call after every other
/// follower was served, so the change is delivered again (a repeat only repeats a
/// snapshot).
pub async fn notify<S: FollowingStores + ?Sized>(
    store: &S,
    clock: &dyn Clock,
    timings: &TimingsCache,
    pusher: &dyn Pusher,
    id: &BookId,
) -> Result<Notified> {
    let followers = store.subscribers(id, clock.now_ms()).await?;
    let mut done = Notified::default();
    if followers.is_empty() {
        return Ok(done);
    }
    // One view per reader: access is checked as each of them.
    let mut frames: BTreeMap<OwnerId, Option<Vec<u8>>> = BTreeMap::new();
    let mut failure = None;
    for follower in followers {
        if !frames.contains_key(&follower.owner) {
            let frame = match books::progress(store, clock, timings, &follower.owner, id).await {
                Ok(progress) => Some(progress_frame(id, progress)),
                Err(Error::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
            frames.insert(follower.owner.clone(), frame);
        }
        let Some(Some(frame)) = frames.get(&follower.owner) else {
            done.hidden += 1;
            continue;
        };
        match pusher.push(&follower.connection, frame).await {
            Ok(Delivery::Delivered) => done.pushed += 1,
            Ok(Delivery::Gone) => {
                store.remove_connection(&follower.connection).await?;
                done.gone += 1;
            }
            Err(e) => {
                tracing::warn!(connection = %follower.connection, error = %e, "push failed");
                failure.get_or_insert(e);
            }
        }
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(done),
    }
}

fn progress_frame(id: &BookId, progress: Progress) -> Vec<u8> {
    LiveEvent::Progress {
        book_id: id.to_string(),
        progress: Box::new(progress),
    }
    .to_frame()
}
