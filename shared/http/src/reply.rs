//! The shapes answers share: lists, and downloads served as bytes or a redirect.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use storyloom_application::books::Download;
use utoipa::openapi::{ArrayBuilder, ObjectBuilder, Ref, RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

/// A list response, in an object so it can grow (paging) without breaking clients.
#[derive(Serialize)]
pub(crate) struct Listing<T> {
    pub(crate) items: Vec<T>,
}

/// `{"items": [T]}`, the items referring to `T`'s own schema: utoipa's derive would copy `T`
/// into every list. Operations name a list by an alias (`CharacterList`), since the path
/// macro composes generic types itself.
impl<T: ToSchema> PartialSchema for Listing<T> {
    fn schema() -> RefOr<Schema> {
        let item = RefOr::Ref(Ref::from_schema_name(T::name()));
        ObjectBuilder::new()
            .property("items", ArrayBuilder::new().items(item))
            .required("items")
            .into()
    }
}

impl<T: ToSchema> ToSchema for Listing<T> {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
}

/// A download: the bytes (local stack) or a redirect to a short-lived URL (AWS).
pub(crate) fn deliver(
    download: Download,
    content_type: &'static str,
    filename: Option<String>,
) -> Response {
    match download {
        Download::Redirect(url) => {
            (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, url)]).into_response()
        }
        Download::Bytes(bytes) => {
            let mut r = (
                StatusCode::OK,
                [(header::CONTENT_TYPE, content_type)],
                bytes,
            )
                .into_response();
            if let Some(v) = filename
                .and_then(|f| HeaderValue::from_str(&format!("attachment; filename=\"{f}\"")).ok())
            {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
    }
}
