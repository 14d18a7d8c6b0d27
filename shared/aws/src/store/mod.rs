//! The store on one DynamoDB table (layout in [`crate::item`]), one file per port. Every state change is a
//! conditional write: creation only where nothing exists, book updates only at the version
//! read, a picture finished only while still pending — so redeliveries and races can never
//! overwrite newer state.

use crate::error::{classify, code};
use crate::item::{
    ALLOWANCE, BREAKER, BUDGET, IDEM, IN_FLIGHT_INDEX, IN_FLIGHT_PK, IN_FLIGHT_SK, Item, META, PK,
    SK, TIMINGS, TTL_ATTRIBUTE, attribute, book_item, book_pk, breaker_pk, char_sk, from_item,
    idem_pk, in_flight_shards, listing_sk, n, page_sk, revision_sk, revisions_prefix, s, share_sk,
    shared_sk, to_item, user_pk,
};
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeValue, Delete, KeysAndAttributes, Put, ReturnValue, TransactWriteItem, Update,
};
use std::collections::HashMap;
use std::time::Duration;
use storyloom_domain::book::IllustrationTally;
use storyloom_domain::breaker::Breaker;
use storyloom_domain::budget::Budget;
use storyloom_domain::idempotency::{Claim, IdempotencyRecord, IdempotencyStatus, StoredResponse};
use storyloom_domain::ports::{
    BookStore, CharacterStore, IdempotencyStore, IllustrationOutcome, OperationsStore, PageStore,
    RevisionStore, ShareStore, SpendingStore,
};
use storyloom_domain::timings::StageTimings;
use storyloom_domain::{
    Allowance, Book, BookId, Character, CharacterId, Error, IllustrationStatus, OwnerId, Page,
    Result, Revision, Share,
};

mod books;
mod characters;
mod idempotency;
mod operations;
mod pages;
mod revisions;
mod shares;
mod spending;

const CONDITION_FAILED: &str = "ConditionalCheckFailedException";
/// DynamoDB's limit for one `BatchGetItem`.
const BATCH_GET_MAX: usize = 100;
/// Attempts at a transaction that lost to a concurrent one on the same item.
const TRANSACTION_ATTEMPTS: u32 = 6;

/// The store on table `table`.
#[derive(Clone, Debug)]
pub struct DynamoStore {
    pub(crate) client: Client,
    pub(crate) table: String,
}

impl DynamoStore {
    /// A store over an existing table (see [`crate::provision`] for its shape).
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        DynamoStore {
            client,
            table: table.into(),
        }
    }

    pub(crate) fn key(pk: String, sk: String) -> Item {
        HashMap::from([(PK.to_owned(), s(pk)), (SK.to_owned(), s(sk))])
    }

    pub(crate) async fn get_item(&self, pk: String, sk: String) -> Result<Option<Item>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| classify("reading an item", e))?;
        Ok(out.item)
    }

    /// Writes an item whatever was there.
    pub(crate) async fn put_plain(&self, item: Item, what: &str) -> Result<()> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| classify(what, e))?;
        Ok(())
    }

    /// Deletes an item, whether or not it exists.
    pub(crate) async fn delete_plain(&self, pk: String, sk: String, what: &str) -> Result<()> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .send()
            .await
            .map_err(|e| classify(what, e))?;
        Ok(())
    }

    /// Every item under a partition whose sort key starts with `prefix`, in key order.
    pub(crate) async fn query_prefix(
        &self,
        pk: String,
        prefix: &str,
        forward: bool,
    ) -> Result<Vec<Item>> {
        let mut items = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expression_attribute_names("#pk", PK)
                .expression_attribute_names("#sk", SK)
                .expression_attribute_values(":pk", s(pk.clone()))
                .expression_attribute_values(":prefix", s(prefix))
                .scan_index_forward(forward)
                .consistent_read(true)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| classify("querying items", e))?;
            items.extend(out.items.unwrap_or_default());
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => return Ok(items),
            }
        }
    }

    /// Books by id, in the order given, skipping any that vanished.
    async fn get_books(&self, ids: Vec<String>) -> Result<Vec<Book>> {
        let mut found: HashMap<String, Book> = HashMap::new();
        for chunk in ids.chunks(BATCH_GET_MAX) {
            let keys: Vec<Item> = chunk
                .iter()
                .map(|id| Self::key(format!("BOOK#{id}"), META.into()))
                .collect();
            let mut pending = Some(HashMap::from([(
                self.table.clone(),
                KeysAndAttributes::builder()
                    .set_keys(Some(keys))
                    .consistent_read(true)
                    .build()
                    .map_err(|e| Error::Permanent(format!("batch get request: {e}")))?,
            )]));
            let mut rounds = 0u32;
            while let Some(request) = pending.take().filter(|r| !r.is_empty()) {
                if rounds > 0 {
                    // Unprocessed keys mean throttling: back off before asking again.
                    tokio::time::sleep(Duration::from_millis(50 << rounds.min(6))).await;
                }
                rounds += 1;
                let out = self
                    .client
                    .batch_get_item()
                    .set_request_items(Some(request))
                    .send()
                    .await
                    .map_err(|e| classify("reading books", e))?;
                for item in out
                    .responses
                    .unwrap_or_default()
                    .remove(&self.table)
                    .unwrap_or_default()
                {
                    let book: Book = from_item(item)?;
                    found.insert(book.id.to_string(), book);
                }
                pending = out.unprocessed_keys;
            }
        }
        Ok(ids.into_iter().filter_map(|id| found.remove(&id)).collect())
    }

    /// Why a conditional update of a book failed: it is gone, or someone else moved it.
    async fn book_conflict(&self, book: &Book) -> Error {
        match self.get_book(&book.id).await {
            Ok(Some(current)) => Error::Conflict(format!(
                "book {} is at version {}, not {}",
                book.id, current.version, book.version
            )),
            Ok(None) => Error::NotFound(format!("book {}", book.id)),
            Err(e) => e,
        }
    }
}

/// `SET` clauses for every attribute of `item`, with placeholder names and values.
struct SetClauses {
    expression: String,
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

fn set_all(item: Item) -> SetClauses {
    let mut names = HashMap::new();
    let mut values = HashMap::new();
    let mut sets = Vec::new();
    for (i, (k, v)) in item.into_iter().enumerate() {
        names.insert(format!("#a{i}"), k);
        values.insert(format!(":a{i}"), v);
        sets.push(format!("#a{i} = :a{i}"));
    }
    SetClauses {
        expression: format!("SET {}", sets.join(", ")),
        names,
        values,
    }
}

impl DynamoStore {
    /// Writes a character: a new one (`Conflict` if the id is taken), or an edit of one
    /// that exists (`NotFound` if it does not).
    async fn write_character(&self, character: &Character, existing: bool) -> Result<()> {
        let item = to_item(character, user_pk(&character.owner), char_sk(&character.id))?;
        let condition = if existing {
            "attribute_exists(#pk)"
        } else {
            "attribute_not_exists(#pk)"
        };
        match self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(condition)
            .expression_attribute_names("#pk", PK)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if code(&e) == Some(CONDITION_FAILED) => Err(if existing {
                Error::NotFound(format!("character {}", character.id))
            } else {
                Error::Conflict(format!("character {} exists", character.id))
            }),
            Err(e) => Err(classify("saving a character", e)),
        }
    }
}

impl DynamoStore {
    /// Puts `item` if the stored one is still at `expected` (`version` attribute; 0: none
    /// stored), else `Conflict`: compare-and-swap for small records.
    async fn put_versioned(&self, item: Item, expected: u64, what: &str) -> Result<()> {
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item));
        let put = if expected == 0 {
            put.condition_expression("attribute_not_exists(#pk)")
                .expression_attribute_names("#pk", PK)
        } else {
            put.condition_expression("#version = :expected")
                .expression_attribute_names("#version", "version")
                .expression_attribute_values(":expected", n(expected))
        };
        match put.send().await {
            Ok(_) => Ok(()),
            Err(e) if code(&e) == Some(CONDITION_FAILED) => Err(Error::Conflict(format!(
                "{what} changed since version {expected}"
            ))),
            Err(e) => Err(classify("storing a versioned record", e)),
        }
    }

    /// Applies a page update and a tally update in one transaction. `false` when a
    /// condition failed; a transaction that lost to a concurrent one on the same book is
    /// retried with backoff.
    async fn page_and_tally(&self, page: Update, count: Update) -> Result<bool> {
        let items = vec![
            TransactWriteItem::builder().update(page).build(),
            TransactWriteItem::builder().update(count).build(),
        ];
        self.transact(items, "updating a picture").await
    }

    /// Writes `items` in one transaction. `false` when a condition failed; a transaction
    /// that lost to a concurrent one on the same items is retried with backoff.
    pub(crate) async fn transact(&self, items: Vec<TransactWriteItem>, what: &str) -> Result<bool> {
        for attempt in 0..TRANSACTION_ATTEMPTS {
            let out = self
                .client
                .transact_write_items()
                .set_transact_items(Some(items.clone()))
                .send()
                .await;
            match out {
                Ok(_) => return Ok(true),
                Err(e) if code(&e) == Some("TransactionCanceledException") => {
                    let reasons: Vec<String> = e
                        .as_service_error()
                        .and_then(|se| match se {
                            TransactWriteItemsError::TransactionCanceledException(tc) => Some(tc),
                            _ => None,
                        })
                        .map(|tc| {
                            tc.cancellation_reasons()
                                .iter()
                                .filter_map(|r| r.code().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default();
                    if reasons
                        .iter()
                        .any(|r| r == "TransactionConflict" || r == "ThrottlingError")
                    {
                        // Another change to the same book committed first: try again.
                        tokio::time::sleep(Duration::from_millis(20 << attempt)).await;
                        continue;
                    }
                    return Ok(false);
                }
                Err(e) => return Err(classify(what, e)),
            }
        }
        Err(Error::Transient(format!(
            "{what} kept conflicting with other changes to its book"
        )))
    }

    async fn tally(&self, book: &BookId) -> Result<IllustrationTally> {
        self.get_book(book)
            .await?
            .map(|b| b.tally)
            .ok_or_else(|| Error::NotFound(format!("book {book}")))
    }
}
