//! The web app: plain ES modules, a style sheet and a few pictures (no framework, no build
//! step), served at `/` by the local stack with `config.json` saying how to sign in. The
//! same files go to the bucket behind CloudFront on AWS, with a `config.json` written from
//! the stack's outputs (`storyloom web-config`). The app only talks to `/v1`.

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Every file of the app: its path under `/`, media type and contents.
pub const FILES: &[(&str, &str, &[u8])] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_bytes!("../web/index.html"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../web/app.css"),
    ),
    ("js/app.js", JS, include_bytes!("../web/js/app.js")),
    ("js/api.js", JS, include_bytes!("../web/js/api.js")),
    ("js/auth.js", JS, include_bytes!("../web/js/auth.js")),
    ("js/live.js", JS, include_bytes!("../web/js/live.js")),
    ("js/ui.js", JS, include_bytes!("../web/js/ui.js")),
    (
        "js/screens/signin.js",
        JS,
        include_bytes!("../web/js/screens/signin.js"),
    ),
    (
        "js/screens/library.js",
        JS,
        include_bytes!("../web/js/screens/library.js"),
    ),
    (
        "js/screens/characters.js",
        JS,
        include_bytes!("../web/js/screens/characters.js"),
    ),
    (
        "js/screens/newbook.js",
        JS,
        include_bytes!("../web/js/screens/newbook.js"),
    ),
    (
        "js/screens/book.js",
        JS,
        include_bytes!("../web/js/screens/book.js"),
    ),
    (
        "js/screens/reader.js",
        JS,
        include_bytes!("../web/js/screens/reader.js"),
    ),
    (
        "js/screens/budget.js",
        JS,
        include_bytes!("../web/js/screens/budget.js"),
    ),
    (
        "js/screens/account.js",
        JS,
        include_bytes!("../web/js/screens/account.js"),
    ),
    (
        "styles/watercolour.png",
        PNG,
        include_bytes!("../web/styles/watercolour.png"),
    ),
    (
        "styles/crayon.png",
        PNG,
        include_bytes!("../web/styles/crayon.png"),
    ),
    (
        "styles/paper-cut.png",
        PNG,
        include_bytes!("../web/styles/paper-cut.png"),
    ),
    (
        "styles/gouache.png",
        PNG,
        include_bytes!("../web/styles/gouache.png"),
    ),
    (
        "styles/ink.png",
        PNG,
        include_bytes!("../web/styles/ink.png"),
    ),
];

const JS: &str = "text/javascript; charset=utf-8";
const PNG: &str = "image/png";

/// The local stack's `config.json`: its own accounts, live progress over SSE, the API on
/// the same origin.
pub const LOCAL_CONFIG: &str = r#"{"auth":"local","live":"sse","api":""}"#;

fn file(content_type: &'static str, body: &'static [u8]) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

/// `/`, every file of the app, and `/config.json`.
pub(crate) fn routes() -> Router {
    let index = FILES[0];
    let router = Router::new()
        .route("/", get(move || async move { file(index.1, index.2) }))
        .route(
            "/config.json",
            get(|| async { file("application/json", LOCAL_CONFIG.as_bytes()) }),
        );
    FILES.iter().fold(router, |r, &(path, kind, body)| {
        r.route(
            &format!("/{path}"),
            get(move || async move { file(kind, body) }),
        )
    })
}
