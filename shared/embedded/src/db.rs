//! Shared plumbing for the redb-backed adapters: opening, error mapping, and running
//! blocking transactions off the async executor.

use std::path::Path;
use std::sync::Arc;
use storyloom_domain::Error;

/// Opens (or creates) a redb file; a second process on the same file is refused by redb's
/// lock, which is what lets the queue reclaim in-flight messages on open.
pub(crate) fn open(path: &Path) -> Result<Arc<redb::Database>, Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Permanent(format!("cannot create {}: {e}", dir.display())))?;
    }
    redb::Database::create(path)
        .map(Arc::new)
        .map_err(|e| Error::Permanent(format!("cannot open {}: {e}", path.display())))
}

/// Storage failures are worth a retry (a full disk, a busy file); callers see them as
/// transient.
pub(crate) fn err(e: impl Into<redb::Error>) -> Error {
    Error::Transient(format!("embedded store: {}", e.into()))
}

/// Runs a blocking closure on tokio's blocking pool.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T, Error>
where
    F: FnOnce() -> Result<T, Error> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Transient(format!("embedded store task: {e}")))?
}

/// JSON in, JSON out: records are stored as JSON text.
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> Result<String, Error> {
    serde_json::to_string(v).map_err(|e| Error::Permanent(format!("cannot encode record: {e}")))
}

/// See [`to_json`].
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, Error> {
    serde_json::from_str(s).map_err(|e| Error::Permanent(format!("corrupt record: {e}")))
}

/// Copies the given tables of `db`, as one read transaction sees them, into a new database
/// at `dest`: a consistent snapshot taken while writers carry on.
pub(crate) fn snapshot(
    db: &redb::Database,
    text_tables: &[redb::TableDefinition<&str, &str>],
    count_tables: &[redb::TableDefinition<&str, u64>],
    dest: &Path,
) -> Result<(), Error> {
    use redb::ReadableDatabase;
    let read = db.begin_read().map_err(err)?;
    let copy = redb::Database::create(dest)
        .map_err(|e| Error::Permanent(format!("cannot create {}: {e}", dest.display())))?;
    let write = copy.begin_write().map_err(err)?;
    for def in text_tables {
        copy_table(&read, &write, *def)?;
    }
    for def in count_tables {
        copy_table(&read, &write, *def)?;
    }
    write.commit().map_err(err)?;
    Ok(())
}

/// Copies every row of one table from a read transaction into a write transaction.
fn copy_table<V: redb::Value + 'static>(
    read: &redb::ReadTransaction,
    write: &redb::WriteTransaction,
    def: redb::TableDefinition<&str, V>,
) -> Result<(), Error> {
    use redb::ReadableTable;
    let from = read.open_table(def).map_err(err)?;
    let mut to = write.open_table(def).map_err(err)?;
    for row in from.iter().map_err(err)? {
        let (k, v) = row.map_err(err)?;
        to.insert(k.value(), v.value()).map_err(err)?;
    }
    Ok(())
}
