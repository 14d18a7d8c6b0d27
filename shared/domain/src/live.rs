//! Live progress over a WebSocket (the AWS half; the local stack streams Server-Sent
//! Events). A browser cannot put a bearer token on a WebSocket handshake, so it first
//! asks the (authorised) HTTP API for a short-lived, single-use ticket and connects with
//! it; the connection then subscribes to books, and every change of a subscribed book is
//! pushed to it as the same `progress` event the local stream sends.

use crate::error::{Error, Result};
use crate::ids::{BookId, OwnerId};
use crate::progress::Progress;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How long a ticket may wait to be used.
pub const TICKET_TTL_MS: u64 = 60_000;
/// API Gateway closes a WebSocket after two hours; a connection's records outlive it by a
/// margin so the store's TTL, not a race, removes the ones whose disconnect never came.
pub const CONNECTION_TTL_MS: u64 = 2 * 60 * 60 * 1_000 + 10 * 60 * 1_000;
/// Books one connection may follow at once (a reader watches a handful).
pub const MAX_SUBSCRIPTIONS: usize = 20;
/// The longest connection id accepted (API Gateway's are 16 characters).
const MAX_CONNECTION_ID: usize = 128;

/// API Gateway's id for one WebSocket connection.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ConnectionId(String);

impl ConnectionId {
    /// Parses an id: 1–128 characters of base64 and `-`/`_` (what API Gateway mints), so
    /// it can sit in a key or a URL path without escaping.
    pub fn parse(raw: &str) -> Result<Self> {
        let ok = !raw.is_empty()
            && raw.len() <= MAX_CONNECTION_ID
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '=' | '+' | '-' | '_'));
        if ok {
            Ok(ConnectionId(raw.to_owned()))
        } else {
            Err(Error::invalid(
                "connection id",
                "must be 1 to 128 letters, digits, '=', '+', '-' or '_'",
            ))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ConnectionId {
    type Error = Error;
    fn try_from(raw: String) -> Result<Self> {
        ConnectionId::parse(&raw)
    }
}

impl From<ConnectionId> for String {
    fn from(id: ConnectionId) -> String {
        id.0
    }
}

impl fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A single-use pass from the HTTP API to the WebSocket API, naming who asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveTicket {
    /// Random, unguessable (122 bits).
    pub ticket: String,
    pub owner: OwnerId,
    pub expires_at_ms: u64,
}

impl LiveTicket {
    /// A fresh ticket for `owner`, usable for [`TICKET_TTL_MS`] from `now`.
    pub fn issue(owner: OwnerId, now: u64) -> LiveTicket {
        LiveTicket {
            ticket: uuid::Uuid::new_v4().simple().to_string(),
            owner,
            expires_at_ms: now + TICKET_TTL_MS,
        }
    }

    /// Whether a ticket of this shape could have been issued: checked before the store is
    /// asked, so junk from a query string never becomes a key.
    pub fn well_formed(raw: &str) -> bool {
        raw.len() == 32 && raw.chars().all(|c| c.is_ascii_hexdigit())
    }
}

/// An open WebSocket and who opened it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    pub id: ConnectionId,
    pub owner: OwnerId,
    pub connected_at_ms: u64,
    pub expires_at_ms: u64,
    /// The books it follows, so a disconnect can remove every subscription.
    #[serde(default)]
    pub books: Vec<BookId>,
}

impl Connection {
    /// A connection `owner` opened at `now`.
    pub fn open(id: ConnectionId, owner: OwnerId, now: u64) -> Connection {
        Connection {
            id,
            owner,
            connected_at_ms: now,
            expires_at_ms: now + CONNECTION_TTL_MS,
            books: Vec::new(),
        }
    }
}

/// A connection following one book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub book: BookId,
    pub connection: ConnectionId,
    /// Whose eyes: the progress pushed is read as this user, so a share revoked since
    /// stops the pushes.
    pub owner: OwnerId,
    pub expires_at_ms: u64,
}

/// The refusal past [`MAX_SUBSCRIPTIONS`], the same from every store.
pub fn too_many_subscriptions() -> Error {
    Error::invalid(
        "book_id",
        format!("a connection follows at most {MAX_SUBSCRIPTIONS} books; open another"),
    )
}

/// What a connection sends: `{"action":"subscribe","book_id":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum LiveRequest {
    /// Follow a book's progress.
    Subscribe { book_id: String },
}

/// What is pushed down a connection.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum LiveEvent {
    /// The book's progress changed (the body the local stream's `progress` event carries).
    Progress {
        book_id: String,
        progress: Box<Progress>,
    },
    /// A request on the connection was refused; `detail` says why.
    Problem {
        book_id: Option<String>,
        status: u16,
        detail: String,
    },
}

impl LiveEvent {
    /// The event as the text frame sent.
    pub fn to_frame(&self) -> Vec<u8> {
        // Plain data with string keys: serialising cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// Whether a push reached its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    /// The client went away; its records should be removed.
    Gone,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_ids_are_what_api_gateway_mints_and_nothing_that_escapes_a_key() {
        assert!(ConnectionId::parse("L0SM9cOFvHcCIhw=").is_ok());
        for bad in ["", "a#b", "a/b", "a b", &"x".repeat(129)] {
            assert!(ConnectionId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn tickets_are_random_single_shape_and_expire() {
        let owner = OwnerId::parse("reader-1").expect("valid");
        let a = LiveTicket::issue(owner.clone(), 1_000);
        let b = LiveTicket::issue(owner, 1_000);
        assert_ne!(a.ticket, b.ticket);
        assert!(LiveTicket::well_formed(&a.ticket));
        assert!(!LiveTicket::well_formed("BOOK#x"));
        assert_eq!(a.expires_at_ms, 1_000 + TICKET_TTL_MS);
    }

    #[test]
    fn requests_parse_strictly() {
        let r: LiveRequest =
            serde_json::from_str(r#"{"action":"subscribe","book_id":"b-1"}"#).expect("valid");
        assert_eq!(
            r,
            LiveRequest::Subscribe {
                book_id: "b-1".into()
            }
        );
        assert!(serde_json::from_str::<LiveRequest>(r#"{"action":"shout"}"#).is_err());
        assert!(
            serde_json::from_str::<LiveRequest>(r#"{"action":"subscribe","book_id":"b","x":1}"#)
                .is_err()
        );
    }
}
