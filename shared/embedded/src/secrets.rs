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
