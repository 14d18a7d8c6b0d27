//! Blobs as files under a directory, written atomically (temporary file, then rename).

use async_trait::async_trait;
use std::path::{Path, PathBuf};
use std::time::Duration;
use storyloom_domain::ports::BlobStore;
use storyloom_domain::{Error, Result};

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
        let ok = !key.is_empty()
            && key.split('/').all(|seg| {
                !seg.is_empty()
                    && !seg.starts_with('.')
                    && seg
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'))
            });
        if ok {
            Ok(self.root.join(key))
        } else {
            Err(Error::Permanent(format!("invalid blob key {key:?}")))
        }
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
}
