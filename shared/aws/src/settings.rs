//! Where the stack's resources are, from the environment the template sets: names and URLs
//! only, never a credential (those come from Secrets Manager).

use crate::QueueUrls;
use std::collections::HashMap;
use storyloom_domain::message::QueueName;

/// A variable the function needs is missing.
#[derive(Debug, thiserror::Error)]
#[error("environment variable {0} is not set (the template sets it for every function)")]
pub struct SettingsError(pub String);

/// Resource names for one deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub table: String,
    pub bucket: String,
    pub queues: QueueUrls,
    /// Secret ids are this prefix plus the secret's name (`storyloom/prod/` + `openai`).
    pub secrets_prefix: String,
}

impl Settings {
    /// Reads `TABLE_NAME`, `BUCKET_NAME`, `SECRETS_PREFIX` and, per stage, `<STAGE>_QUEUE_URL`
    /// and `<STAGE>_DLQ_URL` (a function gets only the queues it uses).
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// As [`Settings::from_env`], from any lookup.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let need = |k: &str| get(k).ok_or_else(|| SettingsError(k.to_owned()));
        let mut work = HashMap::new();
        let mut dead = HashMap::new();
        for q in QueueName::ALL {
            let stage = q.as_str().to_uppercase();
            if let Some(url) = get(&format!("{stage}_QUEUE_URL")) {
                work.insert(q, url);
            }
            if let Some(url) = get(&format!("{stage}_DLQ_URL")) {
                dead.insert(q, url);
            }
        }
        Ok(Settings {
            table: need("TABLE_NAME")?,
            bucket: need("BUCKET_NAME")?,
            queues: QueueUrls { work, dead },
            secrets_prefix: get("SECRETS_PREFIX").unwrap_or_default(),
        })
    }
}
