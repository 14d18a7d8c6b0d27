//! The JSON body extractor: strict (unknown fields are refused by the types), and every
//! malformed body is a problem naming what is wrong and where, never a 500.

use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use storyloom_domain::validation::FieldError;

/// A JSON body whose every rejection is a problem naming the field at fault.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                "send the body as JSON with Content-Type: application/json",
            ));
        }
        let bytes = read(req, state).await?;
        parse(&bytes).map(Body)
    }
}

/// A JSON body that may be left out: nothing at all reads as `None`; anything sent must
/// be JSON of the type, as for [`Body`].
pub struct MaybeBody<T>(pub Option<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for MaybeBody<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = is_json(req.headers());
        let bytes = read(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(MaybeBody(None));
        }
        if !json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type",
                "send the body as JSON with Content-Type: application/json, or send none",
            ));
        }
        parse(&bytes).map(|v| MaybeBody(Some(v)))
    }
}

/// The body's bytes, with its size limit as a problem.
async fn read<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Problem> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::payload_too_large()
        } else {
            Problem::new(StatusCode::BAD_REQUEST, "Bad request", e.body_text())
        }
    })
}

/// Parses a JSON body, tracking the path to whatever does not fit.
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            Category::Data => {
                let field = field_name(&path);
                let message = strip_location(&inner.to_string());
                let mut p = Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Invalid request",
                    format!("{field}: {message}"),
                );
                p.errors = vec![FieldError::new(&field, message)];
                p
            }
            Category::Syntax | Category::Eof | Category::Io => Problem::new(
                StatusCode::BAD_REQUEST,
                "Malformed JSON",
                format!("the body is not valid JSON: {inner}"),
            ),
        }
    })?;
    de.end().map_err(|e| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "Malformed JSON",
            format!("the body has more after the JSON value: {e}"),
        )
    })?;
    Ok(value)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
}

/// The field at fault: its path (an unknown field's path ends in its own name), or `body`
/// when the whole body is at fault (a missing field, say; the message names it).
fn field_name(path: &str) -> String {
    if path == "." {
        "body".to_owned()
    } else {
        path.to_owned()
    }
}

/// serde_json's message without its "at line 1 column 7" suffix.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Order {
        premise: String,
        pages: u32,
        cast: Vec<String>,
    }

    fn problem(body: &str) -> Problem {
        parse::<Order>(body.as_bytes()).expect_err("refused")
    }

    #[test]
    fn every_misfit_names_its_field() {
        let cases = [
            (r#"{"premise": 3, "pages": 4, "cast": []}"#, "premise"),
            (r#"{"premise": "x", "pages": -4, "cast": []}"#, "pages"),
            (r#"{"premise": "x", "pages": 1e40, "cast": []}"#, "pages"),
            (r#"{"premise": "x", "pages": 4, "cast": [1]}"#, "cast[0]"),
            (
                r#"{"premise": "x", "pages": 4, "cast": [], "admin": true}"#,
                "admin",
            ),
            (r#"{"premise": "x", "cast": []}"#, "body"),
        ];
        for (body, field) in cases {
            let p = problem(body);
            assert_eq!(p.status, 422, "{body}");
            assert_eq!(p.errors[0].field, field, "{body}: {p:?}");
            assert!(!p.errors[0].message.contains("line 1"), "{p:?}");
        }
        assert!(
            problem(r#"{"premise": "x", "cast": []}"#)
                .detail
                .contains("pages")
        );
    }

    #[test]
    fn broken_json_is_a_400() {
        for body in [
            "{not json",
            r#"{"premise": "x", "pages": 4, "cast": []} trailing"#,
            "",
        ] {
            assert_eq!(problem(body).status, 400, "{body}");
        }
    }
}
