//! Idempotency records for `POST` requests carrying an `Idempotency-Key`, after the AWS
//! Lambda Powertools model: a record is claimed *in progress* before the work, *completed*
//! with the response after it, and expires. A holder that crashes mid-request blocks the
//! key only until its in-progress expiry, not for the record's whole life.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// How long a completed request is remembered.
pub const RECORD_TTL_MS: u64 = 24 * 60 * 60 * 1000;
/// How long an in-progress claim holds the key before another request may take it over.
pub const IN_PROGRESS_TTL_MS: u64 = 60 * 1000;
/// The longest key accepted.
pub const MAX_KEY_LEN: usize = 255;

/// Where the request behind a key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdempotencyStatus {
    InProgress,
    Completed,
}

/// The response replayed for a repeated request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: String,
}

/// One key's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// The caller's key, scoped by owner and route so callers cannot collide.
    pub key: String,
    pub status: IdempotencyStatus,
    /// A hash of the request (method, path, body): the same key with another request is
    /// refused.
    pub payload_hash: String,
    pub response: Option<StoredResponse>,
    /// Ms since the epoch after which the record is forgotten.
    pub expires_at_ms: u64,
    /// Ms since the epoch after which an unfinished claim may be taken over.
    pub in_progress_until_ms: u64,
}

impl IdempotencyRecord {
    /// A fresh in-progress claim made at `now`.
    pub fn claim(key: String, payload_hash: String, now: u64) -> Self {
        IdempotencyRecord {
            key,
            status: IdempotencyStatus::InProgress,
            payload_hash,
            response: None,
            expires_at_ms: now + RECORD_TTL_MS,
            in_progress_until_ms: now + IN_PROGRESS_TTL_MS,
        }
    }

    /// Whether the record still holds its key at `now`.
    pub fn holds(&self, now: u64) -> bool {
        self.expires_at_ms > now
            && (self.status == IdempotencyStatus::Completed || self.in_progress_until_ms > now)
    }
}

/// The result of claiming a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key was free (or its record had lapsed): go ahead.
    Started,
    /// Another request holds the key.
    Existing(IdempotencyRecord),
}

/// Checks a client's key: 1 to 255 visible ASCII characters.
pub fn check_key(raw: &str) -> Result<()> {
    if !raw.is_empty() && raw.len() <= MAX_KEY_LEN && raw.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(Error::Invalid(vec![crate::validation::FieldError {
            field: "Idempotency-Key".into(),
            message: format!("must be 1 to {MAX_KEY_LEN} visible ASCII characters, such as a UUID"),
        }]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_holds_until_its_in_progress_expiry_and_a_completion_until_the_ttl() {
        let mut r = IdempotencyRecord::claim("k".into(), "h".into(), 1_000);
        assert!(r.holds(1_000 + IN_PROGRESS_TTL_MS - 1));
        assert!(!r.holds(1_000 + IN_PROGRESS_TTL_MS));
        r.status = IdempotencyStatus::Completed;
        assert!(r.holds(1_000 + IN_PROGRESS_TTL_MS));
        assert!(!r.holds(1_000 + RECORD_TTL_MS));
    }

    #[test]
    fn keys_are_checked() {
        assert!(check_key("3f1c2a9e-8d1b-4f4e-9a51-0c2b7c1d9e10").is_ok());
        assert!(check_key("").is_err());
        assert!(check_key("has space").is_err());
        assert!(check_key(&"x".repeat(256)).is_err());
    }
}
