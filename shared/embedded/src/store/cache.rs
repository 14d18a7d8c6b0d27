//! A read-through cache of the reads every progress poll makes (a book, its pages), so a
//! poll of a book that has not changed reads nothing from the file.
//!
//! An entry is good while the store has committed no write transaction since it was read:
//! the writer counts each commit as it happens ([`crate::CommitStats::transactions`]), and
//! a read remembers the count from before it began, so a commit that raced the read makes
//! the entry stale at once. Only this process can write the file — redb holds it locked
//! while it is open, so a second process cannot open the data directory at all (a test
//! shows it) — so the store's own writes are every write there is.

use std::collections::HashMap;
use std::sync::Mutex;

/// Entries kept at most; past it the cache starts again empty (a progress poll only
/// needs the books being watched now).
const MOST: usize = 4_096;

/// Values read at a commit count, by key.
pub(crate) struct ReadCache<V> {
    entries: Mutex<HashMap<String, (u64, V)>>,
}

impl<V> Default for ReadCache<V> {
    fn default() -> Self {
        ReadCache {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<V: Clone> ReadCache<V> {
    /// The value of `key`, if it was read when the commit count was `now`.
    pub(crate) fn get(&self, key: &str, now: u64) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(read_at, _)| *read_at == now)
            .map(|(_, value)| value.clone())
    }

    /// Keeps `value` of `key`, read in a transaction begun when the count was `read_at`.
    pub(crate) fn keep(&self, key: String, read_at: u64, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MOST {
                entries.clear();
            }
            entries.insert(key, (read_at, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_good_only_at_the_count_it_was_read_at() {
        let cache = ReadCache::default();
        cache.keep("book".into(), 7, "draft");
        assert_eq!(cache.get("book", 7), Some("draft"));
        assert_eq!(cache.get("book", 8), None, "a commit since makes it stale");
        assert_eq!(cache.get("other", 7), None);
    }
}
