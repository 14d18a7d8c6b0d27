//! The one error type of the domain, classified by what a caller should do about it.

use crate::status::IllegalTransition;
use crate::validation::FieldError;

/// What a caller should do with an error: retry it later, give up, or never retry because
/// a content policy refused the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// Timeouts, throttling, a provider's 5xx, a lost write race: try again with backoff.
    Transient,
    /// Bad data or a bug: retrying cannot help.
    Permanent,
    /// A content policy refused the request or the result: never retry.
    PolicyBlock,
}

impl ErrorClass {
    /// The class's name in metrics and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::Transient => "transient",
            ErrorClass::Permanent => "permanent",
            ErrorClass::PolicyBlock => "policy_block",
        }
    }
}

/// Errors across the domain and its ports.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum Error {
    /// Input that breaks the rules; each field says what is wrong in words a person reads.
    #[error("{}", crate::validation::summary(.0))]
    Invalid(Vec<FieldError>),
    /// The caller may see the thing but not do this to it (a viewer editing, say).
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// A per-user limit refused the request; nothing was done. Worth retrying after the
    /// delay.
    #[error("{reason}; try again in {retry_after_ms} ms")]
    Limited { reason: String, retry_after_ms: u64 },
    /// The thing does not exist (or is not visible to this owner).
    #[error("{0} was not found")]
    NotFound(String),
    /// A conditional write lost: the record changed or already exists.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The client changed something from a state that is no longer current (a stale
    /// `If-Match`).
    #[error("{0}")]
    Stale(String),
    /// The client must say which state it changes from (`If-Match`) and did not.
    #[error("{0}")]
    PreconditionRequired(String),
    /// A model call would take the book or its owner past a budget; it was not made.
    #[error("over budget: {0}")]
    OverBudget(String),
    /// The status machine refused a move.
    #[error(transparent)]
    IllegalTransition(#[from] IllegalTransition),
    /// Worth retrying later.
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Not worth retrying.
    #[error("{0}")]
    Permanent(String),
    /// A content policy refused it.
    #[error("blocked by content policy: {0}")]
    PolicyBlocked(String),
    /// A provider's circuit breaker is open: nothing was attempted. Worth retrying after
    /// the delay, without counting it as a failed attempt.
    #[error("{provider} is unavailable for now (circuit open); retry in {retry_after_ms} ms")]
    CircuitOpen {
        provider: String,
        retry_after_ms: u64,
    },
}

impl Error {
    /// How a caller should treat this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::Transient(_)
            | Error::Conflict(_)
            | Error::CircuitOpen { .. }
            | Error::Limited { .. } => ErrorClass::Transient,
            Error::PolicyBlocked(_) => ErrorClass::PolicyBlock,
            Error::Invalid(_)
            | Error::NotFound(_)
            | Error::Forbidden(_)
            | Error::IllegalTransition(_)
            | Error::Stale(_)
            | Error::PreconditionRequired(_)
            | Error::OverBudget(_)
            | Error::Permanent(_) => ErrorClass::Permanent,
        }
    }

    /// Shorthand for a single-field validation error.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }
}

/// Result alias used across the domain and its ports.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_drive_retry_decisions() {
        assert_eq!(Error::Transient("x".into()).class(), ErrorClass::Transient);
        assert_eq!(Error::Conflict("x".into()).class(), ErrorClass::Transient);
        assert_eq!(
            Error::PolicyBlocked("x".into()).class(),
            ErrorClass::PolicyBlock
        );
        assert_eq!(Error::Permanent("x".into()).class(), ErrorClass::Permanent);
        assert_eq!(
            Error::invalid("premise", "is empty").class(),
            ErrorClass::Permanent
        );
    }
}
