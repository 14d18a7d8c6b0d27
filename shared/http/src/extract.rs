//! The JSON body extractor: strict (unknown fields are refused by the types), and every
//! malformed body is a problem naming what is wrong and where, never a 500.

use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
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

/// Path parameters whose every rejection (a segment that is not UTF-8, say) is a problem
/// naming the parameter, as axum's own [`Path`] answers in plain text.
pub struct Segments<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Segments<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(t)| Segments(t))
            .map_err(|e| {
                Problem::new(
                    StatusCode::BAD_REQUEST,
                    "Bad path",
                    format!(
                        "{}; path segments are UTF-8, percent-encoded",
                        e.body_text()
                    ),
                )
            })
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

/// Parses a JSON body, tracking the path to whatever does not fit. Every body is a JSON
/// object: serde would also take a struct from an array of its fields in order, a form
/// no client means and the API document does not offer.
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                Ok(_) => {
                    let mut p = Problem::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "Invalid request",
                        "body: must be a JSON object, with the fields named",
                    );
                    p.errors = vec![FieldError::new("body", "must be a JSON object")];
                    p
                }
                Err(e) => Problem::new(
                    StatusCode::BAD_REQUEST,
                    "Malformed JSON",
                    format!("the body is not valid JSON: {e}"),
                ),
            },
        );
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            Category::Data => {
                let field = field_name(&path);
                let message = plain(&strip_location(&inner.to_string()));
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

/// serde's message without the names of the server's own types ("expected struct
/// CapRequest" says nothing to a client; "expected an object" does).
fn plain(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    let next = |s: &str| match (s.find("struct "), s.find("enum ")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    while let Some(i) = next(rest) {
        let (before, after) = rest.split_at(i);
        let is_struct = after.starts_with("struct ");
        let name_start = if is_struct { 7 } else { 5 };
        let name_len = after[name_start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len() - name_start);
        out.push_str(before);
        out.push_str(if is_struct {
            "an object"
        } else {
            "one of the listed values"
        });
        rest = &after[name_start + name_len..];
    }
    out.push_str(rest);
    out
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
    fn only_an_object_is_a_body() {
        for body in [r#"["x", 4, []]"#, "[]", " 4", r#""premise""#, "null"] {
            let p = problem(body);
            assert_eq!(p.status, 422, "{body}");
            assert_eq!(p.errors[0].field, "body", "{body}");
            assert!(p.detail.contains("JSON object"), "{p:?}");
        }
        assert_eq!(problem("[1,").status, 400);
    }

    #[test]
    fn messages_name_no_server_type() {
        assert_eq!(
            plain("invalid type: string \"x\", expected struct CapRequest"),
            "invalid type: string \"x\", expected an object"
        );
        assert_eq!(
            plain("unknown variant `x`, expected enum Role or struct Order_2 here"),
            "unknown variant `x`, expected one of the listed values or an object here"
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
