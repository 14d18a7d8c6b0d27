//! The store, one port per aggregate: characters, books, pages and their pictures,
//! revisions, shares, idempotency records, spending (budgets and allowances), operations
//! (breakers and timings) and live progress. A use case names the ones it calls; a process
//! wires one adapter that is all of them ([`Store`]).
//!
//! Every write that moves state is conditional, so concurrent or redelivered work can never
//! overwrite newer state.

use crate::book::{Book, IllustrationTally};
use crate::breaker::Breaker;
use crate::budget::Budget;
use crate::character::Character;
use crate::error::Result;
use crate::idempotency::{Claim, IdempotencyRecord, StoredResponse};
use crate::ids::{BookId, CharacterId, OwnerId};
use crate::limits::Allowance;
use crate::live::{Connection, ConnectionId, LiveTicket, Subscription};
use crate::page::{IllustrationStatus, Page};
use crate::revision::Revision;
use crate::share::Share;
use crate::timings::StageTimings;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// Every store port at once: what a process wires (one adapter over one database) and
/// hands to its use cases.
pub trait Store:
    CharacterStore
    + BookStore
    + PageStore
    + RevisionStore
    + ShareStore
    + IdempotencyStore
    + SpendingStore
    + OperationsStore
    + LiveStore
{
}

impl<T> Store for T where
    T: CharacterStore
        + BookStore
        + PageStore
        + RevisionStore
        + ShareStore
        + IdempotencyStore
        + SpendingStore
        + OperationsStore
        + LiveStore
{
}

/// A person's saved characters.
#[async_trait]
pub trait CharacterStore: Send + Sync {
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
}

/// Books: created once, listed per owner, updated only from the version read, deleted with
/// everything of theirs; and the sweeper's index of the books in flight.
#[async_trait]
pub trait BookStore: Send + Sync {
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

    /// Deletes a book with its listing entry, pages and shares. Safe to repeat: a delete
    /// cut short is finished by the next one (the book itself goes last).
    async fn delete_book(&self, id: &BookId) -> Result<()>;

    /// Books the pipeline is working on whose current stage started before
    /// `started_before` (ms), oldest first, at most `limit`: the sweeper's view, served
    /// from an index of in-flight books rather than a scan of every book.
    async fn in_flight_books(&self, started_before: u64, limit: u32) -> Result<Vec<Book>>;
}

/// A book's pages and their pictures, whose outcomes are counted on the book exactly once.
#[async_trait]
pub trait PageStore: Send + Sync {
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
}

/// A page's edits: each one a new revision, the earlier ones kept.
#[async_trait]
pub trait RevisionStore: Send + Sync {
    /// Makes `next` the page's current revision and stores `current` (the page as the
    /// caller read it) in its history, in one atomic step. It holds only while the stored
    /// page is still `current`: another revision since is `Stale`, a picture that changed
    /// meanwhile (a drawing landed) is `Conflict` (read again and retry). When the
    /// picture's state changes (a redraw makes it pending, a restore brings one back) the
    /// book's tally follows.
    async fn revise_page(&self, current: &Page, next: &Page) -> Result<()>;

    /// A page's superseded revisions, oldest first (the page itself is the current one).
    async fn list_revisions(&self, book: &BookId, number: u32) -> Result<Vec<Revision>>;
}

/// Who else may read or edit a book.
#[async_trait]
pub trait ShareStore: Send + Sync {
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
}

/// Idempotency records: a retried create answers as the first one did.
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
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
}

/// An owner's standing: their monthly budget and their allowance against the limits.
#[async_trait]
pub trait SpendingStore: Send + Sync {
    /// An owner's budget (no limit, nothing spent, version 0, when never stored).
    async fn get_budget(&self, owner: &OwnerId) -> Result<Budget>;

    /// Stores a budget if the stored version still equals `budget.version` (else
    /// `Conflict`), as `version + 1`; returns what was stored.
    async fn put_budget(&self, budget: &Budget) -> Result<Budget>;

    /// A user's standing against the limits (`None` before their first request).
    async fn get_allowance(&self, owner: &OwnerId) -> Result<Option<Allowance>>;

    /// Stores an allowance if the stored version still equals `allowance.version` (0: none
    /// stored), else `Conflict`; returns what was stored (`version + 1`).
    async fn put_allowance(&self, allowance: &Allowance) -> Result<Allowance>;
}

/// What every process shares to run well: the providers' circuit breakers and the recent
/// stage timings.
#[async_trait]
pub trait OperationsStore: Send + Sync {
    /// A provider's circuit breaker (closed, version 0, when never stored).
    async fn get_breaker(&self, provider: &str) -> Result<Breaker>;

    /// Stores a breaker if the stored version still equals `breaker.version` (else
    /// `Conflict`), as `version + 1`; returns what was stored.
    async fn put_breaker(&self, breaker: &Breaker) -> Result<Breaker>;

    /// Recent stage durations (empty, version 0, when never stored).
    async fn get_timings(&self) -> Result<StageTimings>;

    /// Stores timings if the stored version still equals `timings.version` (else
    /// `Conflict`), as `version + 1`; returns what was stored.
    async fn put_timings(&self, timings: &StageTimings) -> Result<StageTimings>;
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
