//! RFC 9457 problem details, and the mapping from domain errors to HTTP statuses.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use storyloom_domain::Error;
use storyloom_domain::validation::FieldError;

/// An HTTP error body (RFC 9457 problem details).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request, and what to do about it.
    pub detail: String,
    /// For invalid input: each field at fault and what is wrong with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub errors: Vec<FieldError>,
    /// Seconds the client should wait before trying again (`Retry-After`).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem with a status, a short title and a detail that says what to do.
    pub fn new(status: StatusCode, title: &str, detail: impl Into<String>) -> Self {
        Problem {
            kind: format!(
                "https://storyloom.dev/problems/{}",
                title.to_lowercase().replace(' ', "-")
            ),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// A body over [`BODY_LIMIT`](crate::BODY_LIMIT), wherever it is read.
    pub fn payload_too_large() -> Self {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Payload too large",
            format!("the body must be at most {} bytes", crate::BODY_LIMIT),
        )
    }

    /// The same problem, telling the client when to try again.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }
}

impl From<Error> for Problem {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid(errors) => {
                let mut p = Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Invalid request",
                    storyloom_domain::validation::summary(&errors),
                );
                p.errors = errors;
                p
            }
            Error::NotFound(what) => Problem::new(
                StatusCode::NOT_FOUND,
                "Not found",
                format!("{what} was not found"),
            ),
            Error::Forbidden(why) => Problem::new(StatusCode::FORBIDDEN, "Forbidden", why),
            Error::Limited {
                reason,
                retry_after_ms,
            } => Problem::new(StatusCode::TOO_MANY_REQUESTS, "Too many requests", reason)
                .retry_after(retry_after_ms.div_ceil(1000)),
            Error::Conflict(why) => Problem::new(StatusCode::CONFLICT, "Conflict", why),
            Error::Stale(why) => {
                Problem::new(StatusCode::PRECONDITION_FAILED, "Precondition failed", why)
            }
            Error::PreconditionRequired(why) => Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "Precondition required",
                why,
            ),
            Error::OverBudget(why) => {
                Problem::new(StatusCode::PAYMENT_REQUIRED, "Over budget", why)
            }
            Error::IllegalTransition(_) => {
                Problem::new(StatusCode::CONFLICT, "Conflict", e.to_string())
            }
            Error::PolicyBlocked(why) => {
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "Content not allowed", why)
            }
            Error::CircuitOpen { provider, .. } => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Service unavailable",
                format!("{provider} is unavailable for now; try again shortly"),
            ),
            Error::Transient(why) => {
                tracing::warn!(error = %why, "transient failure served as 503");
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Service unavailable",
                    "a dependency is temporarily unavailable; try again shortly",
                )
            }
            Error::Permanent(why) => {
                tracing::error!(error = %why, "internal error");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    "something went wrong on our side",
                )
            }
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(&self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        let retry_after = self
            .retry_after
            .or((status == StatusCode::SERVICE_UNAVAILABLE).then_some(2));
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"storyloom\""),
            );
        }
        response
    }
}

/// The last word on every error response: one that is not already a problem (a rejection
/// from axum or a layer below the handlers, answered in plain text or with no body at all)
/// becomes one, its text as the detail and its other headers (`Allow`, `Retry-After`) kept.
pub async fn ensure_problem(response: Response) -> Response {
    let status = response.status();
    let is_error = status.is_client_error() || status.is_server_error();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !is_error || is_problem {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let title = status.canonical_reason().unwrap_or("Error");
    let detail = if text.is_empty() {
        format!("the request was refused: {}", title.to_lowercase())
    } else {
        text
    };
    let mut problem = Problem::new(status, title, detail).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            problem.headers_mut().insert(name.clone(), value.clone());
        }
    }
    problem
}
