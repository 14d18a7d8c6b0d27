//! Helpers shared by the end-to-end tests: a stack on a temporary directory and an HTTP
//! client speaking to it as a person's app would.

// Each test binary includes this module and uses a different subset of it.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};
use storyloom_cli::LocalStack;
use storyloom_cli::stack::StackOptions;
use storyloom_domain::Limits;
#[allow(unused_imports)]
pub use storyloom_tests::pdf::check_pdf;

pub const OWNER: &str = "reader-1";

/// Opens a stack on `dir` (with its workers when `workers`), serving on a free loopback port;
/// returns it and the API's base URL.
pub async fn start(dir: &Path, workers: bool) -> (LocalStack, String) {
    start_with(dir, workers, &options()).await
}

/// Limits no test meets by accident: tests poll fast and order books back to back, and the
/// limits have tests of their own.
pub const UNLIMITED: Limits = Limits {
    requests_per_minute: 1_000_000,
    burst: 100_000,
    books_per_day: 100_000,
    concurrent_books: 100_000,
};

/// The stack options of [`start`]; tests that change one field start from these.
pub fn options() -> StackOptions {
    StackOptions {
        limits: Some(UNLIMITED),
        ..StackOptions::default()
    }
}

/// As [`start`], with options.
pub async fn start_with(dir: &Path, workers: bool, options: &StackOptions) -> (LocalStack, String) {
    let mut stack = LocalStack::open_with(dir, options)
        .await
        .expect("the stack opens");
    if workers {
        stack.start_workers();
    }
    let addr = stack
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .expect("the API binds");
    (stack, format!("http://{addr}"))
}

/// A client signed in to `stack` as [`OWNER`].
pub fn client(stack: &LocalStack) -> reqwest::Client {
    client_as(stack, OWNER)
}

/// A client signed in to `stack` as `user`.
pub fn client_as(stack: &LocalStack, user: &str) -> reqwest::Client {
    let token = stack.token(user).expect("a token for a valid user id");
    storyloom_cli::client::signed_in(&token).expect("a client")
}

/// A stack with no workers running and one 4-page book ordered through its API, for tests
/// that run the stages by hand. Keep `dir` bound: it holds the stack's data.
pub struct HandRun {
    pub dir: tempfile::TempDir,
    pub stack: LocalStack,
    pub base: String,
    pub http: reqwest::Client,
    pub id: String,
    pub book_id: storyloom_domain::BookId,
}

/// Starts a [`HandRun`].
pub async fn book_ordered_by_hand() -> HandRun {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (stack, base) = start(dir.path(), false).await;
    let http = client(&stack);
    let id = order_book(&http, &base, 4).await;
    let book_id = storyloom_domain::BookId::parse(&id).expect("the API returns valid ids");
    HandRun {
        dir,
        stack,
        base,
        http,
        id,
        book_id,
    }
}

/// Downloads a book's PDF, checking it is served as one.
pub async fn download_pdf(http: &reqwest::Client, base: &str, id: &str) -> Vec<u8> {
    let r = http
        .get(format!("{base}/v1/books/{id}/book.pdf"))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    r.bytes().await.expect("body").to_vec()
}

pub async fn post(http: &reqwest::Client, url: &str, body: &Value) -> (u16, Value) {
    let r = http.post(url).json(body).send().await.expect("request");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

pub async fn get(http: &reqwest::Client, url: &str) -> (u16, Value) {
    let r = http.get(url).send().await.expect("request");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Creates two characters and a book of `pages` pages; returns the book id.
pub async fn order_book(http: &reqwest::Client, base: &str, pages: u32) -> String {
    let mut ids = Vec::new();
    for c in [
        json!({"name": "Hazel", "kind": "hedgehog", "traits": ["brave"], "visual_description": "a small brown hedgehog with a red scarf", "voice": "asks questions"}),
        json!({"name": "Otto", "kind": "owl", "traits": ["wise"], "visual_description": "a grey owl with glasses", "voice": "grand"}),
    ] {
        let (status, body) = post(http, &format!("{base}/v1/characters"), &c).await;
        assert_eq!(status, 201, "{body}");
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    let (status, book) = post(
        http,
        &format!("{base}/v1/books"),
        &json!({"premise": "A brave hedgehog who is afraid of the dark", "age_band": "3-5", "page_count": pages, "art_style": "watercolour", "cast": ids, "seed": 3}),
    )
    .await;
    assert_eq!(status, 202, "{book}");
    book["id"].as_str().unwrap().to_owned()
}

/// Polls progress until `done(progress)` holds, or panics after `limit`.
pub async fn wait_for(
    http: &reqwest::Client,
    base: &str,
    id: &str,
    limit: Duration,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let start = Instant::now();
    loop {
        let (status, p) = get(http, &format!("{base}/v1/books/{id}/progress")).await;
        assert_eq!(status, 200, "{p}");
        if done(&p) {
            return p;
        }
        assert!(
            !matches!(p["status"].as_str(), Some("failed" | "cancelled")),
            "book failed: {p}"
        );
        assert!(
            start.elapsed() < limit,
            "timed out waiting; last progress {p}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Seconds since the Unix epoch, for token claims.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is past 1970")
        .as_secs()
}

/// The key `stack` signs its tokens with (made on its first start).
pub async fn signing_key(stack: &LocalStack) -> Vec<u8> {
    storyloom_domain::ports::Secrets::get(
        &*stack.ports.secrets,
        storyloom_http::auth::SIGNING_KEY_SECRET,
    )
    .await
    .expect("the secrets answer")
    .expect("the stack made its signing key on first start")
    .into_bytes()
}

/// `claims` signed with `key` (HS256), as the local stack's tokens are.
pub fn signed(key: &[u8], claims: &Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(key),
    )
    .expect("claims serialise")
}

/// A valid token's claims for [`OWNER`], with `overrides` laid over them.
pub fn claims(overrides: Value) -> Value {
    use storyloom_http::auth::{AUDIENCE, LOCAL_ISSUER};
    let mut c = json!({"sub": OWNER, "iss": LOCAL_ISSUER, "aud": AUDIENCE,
                       "iat": now(), "nbf": now(), "exp": now() + 600});
    for (k, v) in overrides.as_object().expect("overrides are an object") {
        c[k] = v.clone();
    }
    c
}
