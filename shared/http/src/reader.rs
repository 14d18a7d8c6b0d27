//! The web reader: a plain page (HTML, CSS and a small script, no framework) served at `/`
//! by the local stack. The same files can be put in the bucket and served statically; the
//! page only talks to `/v1`.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const INDEX: &str = include_str!("../web/index.html");
const SCRIPT: &str = include_str!("../web/reader.js");
const STYLE: &str = include_str!("../web/reader.css");

fn file(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
}

/// `/`, `/reader.js` and `/reader.css`.
pub(crate) fn routes() -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { file("text/html; charset=utf-8", INDEX) }),
        )
        .route(
            "/reader.js",
            get(|| async { file("text/javascript; charset=utf-8", SCRIPT) }),
        )
        .route(
            "/reader.css",
            get(|| async { file("text/css; charset=utf-8", STYLE) }),
        )
}
