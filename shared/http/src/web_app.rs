//! The web app: plain ES modules, a style sheet and a few pictures (no framework, no build
//! step), served at `/` by the local stack with `config.json` saying how to sign in. The
//! same files go to the bucket behind CloudFront on AWS, with a `config.json` written from
//! the stack's outputs (`storyloom publish-web`). The app only talks to `/v1`.

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

/// What the app reads from `config.json`: how people sign in, where the API is, and how
/// live progress arrives.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WebConfig {
    /// `local` (the stack's own accounts) or `cognito` (the user pool's hosted pages).
    pub auth: String,
    /// `sse` (the local stack's event stream) or the WebSocket API's `wss://` URL.
    pub live: String,
    /// The API's base URL; empty when it shares the app's origin.
    pub api: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cognito: Option<SignIn>,
}

/// The user pool's hosted sign-in, as the app's PKCE flow needs it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignIn {
    /// `https://<prefix>.auth.<region>.amazoncognito.com`.
    pub domain: String,
    pub client_id: String,
    /// Where the hosted pages send the browser back: the app's own URL.
    pub redirect_uri: String,
    pub scopes: String,
}

/// A stack output the app's configuration needs is missing.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the stack has no output {0}; was it deployed from this template?")]
pub struct MissingOutput(pub String);

impl WebConfig {
    /// The local stack's: its own accounts, live progress over SSE, the API on the same
    /// origin.
    pub fn local() -> Self {
        WebConfig {
            auth: "local".into(),
            live: "sse".into(),
            api: String::new(),
            cognito: None,
        }
    }

    /// A deployed stack's, from its CloudFormation outputs (`WebUrl`, `ApiUrl`, `LiveUrl`,
    /// `SignInDomain`, `UserPoolClientId`), so nothing is typed by hand.
    pub fn from_stack_outputs(
        outputs: &std::collections::BTreeMap<String, String>,
    ) -> Result<Self, MissingOutput> {
        let get = |name: &str| {
            outputs
                .get(name)
                .filter(|v| !v.trim().is_empty())
                .map(|v| v.trim().to_owned())
                .ok_or_else(|| MissingOutput(name.to_owned()))
        };
        Ok(WebConfig {
            auth: "cognito".into(),
            live: get("LiveUrl")?,
            api: get("ApiUrl")?.trim_end_matches('/').to_owned(),
            cognito: Some(SignIn {
                domain: get("SignInDomain")?.trim_end_matches('/').to_owned(),
                client_id: get("UserPoolClientId")?,
                redirect_uri: get("WebUrl")?,
                scopes: "openid email".into(),
            }),
        })
    }

    /// The `config.json` text.
    pub fn to_json(&self) -> String {
        // Plain strings only: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

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
    static CONFIG: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let config = CONFIG
        .get_or_init(|| WebConfig::local().to_json())
        .as_bytes();
    let router = Router::new()
        .route("/", get(move || async move { file(index.1, index.2) }))
        .route(
            "/config.json",
            get(move || async move { file("application/json", config) }),
        );
    FILES.iter().fold(router, |r, &(path, kind, body)| {
        r.route(
            &format!("/{path}"),
            get(move || async move { file(kind, body) }),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn outputs() -> BTreeMap<String, String> {
        [
            ("WebUrl", "https://d111.cloudfront.net/"),
            ("ApiUrl", "https://abc.execute-api.eu-west-1.amazonaws.com"),
            (
                "LiveUrl",
                "wss://def.execute-api.eu-west-1.amazonaws.com/dev",
            ),
            (
                "SignInDomain",
                "https://storyloom-dev-1.auth.eu-west-1.amazoncognito.com",
            ),
            ("UserPoolClientId", "4abc"),
            ("TableName", "t"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    #[test]
    fn a_stacks_outputs_configure_the_app() {
        let config = WebConfig::from_stack_outputs(&outputs()).expect("complete");
        assert_eq!(config.auth, "cognito");
        assert_eq!(
            config.live,
            "wss://def.execute-api.eu-west-1.amazonaws.com/dev"
        );
        let sign_in = config.cognito.expect("hosted sign-in");
        assert_eq!(sign_in.client_id, "4abc");
        assert_eq!(sign_in.redirect_uri, "https://d111.cloudfront.net/");
        let mut partial = outputs();
        partial.remove("UserPoolClientId");
        assert_eq!(
            WebConfig::from_stack_outputs(&partial),
            Err(MissingOutput("UserPoolClientId".into()))
        );
    }

    #[test]
    fn every_file_the_page_loads_is_served() {
        let index = std::str::from_utf8(FILES[0].2).expect("text");
        let served: Vec<&str> = FILES.iter().map(|f| f.0).collect();
        for module in FILES.iter().filter(|f| f.0.ends_with(".js")) {
            let text = std::str::from_utf8(module.2).expect("text");
            let dir = module.0.rsplit_once('/').map_or("", |(d, _)| d);
            for import in text.lines().filter_map(|l| l.split(" from \"").nth(1)) {
                let target = import.trim_end_matches("\";");
                let path = normalise(dir, target);
                assert!(
                    served.contains(&path.as_str()),
                    "{} imports {path}, which is not served",
                    module.0
                );
            }
        }
        assert!(index.contains("js/app.js") && index.contains("app.css"));
    }

    fn normalise(dir: &str, relative: &str) -> String {
        let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
        for segment in relative.split('/') {
            match segment {
                "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        parts.join("/")
    }
}
