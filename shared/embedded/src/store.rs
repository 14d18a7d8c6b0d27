//! The embedded book store: one redb file, one transaction per operation.

use crate::db::{blocking, err, from_json, open, to_json};
use async_trait::async_trait;
use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use std::path::Path;
use std::sync::Arc;
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

const CHARACTERS: TableDefinition<&str, &str> = TableDefinition::new("characters");
const BOOKS: TableDefinition<&str, &str> = TableDefinition::new("books");
/// `owner#created(20 digits)#book` -> "" : the owner's books in creation order.
const OWNER_BOOKS: TableDefinition<&str, &str> = TableDefinition::new("owner_books");
/// `book#nnnn` -> page.
const PAGES: TableDefinition<&str, &str> = TableDefinition::new("pages");
/// Circuit breakers by provider.
const BREAKERS: TableDefinition<&str, &str> = TableDefinition::new("breakers");
/// Idempotency records by scoped key.
const IDEMPOTENCY: TableDefinition<&str, &str> = TableDefinition::new("idempotency");
/// `book#user` -> share.
const SHARES: TableDefinition<&str, &str> = TableDefinition::new("shares");
/// `user#book` -> share: the books shared with a user.
const SHARED_WITH: TableDefinition<&str, &str> = TableDefinition::new("shared_with");
/// Per-user limit state by owner.
const ALLOWANCES: TableDefinition<&str, &str> = TableDefinition::new("allowances");
/// Superseded page revisions by `<book>#<page>#<revision>`.
const REVISIONS: TableDefinition<&str, &str> = TableDefinition::new("revisions");
/// Owners' monthly budgets by owner.
const BUDGETS: TableDefinition<&str, &str> = TableDefinition::new("budgets");
/// Recent stage durations, one record.
const TIMINGS: TableDefinition<&str, &str> = TableDefinition::new("timings");
/// The key of the one timings record.
const TIMINGS_KEY: &str = "stages";

/// Every table of the store.
const TABLES: [TableDefinition<&str, &str>; 17] = [
    CHARACTERS,
    BOOKS,
    OWNER_BOOKS,
    PAGES,
    IDEMPOTENCY,
    BREAKERS,
    SHARES,
    SHARED_WITH,
    ALLOWANCES,
    REVISIONS,
    BUDGETS,
    TIMINGS,
    crate::live::TICKETS,
    crate::live::CONNECTIONS,
    crate::live::SUBSCRIPTIONS,
    crate::accounts::ACCOUNTS,
    crate::accounts::SESSIONS,
];

/// Characters, books and pages in a redb file. Ids are validated to exclude `#`, so the
/// composite keys below cannot collide.
#[derive(Clone)]
pub struct FileStore {
    db: Arc<redb::Database>,
}

impl FileStore {
    /// Opens or creates the store at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let db = open(path)?;
        let tx = db.begin_write().map_err(err)?;
        for t in TABLES {
            tx.open_table(t).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(FileStore { db })
    }

    /// Writes a consistent copy of the whole store to a new file at `dest` while it stays
    /// in use (a backup).
    pub async fn snapshot(&self, dest: &Path) -> Result<()> {
        let db = self.db.clone();
        let dest = dest.to_owned();
        blocking(move || crate::db::snapshot(&db, &TABLES, &[], &dest)).await
    }

    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&redb::ReadTransaction) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.db.clone();
        blocking(move || f(&db.begin_read().map_err(err)?)).await
    }

    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&redb::WriteTransaction) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.db.clone();
        blocking(move || {
            let tx = db.begin_write().map_err(err)?;
            let out = f(&tx)?;
            tx.commit().map_err(err)?;
            Ok(out)
        })
        .await
    }
}

fn char_key(owner: &OwnerId, id: &CharacterId) -> String {
    format!("{owner}#{id}")
}

fn page_key(book: &BookId, n: u32) -> String {
    format!("{book}#{n:04}")
}

fn revision_key(book: &BookId, page: u32, revision: u32) -> String {
    format!("{book}#{page:04}#{revision:08}")
}

/// Compare-and-swap for a small versioned record: stores `value` under `key` if the stored
/// one's version (0: none stored) is `expected`, else `Conflict`.
fn put_versioned<T: serde::Serialize + serde::de::DeserializeOwned>(
    t: &mut redb::Table<&'static str, &'static str>,
    key: &str,
    value: &T,
    expected: u64,
    version: impl Fn(&T) -> u64,
) -> Result<()> {
    let stored = get_json::<T>(t, key)?.map_or(0, |v| version(&v));
    if stored != expected {
        return Err(Error::Conflict(format!(
            "{key} is at version {stored}, not {expected}"
        )));
    }
    t.insert(key, to_json(value)?.as_str()).map_err(err)?;
    Ok(())
}

pub(crate) fn get_json<T: serde::de::DeserializeOwned>(
    t: &impl ReadableTable<&'static str, &'static str>,
    key: &str,
) -> Result<Option<T>> {
    t.get(key)
        .map_err(err)?
        .map(|v| from_json(v.value()))
        .transpose()
}

pub(crate) fn prefix_values<T: serde::de::DeserializeOwned>(
    t: &impl ReadableTable<&'static str, &'static str>,
    prefix: &str,
) -> Result<Vec<T>> {
    let end = format!("{prefix}\u{7f}");
    t.range(prefix..end.as_str())
        .map_err(err)?
        .map(|row| row.map_err(err).and_then(|(_, v)| from_json(v.value())))
        .collect()
}

/// Removes the records of `table` that expired by `now`; returns how many.
pub(crate) fn purge_where<T: serde::de::DeserializeOwned>(
    tx: &redb::WriteTransaction,
    table: TableDefinition<&str, &str>,
    now: u64,
    expires: impl Fn(&T) -> u64,
) -> Result<u32> {
    let mut t = tx.open_table(table).map_err(err)?;
    let mut expired = Vec::new();
    for row in t.iter().map_err(err)? {
        let (k, v) = row.map_err(err)?;
        if expires(&from_json::<T>(v.value())?) <= now {
            expired.push(k.value().to_owned());
        }
    }
    for k in &expired {
        t.remove(k.as_str()).map_err(err)?;
    }
    Ok(expired.len() as u32)
}

impl FileStore {
    /// Writes a character: a new one (`Conflict` if the id is taken), or an edit of one
    /// that exists (`NotFound` if it does not).
    async fn write_character(&self, character: &Character, existing: bool) -> Result<()> {
        let key = char_key(&character.owner, &character.id);
        let json = to_json(character)?;
        self.write(move |tx| {
            let mut t = tx.open_table(CHARACTERS).map_err(err)?;
            match (t.get(key.as_str()).map_err(err)?.is_some(), existing) {
                (true, false) => return Err(Error::Conflict(format!("character {key} exists"))),
                (false, true) => return Err(Error::NotFound(format!("character {key}"))),
                _ => {}
            }
            t.insert(key.as_str(), json.as_str()).map_err(err)?;
            Ok(())
        })
        .await
    }
}

#[async_trait]
impl BookStore for FileStore {
    async fn put_character(&self, character: &Character) -> Result<()> {
        self.write_character(character, false).await
    }

    async fn get_character(&self, owner: &OwnerId, id: &CharacterId) -> Result<Option<Character>> {
        let key = char_key(owner, id);
        self.read(move |tx| get_json(&tx.open_table(CHARACTERS).map_err(err)?, &key))
            .await
    }

    async fn list_characters(&self, owner: &OwnerId) -> Result<Vec<Character>> {
        let prefix = format!("{owner}#");
        let mut all: Vec<Character> = self
            .read(move |tx| prefix_values(&tx.open_table(CHARACTERS).map_err(err)?, &prefix))
            .await?;
        Character::sort_oldest_first(&mut all);
        Ok(all)
    }

    async fn update_character(&self, character: &Character) -> Result<()> {
        self.write_character(character, true).await
    }

    async fn delete_character(&self, owner: &OwnerId, id: &CharacterId) -> Result<bool> {
        let key = char_key(owner, id);
        self.write(move |tx| {
            Ok(tx
                .open_table(CHARACTERS)
                .map_err(err)?
                .remove(key.as_str())
                .map_err(err)?
                .is_some())
        })
        .await
    }

    async fn create_book(&self, book: &Book) -> Result<()> {
        let id = book.id.to_string();
        let index = format!("{}#{:020}#{}", book.owner, book.created_at, book.id);
        let json = to_json(book)?;
        self.write(move |tx| {
            let mut books = tx.open_table(BOOKS).map_err(err)?;
            if books.get(id.as_str()).map_err(err)?.is_some() {
                return Err(Error::Conflict(format!("book {id} exists")));
            }
            books.insert(id.as_str(), json.as_str()).map_err(err)?;
            tx.open_table(OWNER_BOOKS)
                .map_err(err)?
                .insert(index.as_str(), "")
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn get_book(&self, id: &BookId) -> Result<Option<Book>> {
        let id = id.to_string();
        self.read(move |tx| get_json(&tx.open_table(BOOKS).map_err(err)?, &id))
            .await
    }

    async fn list_books(&self, owner: &OwnerId) -> Result<Vec<Book>> {
        let prefix = format!("{owner}#");
        self.read(move |tx| {
            let index = tx.open_table(OWNER_BOOKS).map_err(err)?;
            let books = tx.open_table(BOOKS).map_err(err)?;
            let end = format!("{prefix}\u{7f}");
            let mut out = Vec::new();
            for row in index
                .range(prefix.as_str()..end.as_str())
                .map_err(err)?
                .rev()
            {
                let (k, _) = row.map_err(err)?;
                let id = k.value().rsplit('#').next().unwrap_or_default().to_owned();
                if let Some(book) = get_json::<Book>(&books, &id)? {
                    out.push(book);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn update_book(&self, book: &Book) -> Result<Book> {
        let mut next = book.clone();
        self.write(move |tx| {
            let mut t = tx.open_table(BOOKS).map_err(err)?;
            let key = next.id.to_string();
            let current: Book =
                get_json(&t, &key)?.ok_or_else(|| Error::NotFound(format!("book {key}")))?;
            if current.version != next.version {
                return Err(Error::Conflict(format!(
                    "book {key} is at version {}, not {}",
                    current.version, next.version
                )));
            }
            next.version += 1;
            next.tally = current.tally;
            t.insert(key.as_str(), to_json(&next)?.as_str())
                .map_err(err)?;
            Ok(next)
        })
        .await
    }

    async fn put_page(&self, page: &Page) -> Result<()> {
        let key = page_key(&page.book_id, page.number);
        let json = to_json(page)?;
        self.write(move |tx| {
            tx.open_table(PAGES)
                .map_err(err)?
                .insert(key.as_str(), json.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn get_page(&self, book: &BookId, number: u32) -> Result<Option<Page>> {
        let key = page_key(book, number);
        self.read(move |tx| get_json(&tx.open_table(PAGES).map_err(err)?, &key))
            .await
    }

    async fn list_pages(&self, book: &BookId) -> Result<Vec<Page>> {
        let prefix = format!("{book}#");
        self.read(move |tx| prefix_values(&tx.open_table(PAGES).map_err(err)?, &prefix))
            .await
    }

    async fn start_illustration(&self, book: &BookId, number: u32, now: u64) -> Result<()> {
        let key = page_key(book, number);
        self.write(move |tx| {
            let mut t = tx.open_table(PAGES).map_err(err)?;
            let Some(mut page) = get_json::<Page>(&t, &key)? else {
                return Err(Error::NotFound(format!("page {key}")));
            };
            if page.illustration == IllustrationStatus::Pending {
                page.drawing_since = Some(now);
                t.insert(key.as_str(), to_json(&page)?.as_str())
                    .map_err(err)?;
            }
            Ok(())
        })
        .await
    }

    async fn finish_illustration(
        &self,
        book: &BookId,
        number: u32,
        outcome: &IllustrationOutcome,
    ) -> Result<(bool, IllustrationTally)> {
        let page_key = page_key(book, number);
        let book_key = book.to_string();
        let outcome = outcome.clone();
        self.write(move |tx| {
            let mut books = tx.open_table(BOOKS).map_err(err)?;
            let mut b: Book = get_json(&books, &book_key)?
                .ok_or_else(|| Error::NotFound(format!("book {book_key}")))?;
            let mut pages = tx.open_table(PAGES).map_err(err)?;
            let mut page: Page = get_json(&pages, &page_key)?
                .ok_or_else(|| Error::NotFound(format!("page {page_key}")))?;
            if page.illustration != IllustrationStatus::Pending {
                return Ok((false, b.tally));
            }
            page.illustration = outcome.status;
            page.image_key = outcome.image_key.clone();
            page.illustration_note = outcome.note.clone();
            page.drawing_since = None;
            b.tally.count(outcome.status)?;
            b.tally.picture_micros += outcome.cost_micros;
            pages
                .insert(page_key.as_str(), to_json(&page)?.as_str())
                .map_err(err)?;
            books
                .insert(book_key.as_str(), to_json(&b)?.as_str())
                .map_err(err)?;
            Ok((true, b.tally))
        })
        .await
    }

    async fn reopen_failed_illustrations(&self, book: &BookId) -> Result<Vec<u32>> {
        let book_key = book.to_string();
        let prefix = format!("{book}#");
        self.write(move |tx| {
            let mut books = tx.open_table(BOOKS).map_err(err)?;
            let mut b: Book = get_json(&books, &book_key)?
                .ok_or_else(|| Error::NotFound(format!("book {book_key}")))?;
            let mut pages = tx.open_table(PAGES).map_err(err)?;
            let failed: Vec<Page> = prefix_values::<Page>(&pages, &prefix)?
                .into_iter()
                .filter(|p| p.illustration == IllustrationStatus::Failed)
                .collect();
            let mut reopened = Vec::new();
            for mut page in failed {
                page.illustration = IllustrationStatus::Pending;
                page.image_key = None;
                page.illustration_note = None;
                b.tally.failed = b.tally.failed.saturating_sub(1);
                pages
                    .insert(
                        page_key(&page.book_id, page.number).as_str(),
                        to_json(&page)?.as_str(),
                    )
                    .map_err(err)?;
                reopened.push(page.number);
            }
            books
                .insert(book_key.as_str(), to_json(&b)?.as_str())
                .map_err(err)?;
            Ok(reopened)
        })
        .await
    }

    async fn revise_page(&self, current: &Page, next: &Page) -> Result<()> {
        let current = current.clone();
        let next = next.clone();
        self.write(move |tx| {
            let key = page_key(&current.book_id, current.number);
            let mut pages = tx.open_table(PAGES).map_err(err)?;
            let stored: Page = get_json(&pages, &key)?
                .ok_or_else(|| Error::NotFound(format!("page {}", current.number)))?;
            if stored.revision != current.revision {
                return Err(Error::Stale(format!(
                    "page {} is at revision {}, not {}",
                    current.number, stored.revision, current.revision
                )));
            }
            if (stored.illustration, &stored.image_key)
                != (current.illustration, &current.image_key)
            {
                return Err(Error::Conflict(format!(
                    "the picture of page {} changed meanwhile",
                    current.number
                )));
            }
            let history = revision_key(&current.book_id, current.number, current.revision);
            tx.open_table(REVISIONS)
                .map_err(err)?
                .insert(history.as_str(), to_json(&Revision::of(&current))?.as_str())
                .map_err(err)?;
            if current.illustration != next.illustration {
                let mut books = tx.open_table(BOOKS).map_err(err)?;
                let book_key = current.book_id.to_string();
                let mut b: Book = get_json(&books, &book_key)?
                    .ok_or_else(|| Error::NotFound(format!("book {book_key}")))?;
                b.tally.uncount(current.illustration);
                if next.illustration.is_terminal() {
                    b.tally.count(next.illustration)?;
                }
                books
                    .insert(book_key.as_str(), to_json(&b)?.as_str())
                    .map_err(err)?;
            }
            pages
                .insert(key.as_str(), to_json(&next)?.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn list_revisions(&self, book: &BookId, number: u32) -> Result<Vec<Revision>> {
        let prefix = format!("{book}#{number:04}#");
        self.read(move |tx| prefix_values(&tx.open_table(REVISIONS).map_err(err)?, &prefix))
            .await
    }

    async fn get_budget(&self, owner: &OwnerId) -> Result<Budget> {
        let key = owner.to_string();
        let found: Option<Budget> = self
            .read(move |tx| get_json(&tx.open_table(BUDGETS).map_err(err)?, &key))
            .await?;
        Ok(found.unwrap_or_else(|| Budget::new(owner.clone())))
    }

    async fn put_budget(&self, budget: &Budget) -> Result<Budget> {
        let expected = budget.version;
        let next = Budget {
            version: expected + 1,
            ..budget.clone()
        };
        self.write(move |tx| {
            let mut t = tx.open_table(BUDGETS).map_err(err)?;
            put_versioned(
                &mut t,
                next.owner.as_str(),
                &next,
                expected,
                |b: &Budget| b.version,
            )?;
            Ok(next)
        })
        .await
    }

    async fn get_timings(&self) -> Result<StageTimings> {
        let found: Option<StageTimings> = self
            .read(|tx| get_json(&tx.open_table(TIMINGS).map_err(err)?, TIMINGS_KEY))
            .await?;
        Ok(found.unwrap_or_default())
    }

    async fn put_timings(&self, timings: &StageTimings) -> Result<StageTimings> {
        let expected = timings.version;
        let next = StageTimings {
            version: expected + 1,
            ..timings.clone()
        };
        self.write(move |tx| {
            let mut t = tx.open_table(TIMINGS).map_err(err)?;
            put_versioned(&mut t, TIMINGS_KEY, &next, expected, |t: &StageTimings| {
                t.version
            })?;
            Ok(next)
        })
        .await
    }

    async fn get_breaker(&self, provider: &str) -> Result<Breaker> {
        let key = provider.to_owned();
        let found: Option<Breaker> = self
            .read(move |tx| get_json(&tx.open_table(BREAKERS).map_err(err)?, &key))
            .await?;
        Ok(found.unwrap_or_else(|| Breaker::closed(provider)))
    }

    async fn put_breaker(&self, breaker: &Breaker) -> Result<Breaker> {
        let expected = breaker.version;
        let next = Breaker {
            version: expected + 1,
            ..breaker.clone()
        };
        self.write(move |tx| {
            let mut t = tx.open_table(BREAKERS).map_err(err)?;
            put_versioned(&mut t, &next.provider, &next, expected, |b: &Breaker| {
                b.version
            })?;
            Ok(next)
        })
        .await
    }

    async fn in_flight_books(&self, started_before: u64, limit: u32) -> Result<Vec<Book>> {
        // One machine holds few books: a scan stands in for DynamoDB's sparse index.
        self.read(move |tx| {
            let t = tx.open_table(BOOKS).map_err(err)?;
            let mut out = Vec::new();
            for row in t.iter().map_err(err)? {
                let (_, v) = row.map_err(err)?;
                let book: Book = from_json(v.value())?;
                if book.status.in_flight() && book.stage_started_at < started_before {
                    out.push(book);
                }
            }
            out.sort_by_key(|b| (b.stage_started_at, b.id.to_string()));
            out.truncate(limit as usize);
            Ok(out)
        })
        .await
    }

    async fn claim_idempotency(&self, record: &IdempotencyRecord, now: u64) -> Result<Claim> {
        let record = record.clone();
        self.write(move |tx| {
            let mut t = tx.open_table(IDEMPOTENCY).map_err(err)?;
            if let Some(existing) = get_json::<IdempotencyRecord>(&t, &record.key)?
                && existing.holds(now)
            {
                return Ok(Claim::Existing(existing));
            }
            t.insert(record.key.as_str(), to_json(&record)?.as_str())
                .map_err(err)?;
            Ok(Claim::Started)
        })
        .await
    }

    async fn complete_idempotency(&self, key: &str, response: &StoredResponse) -> Result<()> {
        let key = key.to_owned();
        let response = response.clone();
        self.write(move |tx| {
            let mut t = tx.open_table(IDEMPOTENCY).map_err(err)?;
            let Some(mut record) = get_json::<IdempotencyRecord>(&t, &key)? else {
                return Err(Error::NotFound(format!("idempotency record {key}")));
            };
            record.status = IdempotencyStatus::Completed;
            record.response = Some(response);
            t.insert(key.as_str(), to_json(&record)?.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn release_idempotency(&self, key: &str) -> Result<()> {
        let key = key.to_owned();
        self.write(move |tx| {
            tx.open_table(IDEMPOTENCY)
                .map_err(err)?
                .remove(key.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn purge_expired(&self, now: u64) -> Result<u32> {
        self.write(move |tx| {
            let expired =
                purge_where::<IdempotencyRecord>(tx, IDEMPOTENCY, now, |r| r.expires_at_ms)?;
            let idle = purge_where::<Allowance>(tx, ALLOWANCES, now, Allowance::expires_at_ms)?;
            let live = crate::live::purge_expired(tx, now)?;
            Ok(expired + idle + live)
        })
        .await
    }

    async fn delete_book(&self, id: &BookId) -> Result<()> {
        let id = id.to_string();
        self.write(move |tx| {
            let mut books = tx.open_table(BOOKS).map_err(err)?;
            let Some(book) = get_json::<Book>(&books, &id)? else {
                return Ok(());
            };
            let prefix = format!("{id}#");
            let mut shares = tx.open_table(SHARES).map_err(err)?;
            let granted: Vec<Share> = prefix_values(&shares, &prefix)?;
            let mut shared_with = tx.open_table(SHARED_WITH).map_err(err)?;
            for share in &granted {
                shares
                    .remove(share_key(&share.book_id, &share.user).as_str())
                    .map_err(err)?;
                shared_with
                    .remove(shared_key(&share.user, &share.book_id).as_str())
                    .map_err(err)?;
            }
            // Pages and their revision history share the `<book>#` key prefix.
            let end = format!("{prefix}\u{7f}");
            for table in [PAGES, REVISIONS] {
                tx.open_table(table)
                    .map_err(err)?
                    .retain_in(prefix.as_str()..end.as_str(), |_, _| false)
                    .map_err(err)?;
            }
            let index = format!("{}#{:020}#{}", book.owner, book.created_at, book.id);
            tx.open_table(OWNER_BOOKS)
                .map_err(err)?
                .remove(index.as_str())
                .map_err(err)?;
            books.remove(id.as_str()).map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn put_share(&self, share: &Share) -> Result<()> {
        let json = to_json(share)?;
        let key = share_key(&share.book_id, &share.user);
        let index = shared_key(&share.user, &share.book_id);
        self.write(move |tx| {
            tx.open_table(SHARES)
                .map_err(err)?
                .insert(key.as_str(), json.as_str())
                .map_err(err)?;
            tx.open_table(SHARED_WITH)
                .map_err(err)?
                .insert(index.as_str(), json.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn get_share(&self, book: &BookId, user: &OwnerId) -> Result<Option<Share>> {
        let key = share_key(book, user);
        self.read(move |tx| get_json(&tx.open_table(SHARES).map_err(err)?, &key))
            .await
    }

    async fn list_shares(&self, book: &BookId) -> Result<Vec<Share>> {
        let prefix = format!("{book}#");
        let mut all: Vec<Share> = self
            .read(move |tx| prefix_values(&tx.open_table(SHARES).map_err(err)?, &prefix))
            .await?;
        all.sort_by(|a, b| (a.granted_at, &a.user).cmp(&(b.granted_at, &b.user)));
        Ok(all)
    }

    async fn shared_with(&self, user: &OwnerId) -> Result<Vec<Share>> {
        let prefix = format!("{user}#");
        let mut all: Vec<Share> = self
            .read(move |tx| prefix_values(&tx.open_table(SHARED_WITH).map_err(err)?, &prefix))
            .await?;
        all.sort_by(|a, b| (b.granted_at, &b.book_id).cmp(&(a.granted_at, &a.book_id)));
        Ok(all)
    }

    async fn delete_share(&self, book: &BookId, user: &OwnerId) -> Result<bool> {
        let key = share_key(book, user);
        let index = shared_key(user, book);
        self.write(move |tx| {
            let removed = tx
                .open_table(SHARES)
                .map_err(err)?
                .remove(key.as_str())
                .map_err(err)?
                .is_some();
            tx.open_table(SHARED_WITH)
                .map_err(err)?
                .remove(index.as_str())
                .map_err(err)?;
            Ok(removed)
        })
        .await
    }

    async fn get_allowance(&self, owner: &OwnerId) -> Result<Option<Allowance>> {
        let key = owner.to_string();
        self.read(move |tx| get_json(&tx.open_table(ALLOWANCES).map_err(err)?, &key))
            .await
    }

    async fn put_allowance(&self, allowance: &Allowance) -> Result<Allowance> {
        let expected = allowance.version;
        let next = Allowance {
            version: expected + 1,
            ..allowance.clone()
        };
        self.write(move |tx| {
            let mut t = tx.open_table(ALLOWANCES).map_err(err)?;
            put_versioned(
                &mut t,
                next.owner.as_str(),
                &next,
                expected,
                |a: &Allowance| a.version,
            )?;
            Ok(next)
        })
        .await
    }
}

fn share_key(book: &BookId, user: &OwnerId) -> String {
    format!("{book}#{user}")
}

fn shared_key(user: &OwnerId, book: &BookId) -> String {
    format!("{user}#{book}")
}
