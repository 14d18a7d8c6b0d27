//! The single table's keys and item shapes (the table sketch of the project's design
//! notes, as built):
//!
//! | PK | SK | item |
//! |---|---|---|
//! | `USER#<owner>` | `CHAR#<id>` | a character |
//! | `USER#<owner>` | `BOOK#<created, 20 digits>#<id>` | a book's listing entry |
//! | `BOOK#<id>` | `META` | the book: status, version, tally, ... |
//! | `BOOK#<id>` | `PAGE#<nnn>` | one page |
//! | `IDEM#<key>` | `IDEM` | an idempotency record, removed by TTL (`expires_at`) |
//! | `BREAKER#<provider>` | `BREAKER` | a model provider's circuit breaker |
//! | `BOOK#<id>` | `SHARE#<user>` | the book shared with a user |
//! | `USER#<user>` | `SHARED#<book>` | the same share, listed under the user it is for |
//! | `USER#<owner>` | `ALLOWANCE` | the user's standing against the limits, TTL'd when idle |
//! | `USER#<owner>` | `BUDGET` | the user's monthly budget and this month's spending |
//! | `BOOK#<id>` | `REV#<nnn>#<rev>` | a superseded page revision (immutable) |
//! | `TIMINGS` | `TIMINGS` | recent stage durations, for time estimates |
//! | `LIVE#<ticket>` | `TICKET` | a single-use WebSocket ticket, removed by TTL |
//! | `CONN#<connection>` | `CONN` | an open WebSocket: its owner and followed books (TTL) |
//! | `BOOK#<id>` | `LIVE#<connection>` | a connection following the book (TTL) |
//!
//! The `META` item carries `inflight_pk`/`inflight_sk` only while the pipeline works on the
//! book, which makes the `in-flight` GSI sparse: the sweeper queries stalled books without
//! a scan. Its partition is sharded so no single key takes every in-flight write.

use aws_sdk_dynamodb::types::AttributeValue;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use storyloom_domain::{Book, BookId, CharacterId, Error, OwnerId, Result};

/// An item as the SDK sees it.
pub(crate) type Item = HashMap<String, AttributeValue>;

pub(crate) const PK: &str = "PK";
pub(crate) const SK: &str = "SK";
pub(crate) const META: &str = "META";
pub(crate) const IDEM: &str = "IDEM";
pub(crate) const BREAKER: &str = "BREAKER";
pub(crate) const ALLOWANCE: &str = "ALLOWANCE";
pub(crate) const BUDGET: &str = "BUDGET";
pub(crate) const TIMINGS: &str = "TIMINGS";
/// The sparse in-flight index and its key attributes.
pub(crate) const IN_FLIGHT_INDEX: &str = "in-flight";
pub(crate) const IN_FLIGHT_PK: &str = "inflight_pk";
pub(crate) const IN_FLIGHT_SK: &str = "inflight_sk";
/// Shards of the in-flight index's partition key.
pub(crate) const IN_FLIGHT_SHARDS: u64 = 4;
/// The attribute DynamoDB's TTL reads (epoch seconds), for records that expire.
pub const TTL_ATTRIBUTE: &str = "expires_at";

pub(crate) fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

pub(crate) fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

pub(crate) fn user_pk(owner: &OwnerId) -> String {
    format!("USER#{owner}")
}

pub(crate) fn char_sk(id: &CharacterId) -> String {
    format!("CHAR#{id}")
}

pub(crate) fn book_pk(id: &BookId) -> String {
    format!("BOOK#{id}")
}

pub(crate) fn listing_sk(book: &Book) -> String {
    format!("BOOK#{:020}#{}", book.created_at, book.id)
}

pub(crate) fn breaker_pk(provider: &str) -> String {
    format!("BREAKER#{provider}")
}

pub(crate) fn idem_pk(key: &str) -> String {
    format!("IDEM#{key}")
}

pub(crate) fn share_sk(user: &OwnerId) -> String {
    format!("SHARE#{user}")
}

pub(crate) fn shared_sk(book: &BookId) -> String {
    format!("SHARED#{book}")
}

pub(crate) fn page_sk(n: u32) -> String {
    format!("PAGE#{n:03}")
}

/// Every revision of one page sorts under this prefix, oldest first.
pub(crate) fn revisions_prefix(page: u32) -> String {
    format!("REV#{page:03}#")
}

pub(crate) fn revision_sk(page: u32, revision: u32) -> String {
    format!("{}{revision:08}", revisions_prefix(page))
}

/// The in-flight shard a book's index entry lives in (stable across processes).
pub(crate) fn in_flight_shard(id: &BookId) -> String {
    let h = id.as_str().bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("INFLIGHT#{}", h % IN_FLIGHT_SHARDS)
}

/// Every shard of the in-flight index.
pub(crate) fn in_flight_shards() -> impl Iterator<Item = String> {
    (0..IN_FLIGHT_SHARDS).map(|i| format!("INFLIGHT#{i}"))
}

/// One value as an attribute (serde_dynamo), for expression values.
pub(crate) fn attribute(value: impl Serialize) -> Result<AttributeValue> {
    serde_dynamo::aws_sdk_dynamodb_1::to_attribute_value(value)
        .map_err(|e| Error::Permanent(format!("cannot store attribute: {e}")))
}

/// A value as item attributes (serde_dynamo), plus its keys.
pub(crate) fn to_item(value: &impl Serialize, pk: String, sk: String) -> Result<Item> {
    let mut item: Item = serde_dynamo::aws_sdk_dynamodb_1::to_item(value)
        .map_err(|e| Error::Permanent(format!("cannot store item: {e}")))?;
    item.insert(PK.into(), s(pk));
    item.insert(SK.into(), s(sk));
    Ok(item)
}

/// An item back as a value; key and index attributes are ignored.
pub(crate) fn from_item<T: DeserializeOwned>(item: Item) -> Result<T> {
    serde_dynamo::aws_sdk_dynamodb_1::from_item(item)
        .map_err(|e| Error::Permanent(format!("a stored item does not parse: {e}")))
}

/// The `META` item of a book: the book's attributes plus the in-flight index keys while
/// the pipeline works on it.
pub(crate) fn book_item(book: &Book) -> Result<Item> {
    let mut item = to_item(book, book_pk(&book.id), META.into())?;
    if book.status.in_flight() {
        item.insert(IN_FLIGHT_PK.into(), s(in_flight_shard(&book.id)));
        item.insert(IN_FLIGHT_SK.into(), n(book.stage_started_at));
    }
    Ok(item)
}
