//! `Idempotency-Key` on `POST`: the first request with a key does the work and its success
//! is stored; a repeat with the same request gets the stored response without the work
//! being done again; a repeat with a different request is a 422; a repeat while the first
//! is still running is a 409 with `Retry-After`. A failed request releases its key so the
//! client can try again. Keys are scoped by owner, method and path.

use crate::caller::Owner;
use crate::endpoint::BODY_LIMIT;
use crate::problem::Problem;
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use storyloom_application::Ports;
use storyloom_domain::idempotency::{Claim, IdempotencyRecord, StoredResponse, check_key};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// Set on a replayed response.
pub const REPLAYED: &str = "idempotent-replayed";

/// Put on a request that carries an idempotency key: a stable name for what the request
/// creates, from the key and the request, so a re-execution after its claim lapsed (the
/// first holder died after doing the work) finds the first result instead of making a
/// second one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StableId(pub String);

impl StableId {
    /// The id a request creates: the stable one when it has a key, else a fresh one.
    pub(crate) fn or_fresh(stable: Option<&StableId>) -> String {
        stable.map_or_else(|| uuid::Uuid::new_v4().to_string(), |s| s.0.clone())
    }
}

/// The middleware.
pub(crate) async fn idempotent(
    State(ports): State<Ports>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(raw) = request.headers().get(HEADER) else {
        return next.run(request).await;
    };
    let key = match raw.to_str().map_err(|_| ()).and_then(|k| {
        check_key(k).map_err(|_| ())?;
        Ok(k.to_owned())
    }) {
        Ok(k) => k,
        Err(()) => {
            return Problem::new(
                StatusCode::BAD_REQUEST,
                "Invalid idempotency key",
                "Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID",
            )
            .into_response();
        }
    };
    let (mut parts, body) = request.into_parts();
    let owner = match Owner::from_request_parts(&mut parts, &()).await {
        Ok(Owner(owner)) => owner,
        Err(problem) => return problem.into_response(),
    };
    let Ok(bytes) = to_bytes(body, BODY_LIMIT).await else {
        return Problem::payload_too_large().into_response();
    };
    let path = parts.uri.path().to_owned();
    let scoped = format!("{owner}:POST {path}:{key}");
    let hash = {
        let mut h = Sha256::new();
        h.update(path.as_bytes());
        h.update([0]);
        h.update(&bytes);
        h.finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let now = ports.clock.now_ms();
    let claim = IdempotencyRecord::claim(scoped.clone(), hash.clone(), now);
    match ports.store.claim_idempotency(&claim, now).await {
        Err(e) => return Problem::from(e).into_response(),
        Ok(Claim::Existing(held)) if held.payload_hash != hash => {
            return Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Idempotency key reused",
                "this Idempotency-Key was already used with a different request; send a new key \
                 for a new request",
            )
            .into_response();
        }
        Ok(Claim::Existing(held)) => {
            return match held.response {
                Some(stored) => replay(stored),
                None => Problem::new(
                    StatusCode::CONFLICT,
                    "Request in progress",
                    "a request with this Idempotency-Key is still being handled; retry \
                     shortly",
                )
                .retry_after(1)
                .into_response(),
            };
        }
        Ok(Claim::Started) => {}
    }
    let stable = {
        let mut h = Sha256::new();
        h.update(scoped.as_bytes());
        h.update([0]);
        h.update(hash.as_bytes());
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        StableId(format!("k-{}", &hex[..32]))
    };
    parts.extensions.insert(stable);
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if !response.status().is_success() {
        if let Err(e) = ports.store.release_idempotency(&scoped).await {
            tracing::warn!(error = %e, "could not release an idempotency key; it lapses on its own");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let text = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let stored = StoredResponse {
        status: parts.status.as_u16(),
        content_type: text(header::CONTENT_TYPE),
        location: text(header::LOCATION),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    if let Err(e) = ports.store.complete_idempotency(&scoped, &stored).await {
        // The work is done; a repeat after the in-progress expiry would redo it.
        tracing::warn!(error = %e, "could not store an idempotent response");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.body).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, stored.content_type),
        (header::LOCATION, stored.location),
    ] {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(name, v);
        }
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}
