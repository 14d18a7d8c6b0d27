//! The embedded store: one redb file, one transaction per operation; one file per store port.

use crate::committer::{CommitStats, Committer, Grouping};
use crate::db::{blocking, err, from_json, open, to_json};
use async_trait::async_trait;
use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use std::path::Path;
use std::sync::Arc;
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
mod cache;
mod characters;
mod idempotency;
mod operations;
mod pages;
mod revisions;
mod shares;
mod spending;

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
    committer: Committer,
    /// Books as last read, for progress polls.
    books: Arc<cache::ReadCache<Option<Book>>>,
    /// Books' pages as last read, for progress polls.
    pages: Arc<cache::ReadCache<Vec<Page>>>,
}

impl FileStore {
    /// Opens or creates the store at `path`, its writers sharing durable syncs.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, Grouping::default())
    }

    /// Opens or creates the store at `path`, with or without shared syncs.
    pub fn open_with(path: &Path, grouping: Grouping) -> Result<Self> {
        let db = open(path)?;
        let tx = db.begin_write().map_err(err)?;
        for t in TABLES {
            tx.open_table(t).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(FileStore {
            committer: Committer::start(db.clone(), grouping, "store")?,
            db,
            books: Arc::default(),
            pages: Arc::default(),
        })
    }

    /// How many write transactions and durable syncs the store has had.
    pub fn commits(&self) -> Arc<CommitStats> {
        self.committer.stats()
    }

    /// Writes a consistent copy of the whole store to a new file at `dest` while it stays
    /// in use (a backup).
    pub async fn snapshot(&self, dest: &Path) -> Result<()> {
        let db = self.db.clone();
        let dest = dest.to_owned();
        blocking(move || crate::db::snapshot(&db, &TABLES, &[], &dest)).await
    }

    /// Reads `key` through `cache`: from it when nothing was committed since it was kept,
    /// else with `f`, keeping what `f` read.
    async fn read_cached<T, F>(&self, cache: &cache::ReadCache<T>, key: String, f: F) -> Result<T>
    where
        F: FnOnce(&redb::ReadTransaction) -> Result<T> + Send + 'static,
        T: Clone + Send + 'static,
    {
        let before = self.committer.transactions();
        if let Some(hit) = cache.get(&key, before) {
            return Ok(hit);
        }
        let read = self.read(f).await?;
        cache.keep(key, before, read.clone());
        Ok(read)
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
        self.committer.write(f).await
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

fn share_key(book: &BookId, user: &OwnerId) -> String {
    format!("{book}#{user}")
}

fn shared_key(user: &OwnerId, book: &BookId) -> String {
    format!("{user}#{book}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What lets the read cache trust the store's own writes: no other process (nor a
    /// second store in this one) can open a data directory while it is in use.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_store_in_use_cannot_be_opened_a_second_time() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("store.redb");
        let first = FileStore::open(&path).expect("opens");
        assert!(
            FileStore::open(&path).is_err(),
            "a second opening is refused"
        );
        drop(first);
        FileStore::open(&path).expect("opens again once the first is closed");
    }
}
