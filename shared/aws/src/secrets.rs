//! `Secrets` from AWS Secrets Manager, cached in memory for a bounded time: a warm function
//! does not call Secrets Manager per request, and a rotated value is picked up within the
//! TTL without a redeploy. (The same policy as `aws-secretsmanager-caching`, without a
//! second copy of the SDK.)

use crate::error::{classify, code};
use async_trait::async_trait;
use aws_sdk_secretsmanager::Client;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use storyloom_domain::Result;
use storyloom_domain::ports::Secrets;
use tokio::sync::Mutex;

/// Secrets named `<prefix><name>`, cached for `ttl` (absent ones too, so a missing optional
/// secret costs one call per TTL, not one per request).
pub struct CachedSecrets {
    client: Client,
    prefix: String,
    ttl: Duration,
    cache: Mutex<HashMap<String, (Instant, Option<String>)>>,
}

impl CachedSecrets {
    /// A cache over `client`.
    pub fn new(client: Client, prefix: impl Into<String>, ttl: Duration) -> Self {
        CachedSecrets {
            client,
            prefix: prefix.into(),
            ttl,
            cache: Mutex::new(HashMap::new()),
        }
    }

    async fn fetch(&self, name: &str) -> Result<Option<String>> {
        match self
            .client
            .get_secret_value()
            .secret_id(format!("{}{name}", self.prefix))
            .send()
            .await
        {
            Ok(out) => Ok(out.secret_string),
            Err(e) if code(&e) == Some("ResourceNotFoundException") => Ok(None),
            Err(e) => Err(classify("reading a secret", e)),
        }
    }
}

#[async_trait]
impl Secrets for CachedSecrets {
    async fn get(&self, name: &str) -> Result<Option<String>> {
        if let Some((at, value)) = self.cache.lock().await.get(name)
            && at.elapsed() < self.ttl
        {
            return Ok(value.clone());
        }
        // Fetched outside the lock: one slow call must not stall every other secret.
        let value = self.fetch(name).await?;
        self.cache
            .lock()
            .await
            .insert(name.to_owned(), (Instant::now(), value.clone()));
        Ok(value)
    }
}
