//! Extractors that turn every malformed request into a problem, never a 500: the owner
//! header, path ids, and JSON bodies.

use crate::problem::Problem;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use storyloom_domain::OwnerId;

/// Where a router takes the caller's identity from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// The `X-Owner-Id` header, trusted as sent: the local stack on one machine.
    Header,
    /// Only a [`VerifiedOwner`] put on the request by the edge (on AWS, the subject of a
    /// JWT that API Gateway's authorizer verified); any `X-Owner-Id` header is ignored.
    Verified,
}

/// The caller's id, verified by the edge before the request reached the router.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedOwner(pub OwnerId);

/// The caller; every query is scoped by it.
pub struct Owner(pub OwnerId);

fn unauthorized(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::UNAUTHORIZED, "Unauthorized", detail)
}

impl<S: Send + Sync> FromRequestParts<S> for Owner {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(VerifiedOwner(owner)) = parts.extensions.get::<VerifiedOwner>() {
            return Ok(Owner(owner.clone()));
        }
        if parts.extensions.get::<Identity>() != Some(&Identity::Header) {
            return Err(unauthorized(
                "sign in first: send a valid bearer token in the Authorization header",
            ));
        }
        let raw = parts
            .headers
            .get("x-owner-id")
            .ok_or_else(|| unauthorized("send your user id in the X-Owner-Id header"))?;
        let raw = raw
            .to_str()
            .map_err(|_| unauthorized("X-Owner-Id must be plain text"))?;
        OwnerId::parse(raw)
            .map(Owner)
            .map_err(|e| unauthorized(format!("X-Owner-Id is not usable: {e}")))
    }
}

/// A JSON body whose every rejection is a problem naming what is wrong.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                "send the body as JSON with Content-Type: application/json",
            )),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "Malformed JSON",
                format!("the body is not valid JSON: {}", source(&e)),
            )),
            Err(JsonRejection::JsonDataError(e)) => Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid request",
                format!("the body does not fit: {}", source(&e)),
            )),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(Problem::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "Payload too large",
                    "the body is larger than this endpoint accepts",
                ))
            }
            Err(e) => Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "Bad request",
                e.body_text(),
            )),
        }
    }
}

/// serde's own message (it names the field and what it expected), without axum's prefix.
fn source(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        msg = s.to_string();
        cur = s.source();
    }
    msg
}
