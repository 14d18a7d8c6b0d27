//! The ports: what the application needs from the world, as traits. Adapters implement them
//! (embedded files and in-process queues locally; DynamoDB, SQS, S3, Secrets Manager and
//! managed model providers on AWS).

use crate::book::{Book, IllustrationTally};
use crate::breaker::Breaker;
use crate::budget::Budget;
use crate::character::Character;
use crate::error::Result;
use crate::idempotency::{Claim, IdempotencyRecord, StoredResponse};
use crate::ids::{BookId, CharacterId, OwnerId};
use crate::limits::Allowance;
use crate::live::{Connection, ConnectionId, Delivery, LiveTicket, Subscription};
use crate::message::{Envelope, QueueName};
use crate::page::{IllustrationStatus, Page};
use crate::revision::Revision;
use crate::share::Share;
use crate::timings::StageTimings;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::time::Duration;

// The types the model and typesetting ports speak in live in files named for them; they
// are re-exported here so an adapter names a port and its types from one place.
pub use crate::models::{
    CastMember, CharacterLook, ImageRequest, ImageResponse, ModelInfo, PICTURE_HEIGHT,
    PICTURE_WIDTH, StoryBrief, TextRequest, TextResponse, TextTask, Usage,
};
pub use crate::print::{PrintBook, PrintPage};
pub use crate::retry::backoff;

/// Characters, books and pages (and, through [`LiveStore`], who watches them live).
///
/// Every write that moves state is conditional, so concurrent or redelivered work can never
/// overwrite newer state.
#[async_trait]
pub trait BookStore: LiveStore + Send + Sync {
    /// Saves a new character; `Conflict` if the id exists.
    async fn put_character(&self, character: &Character) -> Result<()>;
    /// One of the owner's characters.
    async fn get_character(&self, owner: &OwnerId, id: &CharacterId) -> Result<Option<Character>>;
    /// The owner's characters, oldest first.
    async fn list_characters(&self, owner: &OwnerId) -> Result<Vec<Character>>;
    /// Replaces one of the owner's characters (an edit); `NotFound` if there is none.
    async fn update_character(&self, character: &Character) -> Result<()>;
    /// Deletes one of the owner's characters; false when there was none.
    async fn delete_character(&self, owner: &OwnerId, id: &CharacterId) -> Result<bool>;

    /// Saves a new book; `Conflict` if the id exists.
    async fn create_book(&self, book: &Book) -> Result<()>;
    /// A book by id, whoever owns it (callers check ownership).
    async fn get_book(&self, id: &BookId) -> Result<Option<Book>>;
    /// The owner's books, newest first.
    async fn list_books(&self, owner: &OwnerId) -> Result<Vec<Book>>;
    /// Replaces the book if the stored version still equals `book.version` (else
    /// `Conflict`), storing it as `version + 1`, and returns what was stored. The
    /// illustration tally is the store's own and is never overwritten here.
    async fn update_book(&self, book: &Book) -> Result<Book>;

    /// Writes a page's text and staging (a new draft); the picture state is kept as given.
    async fn put_page(&self, page: &Page) -> Result<()>;
    /// One page.
    async fn get_page(&self, book: &BookId, number: u32) -> Result<Option<Page>>;
    /// Every page of a book, in order.
    async fn list_pages(&self, book: &BookId) -> Result<Vec<Page>>;
    /// Notes that a worker started drawing a pending page (for progress).
    async fn start_illustration(&self, book: &BookId, number: u32, now: u64) -> Result<()>;
    /// Atomically moves a *pending* page's picture to a terminal state and counts it on the
    /// book. Returns whether this call applied the change (false for a redelivery) and the
    /// tally after it.
    async fn finish_illustration(
        &self,
        book: &BookId,
        number: u32,
        outcome: &IllustrationOutcome,
    ) -> Result<(bool, IllustrationTally)>;

    /// Atomically moves every *failed* picture of a book back to pending, uncounting it from
    /// the tally (flagged and finished pictures stay). Returns the pages reopened; a
    /// repeat reopens nothing.
    async fn reopen_failed_illustrations(&self, book: &BookId) -> Result<Vec<u32>>;

    /// Makes `next` the page's current revision and stores `current` (the page as the
    /// caller read it) in its history, in one atomic step. It holds only while the stored
    /// page is still `current`: another revision since is `Stale`, a picture that changed
    /// meanwhile (a drawing landed) is `Conflict` (read again and retry). When the
    /// picture's state changes (a redraw makes it pending, a restore brings one back) the
    /// book's tally follows.
    async fn revise_page(&self, current: &Page, next: &Page) -> Result<()>;
    /// A page's superseded revisions, oldest first (the page itself is the current one).
    async fn list_revisions(&self, book: &BookId, number: u32) -> Result<Vec<Revision>>;

    /// An owner's budget (no limit, nothing spent, version 0, when never stored).
    async fn get_budget(&self, owner: &OwnerId) -> Result<Budget>;
    /// Stores a budget if the stored version still equals `budget.version` (else
    /// `Conflict`), as `version + 1`; returns what was stored.
    async fn put_budget(&self, budget: &Budget) -> Result<Budget>;

    /// Recent stage durations (empty, version 0, when never stored).
    async fn get_timings(&self) -> Result<StageTimings>;
    /// Stores timings if the stored version still equals `timings.version` (else
    /// `Conflict`), as `version + 1`; returns what was stored.
    async fn put_timings(&self, timings: &StageTimings) -> Result<StageTimings>;

    /// A provider's circuit breaker (closed, version 0, when never stored).
    async fn get_breaker(&self, provider: &str) -> Result<Breaker>;
    /// Stores a breaker if the stored version still equals `breaker.version` (else
    /// `Conflict`), as `version + 1`; returns what was stored.
    async fn put_breaker(&self, breaker: &Breaker) -> Result<Breaker>;

    /// Books the pipeline is working on whose current stage started before
    /// `started_before` (ms), oldest first, at most `limit`: the sweeper's view, served
    /// from an index of in-flight books rather than a scan of every book.
    async fn in_flight_books(&self, started_before: u64, limit: u32) -> Result<Vec<Book>>;

    /// Claims an idempotency key with `record` (in progress) unless a record that still
    /// [holds](IdempotencyRecord::holds) the key at `now` exists; that one is returned.
    /// Atomic: of two concurrent claims, one starts and the other sees it.
    async fn claim_idempotency(&self, record: &IdempotencyRecord, now: u64) -> Result<Claim>;
    /// Completes a claim with the response to replay.
    async fn complete_idempotency(&self, key: &str, response: &StoredResponse) -> Result<()>;
    /// Drops a claim whose request failed, so the client may try again.
    async fn release_idempotency(&self, key: &str) -> Result<()>;
    /// Deletes records expired at `now`, returning how many. Stores with native expiry
    /// (DynamoDB's TTL) leave it to that and return 0.
    async fn purge_expired(&self, now: u64) -> Result<u32>;

    /// Deletes a book with its listing entry, pages and shares. Safe to repeat: a delete
    /// cut short is finished by the next one (the book itself goes last).
    async fn delete_book(&self, id: &BookId) -> Result<()>;

    /// Shares a book with `share.user`, replacing any earlier share with that user.
    async fn put_share(&self, share: &Share) -> Result<()>;
    /// One user's share of a book.
    async fn get_share(&self, book: &BookId, user: &OwnerId) -> Result<Option<Share>>;
    /// Every share of a book, oldest first.
    async fn list_shares(&self, book: &BookId) -> Result<Vec<Share>>;
    /// Every book shared with `user`, newest share first.
    async fn shared_with(&self, user: &OwnerId) -> Result<Vec<Share>>;
    /// Revokes a share; false when there was none.
    async fn delete_share(&self, book: &BookId, user: &OwnerId) -> Result<bool>;

    /// A user's standing against the limits (`None` before their first request).
    async fn get_allowance(&self, owner: &OwnerId) -> Result<Option<Allowance>>;
    /// Stores an allowance if the stored version still equals `allowance.version` (0: none
    /// stored), else `Conflict`; returns what was stored (`version + 1`).
    async fn put_allowance(&self, allowance: &Allowance) -> Result<Allowance>;
}

/// How a page's picture ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IllustrationOutcome {
    pub status: IllustrationStatus,
    pub image_key: Option<String>,
    pub note: Option<String>,
    /// What drawing it cost, in millionths of a dollar; added to the book's tally.
    pub cost_micros: u64,
}

/// Live-progress tickets, connections and subscriptions, kept beside the books they follow.
/// Every record expires on its own (tickets in a minute, connections after API Gateway's
/// two hours), so a lost disconnect leaves nothing behind for long.
#[async_trait]
pub trait LiveStore: Send + Sync {
    /// Saves a fresh ticket.
    async fn put_ticket(&self, ticket: &LiveTicket) -> Result<()>;
    /// Uses a ticket up: removes it and returns its owner if it existed and had not
    /// expired at `now`. Of two concurrent redemptions at most one gets the owner.
    async fn redeem_ticket(&self, ticket: &str, now: u64) -> Result<Option<OwnerId>>;
    /// Saves an opened connection (a repeated connect replaces it).
    async fn put_connection(&self, connection: &Connection) -> Result<()>;
    /// A connection, unless it closed or expired by `now`.
    async fn get_connection(&self, id: &ConnectionId, now: u64) -> Result<Option<Connection>>;
    /// Subscribes a connection to a book and notes the book on the connection; `NotFound`
    /// if the connection is gone, `Invalid` past [`crate::live::MAX_SUBSCRIPTIONS`].
    /// Subscribing twice is one subscription.
    async fn subscribe(&self, subscription: &Subscription) -> Result<()>;
    /// The live subscriptions to a book at `now`.
    async fn subscribers(&self, book: &BookId, now: u64) -> Result<Vec<Subscription>>;
    /// Removes a connection and all its subscriptions; removing one twice is fine.
    async fn remove_connection(&self, id: &ConnectionId) -> Result<()>;
}

/// Sends a frame down an open WebSocket (API Gateway's management API on AWS).
#[async_trait]
pub trait Pusher: Send + Sync {
    /// Sends `frame` to `to`; [`Delivery::Gone`] when the client is no longer there.
    async fn push(&self, to: &ConnectionId, frame: &[u8]) -> Result<Delivery>;
}

/// A message as a consumer receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub message_id: String,
    /// The raw body: parsed by the consumer, so a malformed one can be dead-lettered.
    pub body: String,
    /// Hand this back to `ack` or `retry_later`.
    pub receipt: String,
    /// 1 on first delivery.
    pub receive_count: u32,
}

/// At-least-once work queues with SQS semantics: delays, visibility timeouts, receive counts
/// and a dead-letter queue after a bounded number of receives.
#[async_trait]
pub trait JobQueue: Send + Sync {
    /// Sends a message to its stage's queue, visible after `delay`.
    async fn send(&self, envelope: &Envelope, delay: Duration) -> Result<()>;
    /// Receives up to `max` visible messages, hiding them for `visibility`.
    async fn receive(
        &self,
        queue: QueueName,
        max: u32,
        visibility: Duration,
    ) -> Result<Vec<Received>>;
    /// Deletes a handled message.
    async fn ack(&self, queue: QueueName, receipt: &str) -> Result<()>;
    /// Makes a message visible again after `delay` (backoff for a transient failure).
    async fn retry_later(&self, queue: QueueName, receipt: &str, delay: Duration) -> Result<()>;
    /// How many messages sit in the queue's dead-letter queue.
    async fn dead_letter_count(&self, queue: QueueName) -> Result<u64>;
    /// Receives up to `max` messages from the queue's dead-letter queue, hiding them for
    /// `visibility` (they stay there until acked with [`JobQueue::ack_dead_letter`]).
    async fn receive_dead_letters(
        &self,
        queue: QueueName,
        max: u32,
        visibility: Duration,
    ) -> Result<Vec<Received>>;
    /// Deletes a handled dead letter.
    async fn ack_dead_letter(&self, queue: QueueName, receipt: &str) -> Result<()>;
}

/// Pictures and PDFs.
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores bytes under a key (`books/<id>/...`), replacing any previous value.
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<()>;
    /// The bytes under a key.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>>;
    /// Removes a key (no error when absent).
    async fn delete(&self, key: &str) -> Result<()>;
    /// A short-lived URL a client may download from directly, when the store offers one.
    async fn presign_get(&self, key: &str, ttl: Duration) -> Result<Option<String>>;
    /// Every blob whose key starts with `prefix`, in key order.
    async fn list(&self, prefix: &str) -> Result<Vec<BlobInfo>>;
}

/// A stored blob, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    pub key: String,
    pub size: u64,
    /// Last written, ms since the epoch.
    pub modified_ms: u64,
}

/// Credentials, read at run time and cached for a bounded time.
#[async_trait]
pub trait Secrets: Send + Sync {
    /// The secret's value, or `None` when it is not set.
    async fn get(&self, name: &str) -> Result<Option<String>>;
}

/// Milliseconds since the Unix epoch.
pub trait Clock: Send + Sync {
    /// Now.
    fn now_ms(&self) -> u64;
}

/// Writes text.
#[async_trait]
pub trait TextModel: Send + Sync {
    /// Who this model is.
    fn info(&self) -> ModelInfo;
    /// One completion. Errors are classified: transient, permanent or policy block.
    async fn generate(&self, request: &TextRequest) -> Result<TextResponse>;
}

/// Draws pictures.
#[async_trait]
pub trait ImageModel: Send + Sync {
    /// Who this model is.
    fn info(&self) -> ModelInfo;
    /// One picture, as PNG.
    async fn draw(&self, request: &ImageRequest) -> Result<ImageResponse>;
}

/// Typesets books.
#[async_trait]
pub trait BookRenderer: Send + Sync {
    /// A print-ready PDF.
    async fn render_pdf(&self, book: &PrintBook) -> Result<Vec<u8>>;
    /// An EPUB 3 e-book: the same pages, with the pictures and their descriptions.
    async fn render_epub(&self, book: &PrintBook) -> Result<Vec<u8>>;
}
