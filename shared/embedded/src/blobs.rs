//! Blobs as files under a directory, written atomically (temporary file, then rename).

use async_trait::async_trait;
use std::path::{Path, PathBuf};
use std::time::Duration;
use storyloom_domain::ports::{BlobInfo, BlobStore};
use storyloom_domain::{Error, Result, blob_key};

/// A directory of blobs keyed by relative paths such as `books/<id>/book.pdf`.
#[derive(Debug, Clone)]
pub struct DirBlobStore {
    root: PathBuf,
}

impl DirBlobStore {
    /// Uses (and creates) `root`.
    pub fn open(root: &Path) -> Result<Self> {
        std::fs::create_dir_all(root)
            .map_err(|e| Error::Permanent(format!("cannot create {}: {e}", root.display())))?;
        Ok(DirBlobStore {
            root: root.to_owned(),
        })
    }

    /// Keys are checked so none can escape the directory.
    fn path(&self, key: &str) -> Result<PathBuf> {
        blob_key::check(key)?;
        Ok(self.root.join(key))
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Transient(format!("blob store: {e}"))
}

#[async_trait]
impl BlobStore for DirBlobStore {
    async fn put(&self, key: &str, bytes: Vec<u8>, _content_type: &str) -> Result<()> {
        let path = self.path(key)?;
        let dir = path
            .parent()
            .map(Path::to_owned)
            .unwrap_or_else(|| self.root.clone());
        tokio::fs::create_dir_all(&dir).await.map_err(io)?;
        let tmp = dir.join(format!(".{}.tmp", uuid::Uuid::new_v4()));
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)
        })
        .await
        .map_err(|e| Error::Transient(format!("blob store task: {e}")))?
        .map_err(io)
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        match tokio::fs::read(self.path(key)?).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<()> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io(e)),
        }
    }

    async fn presign_get(&self, _key: &str, _ttl: Duration) -> Result<Option<String>> {
        // Locally the API streams blobs itself; there is nothing to presign.
        Ok(None)
    }

    async fn list(&self, prefix: &str) -> Result<Vec<BlobInfo>> {
        let root = self.root.clone();
        let prefix = prefix.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            walk(&root, &root, &prefix, &mut out)?;
            out.sort_by(|a, b| a.key.cmp(&b.key));
            Ok(out)
        })
        .await
        .map_err(|e| Error::Transient(format!("blob store task: {e}")))?
    }
}

/// Collects the files under `dir` whose keys start with `prefix`, skipping temporary files
/// and directories the prefix rules out.
fn walk(root: &Path, dir: &Path, prefix: &str, out: &mut Vec<BlobInfo>) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let Some(key) = path
            .strip_prefix(root)
            .ok()
            .and_then(|p| p.to_str())
            .map(|k| k.replace(std::path::MAIN_SEPARATOR, "/"))
        else {
            continue;
        };
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let meta = entry.metadata().map_err(io)?;
        if meta.is_dir() {
            let as_dir = format!("{key}/");
            if as_dir.starts_with(prefix) || prefix.starts_with(&as_dir) {
                walk(root, &path, prefix, out)?;
            }
        } else if key.starts_with(prefix) {
            let modified_ms = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_millis() as u64);
            out.push(BlobInfo {
                key,
                size: meta.len(),
                modified_ms,
            });
        }
    }
    Ok(())
}
