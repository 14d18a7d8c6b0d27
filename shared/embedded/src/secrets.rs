//! Secrets from a git-ignored JSON file (`{"name": "value"}`), re-read after a TTL so a
//! rotated value is picked up without a restart.

use async_trait::async_trait;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use storyloom_domain::ports::Secrets;
use storyloom_domain::{Error, Result};
use tokio::sync::Mutex;

/// Secrets read from a local file and cached for `ttl`.
pub struct FileSecrets {
    path: PathBuf,
    ttl: Duration,
    cache: Mutex<Option<(Instant, HashMap<String, String>)>>,
}

impl FileSecrets {
    /// Secrets at `path` (a missing file simply holds none).
    pub fn new(path: PathBuf, ttl: Duration) -> Self {
        FileSecrets {
            path,
            ttl,
            cache: Mutex::new(None),
        }
    }

    /// The secret `name`; when the file does not hold it yet, `make()` creates it and it is
    /// written to the file (readable by its owner only). Used for keys the local stack
    /// generates on first start, such as its token signing key.
    pub async fn get_or_create(&self, name: &str, make: impl FnOnce() -> String) -> Result<String> {
        let mut cache = self.cache.lock().await;
        let mut secrets = self.load().await?;
        if let Some(value) = secrets.get(name) {
            return Ok(value.clone());
        }
        let value = make();
        secrets.insert(name.to_owned(), value.clone());
        let text = serde_json::to_string_pretty(&secrets)
            .map_err(|e| Error::Permanent(format!("cannot encode secrets: {e}")))?;
        let temp = self.path.with_extension("json.tmp");
        write_private(&temp, text.as_bytes())
            .and_then(|()| std::fs::rename(&temp, &self.path))
            .map_err(|e| Error::Transient(format!("cannot write {}: {e}", self.path.display())))?;
        *cache = Some((Instant::now(), secrets));
        Ok(value)
    }

    async fn load(&self) -> Result<HashMap<String, String>> {
        match tokio::fs::read_to_string(&self.path).await {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                Error::Permanent(format!(
                    "{} is not a JSON object of strings: {e}",
                    self.path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashMap::new()),
            Err(e) => Err(Error::Transient(format!(
                "cannot read {}: {e}",
                self.path.display()
            ))),
        }
    }
}

/// Writes a file only its owner can read: it holds secrets.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[async_trait]
impl Secrets for FileSecrets {
    async fn get(&self, name: &str) -> Result<Option<String>> {
        let mut cache = self.cache.lock().await;
        let fresh = cache
            .as_ref()
            .is_some_and(|(at, _)| at.elapsed() < self.ttl);
        if !fresh {
            *cache = Some((Instant::now(), self.load().await?));
        }
        Ok(cache.as_ref().and_then(|(_, m)| m.get(name).cloned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_created_secret_is_kept_private_and_survives_a_reopen() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("secrets.json");
        std::fs::write(&path, r#"{"other": "kept"}"#).expect("write");
        let secrets = FileSecrets::new(path.clone(), Duration::from_secs(60));
        let first = secrets
            .get_or_create("key", || "made once".to_owned())
            .await
            .expect("created");
        let again = secrets
            .get_or_create("key", || "made twice".to_owned())
            .await
            .expect("read back");
        assert_eq!((first.as_str(), again.as_str()), ("made once", "made once"));

        let reopened = FileSecrets::new(path.clone(), Duration::from_secs(60));
        assert_eq!(
            reopened.get("key").await.expect("read"),
            Some("made once".to_owned())
        );
        assert_eq!(
            reopened.get("other").await.expect("read"),
            Some("kept".to_owned())
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "secrets must not be readable by others");
        }
    }
}
