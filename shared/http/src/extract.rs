//! The JSON body extractor: every malformed body is a problem naming what is wrong, never
//! a 500.

use crate::problem::Problem;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

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
