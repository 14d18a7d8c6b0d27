//! What a provider's refusal means for the pipeline: try again later (throttling, 5xx, a
//! timeout, a garbled body), a policy block (the content filter), or a permanent error
//! (a refused key, an unknown model, a request the provider will never accept).

use crate::https::NoAnswer;
use serde::Deserialize;
use storyloom_domain::Error;

/// The error object OpenAI-compatible servers answer with.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error: ErrorDetail,
}

#[derive(Debug, Default, Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

/// Error codes that mean the provider's content filter refused the request.
const POLICY_CODES: &[&str] = &[
    "content_filter",
    "content_policy_violation",
    "moderation_blocked",
    "ResponsibleAIPolicyViolation",
];

/// Classifies an unsuccessful HTTP answer from `provider`.
pub(crate) fn from_status(provider: &str, status: u16, body: &str, key_secret: &str) -> Error {
    let parsed: ErrorBody = serde_json::from_str(body).unwrap_or_default();
    let code = parsed
        .error
        .code
        .as_ref()
        .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_owned))
        .or(parsed.error.kind.clone())
        .unwrap_or_default();
    let message = parsed
        .error
        .message
        .unwrap_or_else(|| body.chars().take(200).collect());
    let detail = format!("{provider} answered {status} {code}: {message}");
    if POLICY_CODES.contains(&code.as_str()) {
        return Error::PolicyBlocked(detail);
    }
    match status {
        408 | 409 | 425 | 429 | 500..=599 => Error::Transient(detail),
        401 | 403 => Error::Permanent(format!(
            "{detail} (check the key in the `{key_secret}` secret)"
        )),
        _ => Error::Permanent(detail),
    }
}

/// Classifies a request that got no HTTP answer: a timeout, a refused or dropped
/// connection all pass.
pub(crate) fn from_transport(provider: &str, e: NoAnswer) -> Error {
    match e {
        NoAnswer::Timeout => Error::Transient(format!("{provider} did not answer in time")),
        NoAnswer::Unreachable(why) => {
            Error::Transient(format!("{provider} could not be reached: {why}"))
        }
    }
}

/// A 2xx answer whose body is not what the API promises (a proxy's error page, a
/// truncated body): worth another try.
pub(crate) fn garbled(provider: &str, what: &str, e: impl std::fmt::Display) -> Error {
    Error::Transient(format!(
        "{provider} returned a body that is not {what}: {e}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_what_the_pipeline_does_next() {
        let throttled = r#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#;
        assert!(matches!(
            from_status("p", 429, throttled, "k"),
            Error::Transient(_)
        ));
        assert!(matches!(
            from_status("p", 503, "<html>", "k"),
            Error::Transient(_)
        ));
        let filtered = r#"{"error":{"message":"filtered","type":"invalid_request_error","code":"content_filter"}}"#;
        assert!(matches!(
            from_status("p", 400, filtered, "k"),
            Error::PolicyBlocked(_)
        ));
        let key = from_status(
            "p",
            401,
            r#"{"error":{"message":"Incorrect API key"}}"#,
            "model-provider",
        );
        assert!(matches!(&key, Error::Permanent(m) if m.contains("model-provider")));
        assert!(matches!(
            from_status("p", 404, "{}", "k"),
            Error::Permanent(_)
        ));
    }
}
