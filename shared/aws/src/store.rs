//! `BookStore` on one DynamoDB table (layout in [`crate::item`]). Every state change is a
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
use storyloom_domain::ports::{BookStore, IllustrationOutcome};
use storyloom_domain::timings::StageTimings;
use storyloom_domain::{
    Allowance, Book, BookId, Character, CharacterId, Error, IllustrationStatus, OwnerId, Page,
    Result, Revision, Share,
};

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

#[async_trait]
impl BookStore for DynamoStore {
    async fn put_character(&self, character: &Character) -> Result<()> {
        self.write_character(character, false).await
    }

    async fn update_character(&self, character: &Character) -> Result<()> {
        self.write_character(character, true).await
    }

    async fn get_character(&self, owner: &OwnerId, id: &CharacterId) -> Result<Option<Character>> {
        self.get_item(user_pk(owner), char_sk(id))
            .await?
            .map(from_item)
            .transpose()
    }

    async fn list_characters(&self, owner: &OwnerId) -> Result<Vec<Character>> {
        let mut all: Vec<Character> = self
            .query_prefix(user_pk(owner), "CHAR#", true)
            .await?
            .into_iter()
            .map(from_item)
            .collect::<Result<_>>()?;
        Character::sort_oldest_first(&mut all);
        Ok(all)
    }

    async fn delete_character(&self, owner: &OwnerId, id: &CharacterId) -> Result<bool> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(user_pk(owner), char_sk(id))))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(|e| classify("deleting a character", e))?;
        Ok(out.attributes.is_some_and(|a| !a.is_empty()))
    }

    async fn create_book(&self, book: &Book) -> Result<()> {
        let meta = Put::builder()
            .table_name(&self.table)
            .set_item(Some(book_item(book)?))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .build()
            .map_err(|e| Error::Permanent(format!("book put: {e}")))?;
        let mut listing = Self::key(user_pk(&book.owner), listing_sk(book));
        listing.insert("book_id".into(), s(book.id.to_string()));
        let listing = Put::builder()
            .table_name(&self.table)
            .set_item(Some(listing))
            .build()
            .map_err(|e| Error::Permanent(format!("listing put: {e}")))?;
        match self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(meta).build())
            .transact_items(TransactWriteItem::builder().put(listing).build())
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if code(&e) == Some("TransactionCanceledException") => {
                match self.get_book(&book.id).await? {
                    Some(_) => Err(Error::Conflict(format!("book {} exists", book.id))),
                    None => Err(classify("creating a book", e)),
                }
            }
            Err(e) => Err(classify("creating a book", e)),
        }
    }

    async fn get_book(&self, id: &BookId) -> Result<Option<Book>> {
        self.get_item(book_pk(id), META.into())
            .await?
            .map(from_item)
            .transpose()
    }

    async fn list_books(&self, owner: &OwnerId) -> Result<Vec<Book>> {
        let ids = self
            .query_prefix(user_pk(owner), "BOOK#", false)
            .await?
            .into_iter()
            .filter_map(|mut item| match item.remove("book_id") {
                Some(AttributeValue::S(id)) => Some(id),
                _ => None,
            })
            .collect();
        self.get_books(ids).await
    }

    async fn update_book(&self, book: &Book) -> Result<Book> {
        let mut next = book.clone();
        next.version += 1;
        let mut item = book_item(&next)?;
        item.remove(PK);
        item.remove(SK);
        // The tally belongs to `finish_illustration`'s counters.
        item.remove("tally");
        let in_flight = item.contains_key(IN_FLIGHT_PK);
        let SetClauses {
            mut expression,
            mut names,
            mut values,
        } = set_all(item);
        if !in_flight {
            // Leaving the pipeline drops the book out of the sparse in-flight index.
            expression.push_str(" REMOVE #ipk, #isk");
            names.insert("#ipk".into(), IN_FLIGHT_PK.into());
            names.insert("#isk".into(), IN_FLIGHT_SK.into());
        }
        names.insert("#pk".into(), PK.into());
        names.insert("#version".into(), "version".into());
        values.insert(":expected".into(), n(book.version));
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(book_pk(&book.id), META.into())))
            .update_expression(expression)
            .condition_expression("attribute_exists(#pk) AND #version = :expected")
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match out {
            Ok(out) => from_item(out.attributes.unwrap_or_default()),
            Err(e) if code(&e) == Some(CONDITION_FAILED) => Err(self.book_conflict(book).await),
            Err(e) => Err(classify("updating a book", e)),
        }
    }

    async fn put_page(&self, page: &Page) -> Result<()> {
        let item = to_item(page, book_pk(&page.book_id), page_sk(page.number))?;
        self.put_plain(item, "saving a page").await
    }

    async fn get_page(&self, book: &BookId, number: u32) -> Result<Option<Page>> {
        self.get_item(book_pk(book), page_sk(number))
            .await?
            .map(from_item)
            .transpose()
    }

    async fn list_pages(&self, book: &BookId) -> Result<Vec<Page>> {
        self.query_prefix(book_pk(book), "PAGE#", true)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    async fn start_illustration(&self, book: &BookId, number: u32, now: u64) -> Result<()> {
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(book_pk(book), page_sk(number))))
            .update_expression("SET #since = :now")
            .condition_expression("attribute_exists(#pk) AND #status = :pending")
            .expression_attribute_names("#since", "drawing_since")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#status", "illustration")
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":pending", attribute(IllustrationStatus::Pending)?)
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            // Already finished (a redelivery): nothing to note.
            Err(e) if code(&e) == Some(CONDITION_FAILED) => {
                match self.get_page(book, number).await? {
                    Some(_) => Ok(()),
                    None => Err(Error::NotFound(format!("page {number} of book {book}"))),
                }
            }
            Err(e) => Err(classify("noting a picture in progress", e)),
        }
    }

    async fn finish_illustration(
        &self,
        book: &BookId,
        number: u32,
        outcome: &IllustrationOutcome,
    ) -> Result<(bool, IllustrationTally)> {
        let counter = IllustrationTally::counter(outcome.status)?;
        let opt = |v: &Option<String>| v.clone().map_or(AttributeValue::Null(true), s);
        // The page moves out of pending and the book's counter rises in one transaction:
        // never one without the other, and never twice for one page.
        let page = Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(book_pk(book), page_sk(number))))
            .update_expression("SET #status = :status, #key = :key, #note = :note, #since = :null")
            .condition_expression("attribute_exists(#pk) AND #status = :pending")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#status", "illustration")
            .expression_attribute_names("#key", "image_key")
            .expression_attribute_names("#note", "illustration_note")
            .expression_attribute_names("#since", "drawing_since")
            .expression_attribute_values(":status", attribute(outcome.status)?)
            .expression_attribute_values(":pending", attribute(IllustrationStatus::Pending)?)
            .expression_attribute_values(":key", opt(&outcome.image_key))
            .expression_attribute_values(":note", opt(&outcome.note))
            .expression_attribute_values(":null", AttributeValue::Null(true))
            .build()
            .map_err(|e| Error::Permanent(format!("page update: {e}")))?;
        let count = Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(book_pk(book), META.into())))
            .update_expression(
                "SET #tally.#counter = #tally.#counter + :one, \
                 #tally.#cost = if_not_exists(#tally.#cost, :zero) + :cost",
            )
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#tally", "tally")
            .expression_attribute_names("#counter", counter)
            .expression_attribute_names("#cost", "picture_micros")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":cost", n(outcome.cost_micros))
            .build()
            .map_err(|e| Error::Permanent(format!("tally update: {e}")))?;
        if self.page_and_tally(page, count).await? {
            return Ok((true, self.tally(book).await?));
        }
        match self.get_page(book, number).await? {
            None => Err(Error::NotFound(format!("page {number} of book {book}"))),
            Some(p) if p.illustration != IllustrationStatus::Pending => {
                Ok((false, self.tally(book).await?))
            }
            Some(_) => Err(Error::NotFound(format!("book {book}"))),
        }
    }

    async fn reopen_failed_illustrations(&self, book: &BookId) -> Result<Vec<u32>> {
        let mut reopened = Vec::new();
        for page in self.list_pages(book).await? {
            if page.illustration != IllustrationStatus::Failed {
                continue;
            }
            let reset = Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(book_pk(book), page_sk(page.number))))
                .update_expression("SET #status = :pending, #key = :null, #note = :null")
                .condition_expression("#status = :failed")
                .expression_attribute_names("#status", "illustration")
                .expression_attribute_names("#key", "image_key")
                .expression_attribute_names("#note", "illustration_note")
                .expression_attribute_values(":pending", attribute(IllustrationStatus::Pending)?)
                .expression_attribute_values(":failed", attribute(IllustrationStatus::Failed)?)
                .expression_attribute_values(":null", AttributeValue::Null(true))
                .build()
                .map_err(|e| Error::Permanent(format!("page update: {e}")))?;
            let uncount = Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(book_pk(book), META.into())))
                .update_expression("SET #tally.#failed = #tally.#failed - :one")
                .condition_expression("attribute_exists(#pk)")
                .expression_attribute_names("#pk", PK)
                .expression_attribute_names("#tally", "tally")
                .expression_attribute_names(
                    "#failed",
                    IllustrationTally::counter(IllustrationStatus::Failed)?,
                )
                .expression_attribute_values(":one", n(1))
                .build()
                .map_err(|e| Error::Permanent(format!("tally update: {e}")))?;
            if self.page_and_tally(reset, uncount).await? {
                reopened.push(page.number);
            }
        }
        Ok(reopened)
    }

    async fn revise_page(&self, current: &Page, next: &Page) -> Result<()> {
        let book = &current.book_id;
        let page = to_item(next, book_pk(book), page_sk(next.number))?;
        let picture = match &current.image_key {
            Some(key) => ("#key = :key", s(key.clone())),
            None => ("attribute_type(#key, :nulltype)", s("NULL")),
        };
        let page = Put::builder()
            .table_name(&self.table)
            .set_item(Some(page))
            .condition_expression(format!(
                "#rev = :rev AND #status = :status AND {}",
                picture.0
            ))
            .expression_attribute_names("#rev", "revision")
            .expression_attribute_names("#status", "illustration")
            .expression_attribute_names("#key", "image_key")
            .expression_attribute_values(":rev", n(current.revision))
            .expression_attribute_values(":status", attribute(current.illustration)?)
            .expression_attribute_values(
                if current.image_key.is_some() {
                    ":key"
                } else {
                    ":nulltype"
                },
                picture.1,
            )
            .build()
            .map_err(|e| Error::Permanent(format!("page revision: {e}")))?;
        let history = Put::builder()
            .table_name(&self.table)
            .set_item(Some(to_item(
                &Revision::of(current),
                book_pk(book),
                revision_sk(current.number, current.revision),
            )?))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .build()
            .map_err(|e| Error::Permanent(format!("revision record: {e}")))?;
        let mut items = vec![
            TransactWriteItem::builder().put(page).build(),
            TransactWriteItem::builder().put(history).build(),
        ];
        if current.illustration != next.illustration {
            let mut clauses = Vec::new();
            let mut update = Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(book_pk(book), META.into())))
                .condition_expression("attribute_exists(#pk)")
                .expression_attribute_names("#pk", PK)
                .expression_attribute_names("#tally", "tally")
                .expression_attribute_values(":one", n(1));
            if current.illustration.is_terminal() {
                clauses.push("#tally.#was = #tally.#was - :one");
                update = update.expression_attribute_names(
                    "#was",
                    IllustrationTally::counter(current.illustration)?,
                );
            }
            if next.illustration.is_terminal() {
                clauses.push("#tally.#now = #tally.#now + :one");
                update = update.expression_attribute_names(
                    "#now",
                    IllustrationTally::counter(next.illustration)?,
                );
            }
            let update = update
                .update_expression(format!("SET {}", clauses.join(", ")))
                .build()
                .map_err(|e| Error::Permanent(format!("tally update: {e}")))?;
            items.push(TransactWriteItem::builder().update(update).build());
        }
        if self.transact(items, "revising a page").await? {
            return Ok(());
        }
        match self.get_page(book, current.number).await? {
            None => Err(Error::NotFound(format!("page {}", current.number))),
            Some(stored) if stored.revision != current.revision => Err(Error::Stale(format!(
                "page {} is at revision {}, not {}",
                current.number, stored.revision, current.revision
            ))),
            Some(_) => Err(Error::Conflict(format!(
                "the picture of page {} changed meanwhile",
                current.number
            ))),
        }
    }

    async fn list_revisions(&self, book: &BookId, number: u32) -> Result<Vec<Revision>> {
        self.query_prefix(book_pk(book), &revisions_prefix(number), true)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    async fn get_budget(&self, owner: &OwnerId) -> Result<Budget> {
        match self.get_item(user_pk(owner), BUDGET.into()).await? {
            Some(item) => from_item(item),
            None => Ok(Budget::new(owner.clone())),
        }
    }

    async fn put_budget(&self, budget: &Budget) -> Result<Budget> {
        let next = Budget {
            version: budget.version + 1,
            ..budget.clone()
        };
        let item = to_item(&next, user_pk(&next.owner), BUDGET.into())?;
        self.put_versioned(item, budget.version, &format!("budget of {}", next.owner))
            .await?;
        Ok(next)
    }

    async fn get_timings(&self) -> Result<StageTimings> {
        match self.get_item(TIMINGS.into(), TIMINGS.into()).await? {
            Some(item) => from_item(item),
            None => Ok(StageTimings::default()),
        }
    }

    async fn put_timings(&self, timings: &StageTimings) -> Result<StageTimings> {
        let next = StageTimings {
            version: timings.version + 1,
            ..timings.clone()
        };
        let item = to_item(&next, TIMINGS.into(), TIMINGS.into())?;
        self.put_versioned(item, timings.version, "stage timings")
            .await?;
        Ok(next)
    }

    async fn get_breaker(&self, provider: &str) -> Result<Breaker> {
        match self.get_item(breaker_pk(provider), BREAKER.into()).await? {
            Some(item) => from_item(item),
            None => Ok(Breaker::closed(provider)),
        }
    }

    async fn put_breaker(&self, breaker: &Breaker) -> Result<Breaker> {
        let mut next = breaker.clone();
        next.version += 1;
        let item = to_item(&next, breaker_pk(&next.provider), BREAKER.into())?;
        self.put_versioned(
            item,
            breaker.version,
            &format!("breaker {}", breaker.provider),
        )
        .await?;
        Ok(next)
    }

    async fn in_flight_books(&self, started_before: u64, limit: u32) -> Result<Vec<Book>> {
        let mut books = Vec::new();
        for shard in in_flight_shards() {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(IN_FLIGHT_INDEX)
                .key_condition_expression("#pk = :shard AND #sk < :before")
                .expression_attribute_names("#pk", IN_FLIGHT_PK)
                .expression_attribute_names("#sk", IN_FLIGHT_SK)
                .expression_attribute_values(":shard", s(shard))
                .expression_attribute_values(":before", n(started_before))
                .limit(limit.max(1) as i32)
                .send()
                .await
                .map_err(|e| classify("querying in-flight books", e))?;
            for item in out.items.unwrap_or_default() {
                books.push(from_item::<Book>(item)?);
            }
        }
        books.sort_by(|a, b| {
            a.stage_started_at
                .cmp(&b.stage_started_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        books.truncate(limit as usize);
        Ok(books)
    }

    async fn claim_idempotency(&self, record: &IdempotencyRecord, now: u64) -> Result<Claim> {
        let mut item = to_item(record, idem_pk(&record.key), IDEM.into())?;
        // DynamoDB's TTL reads epoch seconds.
        item.insert(TTL_ATTRIBUTE.into(), n(record.expires_at_ms / 1000));
        for _ in 0..3 {
            let put = self
                .client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(item.clone()))
                .condition_expression(
                    "attribute_not_exists(#pk) OR #expires <= :now \
                     OR (#status = :in_progress AND #until <= :now)",
                )
                .expression_attribute_names("#pk", PK)
                .expression_attribute_names("#expires", "expires_at_ms")
                .expression_attribute_names("#status", "status")
                .expression_attribute_names("#until", "in_progress_until_ms")
                .expression_attribute_values(":now", n(now))
                .expression_attribute_values(
                    ":in_progress",
                    attribute(IdempotencyStatus::InProgress)?,
                )
                .send()
                .await;
            match put {
                Ok(_) => return Ok(Claim::Started),
                Err(e) if code(&e) == Some(CONDITION_FAILED) => {
                    // Held by another request; if it vanished meanwhile, claim again.
                    if let Some(existing) = self.get_item(idem_pk(&record.key), IDEM.into()).await?
                    {
                        return Ok(Claim::Existing(from_item(existing)?));
                    }
                }
                Err(e) => return Err(classify("claiming an idempotency key", e)),
            }
        }
        Err(Error::Transient(format!(
            "idempotency key {} kept changing hands",
            record.key
        )))
    }

    async fn complete_idempotency(&self, key: &str, response: &StoredResponse) -> Result<()> {
        let response = attribute(response)?;
        let status = attribute(IdempotencyStatus::Completed)?;
        match self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(idem_pk(key), IDEM.into())))
            .update_expression("SET #status = :status, #response = :response")
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#response", "response")
            .expression_attribute_values(":status", status)
            .expression_attribute_values(":response", response)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if code(&e) == Some(CONDITION_FAILED) => {
                Err(Error::NotFound(format!("idempotency record {key}")))
            }
            Err(e) => Err(classify("completing an idempotency record", e)),
        }
    }

    async fn release_idempotency(&self, key: &str) -> Result<()> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(idem_pk(key), IDEM.into())))
            .send()
            .await
            .map_err(|e| classify("releasing an idempotency key", e))?;
        Ok(())
    }

    async fn purge_expired(&self, _now: u64) -> Result<u32> {
        // DynamoDB's TTL deletes expired records (`expires_at`); expired ones it has not
        // reached yet are already treated as absent by `claim_idempotency`.
        Ok(0)
    }

    async fn delete_book(&self, id: &BookId) -> Result<()> {
        let Some(book) = self.get_book(id).await? else {
            return Ok(());
        };
        let mut keys = Vec::new();
        for share in self.list_shares(id).await? {
            keys.push((user_pk(&share.user), shared_sk(id)));
            keys.push((book_pk(id), share_sk(&share.user)));
        }
        for prefix in ["PAGE#", "REV#"] {
            for item in self.query_prefix(book_pk(id), prefix, true).await? {
                if let Some(AttributeValue::S(sk)) = item.get(SK) {
                    keys.push((book_pk(id), sk.clone()));
                }
            }
        }
        keys.push((user_pk(&book.owner), listing_sk(&book)));
        // The book goes last: until then a repeat finds it and finishes the job.
        keys.push((book_pk(id), META.into()));
        for (pk, sk) in keys {
            self.delete_plain(pk, sk, "deleting a book").await?;
        }
        Ok(())
    }

    async fn put_share(&self, share: &Share) -> Result<()> {
        let put = |item: Item| {
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .build()
                .map(|p| TransactWriteItem::builder().put(p).build())
                .map_err(|e| Error::Permanent(format!("share put: {e}")))
        };
        let on_book = to_item(share, book_pk(&share.book_id), share_sk(&share.user))?;
        let for_user = to_item(share, user_pk(&share.user), shared_sk(&share.book_id))?;
        self.client
            .transact_write_items()
            .transact_items(put(on_book)?)
            .transact_items(put(for_user)?)
            .send()
            .await
            .map_err(|e| classify("sharing a book", e))?;
        Ok(())
    }

    async fn get_share(&self, book: &BookId, user: &OwnerId) -> Result<Option<Share>> {
        self.get_item(book_pk(book), share_sk(user))
            .await?
            .map(from_item)
            .transpose()
    }

    async fn list_shares(&self, book: &BookId) -> Result<Vec<Share>> {
        let mut all: Vec<Share> = self
            .query_prefix(book_pk(book), "SHARE#", true)
            .await?
            .into_iter()
            .map(from_item)
            .collect::<Result<_>>()?;
        all.sort_by(|a, b| (a.granted_at, &a.user).cmp(&(b.granted_at, &b.user)));
        Ok(all)
    }

    async fn shared_with(&self, user: &OwnerId) -> Result<Vec<Share>> {
        let mut all: Vec<Share> = self
            .query_prefix(user_pk(user), "SHARED#", true)
            .await?
            .into_iter()
            .map(from_item)
            .collect::<Result<_>>()?;
        all.sort_by(|a, b| (b.granted_at, &b.book_id).cmp(&(a.granted_at, &a.book_id)));
        Ok(all)
    }

    async fn delete_share(&self, book: &BookId, user: &OwnerId) -> Result<bool> {
        let existed = self.get_share(book, user).await?.is_some();
        let delete = |pk: String, sk: String| {
            Delete::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(pk, sk)))
                .build()
                .map(|d| TransactWriteItem::builder().delete(d).build())
                .map_err(|e| Error::Permanent(format!("share delete: {e}")))
        };
        self.client
            .transact_write_items()
            .transact_items(delete(book_pk(book), share_sk(user))?)
            .transact_items(delete(user_pk(user), shared_sk(book))?)
            .send()
            .await
            .map_err(|e| classify("revoking a share", e))?;
        Ok(existed)
    }

    async fn get_allowance(&self, owner: &OwnerId) -> Result<Option<Allowance>> {
        self.get_item(user_pk(owner), ALLOWANCE.into())
            .await?
            .map(from_item)
            .transpose()
    }

    async fn put_allowance(&self, allowance: &Allowance) -> Result<Allowance> {
        let mut next = allowance.clone();
        next.version += 1;
        let mut item = to_item(&next, user_pk(&next.owner), ALLOWANCE.into())?;
        item.insert(TTL_ATTRIBUTE.into(), n(next.expires_at_ms() / 1000));
        self.put_versioned(
            item,
            allowance.version,
            &format!("allowance of {}", next.owner),
        )
        .await?;
        Ok(next)
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
