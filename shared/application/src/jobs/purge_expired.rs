//! purge-expired: deletes expired records (idempotency keys; DynamoDB's TTL does this
//! itself) and blobs nothing points at any more — pictures from superseded or duplicated
//! attempts, and everything of a book that no longer exists.

use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use storyloom_domain::ports::{
    BlobStore, BookStore, Clock, IdempotencyStore, PageStore, RevisionStore,
};
use storyloom_domain::{BookId, Result};

/// Blobs younger than this are left alone: an illustration may have stored its picture
/// and not yet recorded it on the page.
pub const GRACE_MS: u64 = 60 * 60 * 1000;

/// What a run deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    /// Blobs looked at.
    pub examined: u32,
    /// Orphaned blobs deleted.
    pub deleted: u32,
    /// Expired records deleted (none where the store expires them itself).
    pub expired_records: u32,
}

/// Purges orphaned blobs under `books/`.
pub async fn run<S>(store: &S, blob_store: &dyn BlobStore, clock: &dyn Clock) -> Result<PurgeReport>
where
    S: IdempotencyStore + BookStore + PageStore + RevisionStore + ?Sized,
{
    let now = clock.now_ms();
    let mut by_book: BTreeMap<String, Vec<storyloom_domain::ports::BlobInfo>> = BTreeMap::new();
    for blob in blob_store.list("books/").await? {
        if let Some(book) = blob.key.split('/').nth(1) {
            by_book.entry(book.to_owned()).or_default().push(blob);
        }
    }
    let mut report = PurgeReport {
        expired_records: store.purge_expired(now).await?,
        ..PurgeReport::default()
    };
    for (raw_id, blobs) in by_book {
        report.examined += blobs.len() as u32;
        let Ok(book_id) = BookId::parse(&raw_id) else {
            continue;
        };
        let keep: HashSet<String> = match store.get_book(&book_id).await? {
            None => HashSet::new(),
            Some(book) => {
                let mut keep = HashSet::new();
                for page in store.list_pages(&book_id).await? {
                    // Pictures a page had at earlier revisions stay: a restore needs them.
                    for old in store.list_revisions(&book_id, page.number).await? {
                        keep.extend(old.image_key);
                    }
                    keep.extend(page.image_key);
                }
                keep.extend(book.pdf_key);
                keep.extend(book.epub_key);
                keep
            }
        };
        for blob in blobs {
            if keep.contains(&blob.key) || blob.modified_ms.saturating_add(GRACE_MS) > now {
                continue;
            }
            blob_store.delete(&blob.key).await?;
            tracing::info!(key = %blob.key, "deleted an orphaned blob");
            report.deleted += 1;
        }
    }
    Ok(report)
}
