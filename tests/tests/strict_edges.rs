//! Strict at every edge: the defects an outside hostile walk found, one test each, through
//! HTTP against the local stack.

mod common;
use common::*;
use serde_json::{Value, json};
use std::time::Duration;
use storyloom_domain::message::{Envelope, Lane, QueueName};
use storyloom_domain::ports::JobQueue;

/// Sends `body` (raw bytes, as JSON) with `method` to `url`; the status and the body parsed,
/// after checking every refusal is a problem with a detail.
async fn send(http: &reqwest::Client, method: &str, url: &str, body: &str) -> (u16, Value) {
    let r = http
        .request(method.parse().unwrap(), url)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("request");
    problem_checked(r).await
}

async fn problem_checked(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let content_type = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = r.json().await.unwrap_or(Value::Null);
    if status >= 400 {
        assert_eq!(
            content_type.as_deref(),
            Some("application/problem+json"),
            "{status} {body}"
        );
        assert!(
            body["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{body}"
        );
    }
    (status, body)
}

async fn character(http: &reqwest::Client, base: &str, name: &str) -> String {
    let (status, c) = post(
        http,
        &format!("{base}/v1/characters"),
        &json!({"name": name, "kind": "hedgehog", "traits": ["brave"],
                "visual_description": "a small brown hedgehog with a red scarf"}),
    )
    .await;
    assert_eq!(status, 201, "{c}");
    c["id"].as_str().unwrap().to_owned()
}

fn order(cast: &str) -> Value {
    json!({"premise": "A brave hedgehog who is afraid of the dark", "age_band": "3-5",
           "page_count": 4, "art_style": "ink", "cast": [cast], "seed": 3})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn path_segments_that_are_not_utf8_are_problems() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), false).await;
    let http = client(&stack);
    let id = order_book(&http, &base, 4).await;
    for path in [
        "/v1/books/%ff%fe".to_owned(),
        "/v1/books/%C0%AE%C0%AE%2F".to_owned(),
        "/v1/characters/%ff".to_owned(),
        format!("/v1/books/{id}/pages/%ff"),
        format!("/v1/books/{id}/pages/1/revisions/%ff/restore"),
        format!("/v1/books/{id}/shares/%ff"),
    ] {
        let method = if path.ends_with("restore") {
            "POST"
        } else if path.contains("/shares/") {
            "DELETE"
        } else {
            "GET"
        };
        let (status, body) = send(&http, method, &format!("{base}{path}"), "").await;
        assert_eq!(status, 400, "{path}: {body}");
        assert!(
            body["detail"].as_str().unwrap().contains("UTF-8"),
            "{path}: {body}"
        );
    }
    // A URI longer than hyper reads is refused before the router, as a problem too.
    let raw = {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = base.trim_start_matches("http://");
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = format!(
            "GET /v1/books/{} HTTP/1.1\r\nhost: {addr}\r\n\r\n",
            "a".repeat(100_000)
        );
        let _ = tcp.write_all(request.as_bytes()).await;
        let mut answer = Vec::new();
        let _ = tcp.read_to_end(&mut answer).await;
        String::from_utf8_lossy(&answer).into_owned()
    };
    assert!(raw.starts_with("HTTP/1.1 414"), "{raw}");
    assert!(
        raw.to_ascii_lowercase()
            .contains("content-type: application/problem+json"),
        "{raw}"
    );
    assert!(raw.contains("\"detail\""), "{raw}");
    // The router's own refusals too.
    let (status, _) = send(&http, "PATCH", &format!("{base}/v1/books"), "{}").await;
    assert_eq!(status, 405);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_json_objects_are_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), false).await;
    let http = client(&stack);
    let id = order_book(&http, &base, 4).await;
    let cast = character(&http, &base, "Hazel").await;
    let (_, budget) = get(&http, &format!("{base}/v1/budget")).await;
    let cases = [
        ("PUT", "/v1/budget".to_owned(), "[100.0]".to_owned()),
        (
            "PUT",
            format!("/v1/books/{id}/pages/1"),
            r#"["A new page text that is long enough."]"#.to_owned(),
        ),
        (
            "PUT",
            format!("/v1/books/{id}/shares/dave"),
            r#"["viewer"]"#.to_owned(),
        ),
        (
            "POST",
            "/v1/characters".to_owned(),
            r#"["Hazel","cat",["brave"],"a cat"]"#.to_owned(),
        ),
        (
            "POST",
            "/v1/books".to_owned(),
            json!([
                "A brave hedgehog who is afraid of the dark",
                "3-5",
                4,
                "ink",
                [cast]
            ])
            .to_string(),
        ),
        ("PUT", format!("/v1/books/{id}/cap"), "[]".to_owned()),
        ("PUT", "/v1/budget".to_owned(), "7".to_owned()),
    ];
    for (method, path, body) in cases {
        let (status, problem) = send(&http, method, &format!("{base}{path}"), &body).await;
        assert_eq!(status, 422, "{method} {path} {body}: {problem}");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("must be a JSON object"),
            "{problem}"
        );
        assert!(
            !problem.to_string().contains("Request"),
            "an internal type name: {problem}"
        );
    }
    // Nothing was applied.
    assert_eq!(get(&http, &format!("{base}/v1/budget")).await.1, budget);
    let (_, shares) = get(&http, &format!("{base}/v1/books/{id}/shares")).await;
    assert_eq!(shares["items"], json!([]), "{shares}");
    let (_, characters) = get(&http, &format!("{base}/v1/characters")).await;
    assert_eq!(characters["items"].as_array().unwrap().len(), 3);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enums_and_seeds_are_taken_exactly_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), false).await;
    let http = client(&stack);
    let cast = character(&http, &base, "Hazel").await;
    let books = format!("{base}/v1/books");
    for (field, value) in [
        ("art_style", json!("INK")),
        ("art_style", json!("ink ")),
        ("art_style", json!("watercolor")),
        ("age_band", json!("3-5 ")),
        ("age_band", json!(" 6-8")),
        ("seed", json!(9_223_372_036_854_775_808_u64)),
        ("seed", json!(u64::MAX)),
    ] {
        let mut body = order(&cast);
        body[field] = value.clone();
        let (status, problem) = send(&http, "POST", &books, &body.to_string()).await;
        assert_eq!(status, 422, "{field}={value}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let mut body = order(&cast);
    body["seed"] = json!(i64::MAX);
    let (status, book) = send(&http, "POST", &books, &body.to_string()).await;
    assert_eq!(status, 202, "{book}");
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_book_being_updated_cannot_be_cancelled_and_if_match_star_edits() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let http = client(&stack);
    let id = order_book(&http, &base, 4).await;
    wait_for(&http, &base, &id, Duration::from_secs(120), |p| {
        p["status"] == "ready"
    })
    .await;
    stack.stop().await;

    // No workers: the book stays `assembling` after the edit for as long as the test likes.
    let (stack, base) = start(dir.path(), false).await;
    let http = client(&stack);
    let page = format!("{base}/v1/books/{id}/pages/1");
    let edit = |tag: &'static str| {
        http.put(&page)
            .header("if-match", tag)
            .json(&json!({"text": "Hazel saw the moon, and the moon saw Hazel."}))
            .send()
    };
    let (status, edited) = problem_checked(edit("*").await.unwrap()).await;
    assert_eq!(
        status, 200,
        "If-Match: * matches the page as it is: {edited}"
    );
    assert_eq!(edited["revision"], 2, "{edited}");
    let (_, book) = get(&http, &format!("{base}/v1/books/{id}")).await;
    assert_eq!(book["status"], "assembling", "{book}");

    let (status, problem) = send(&http, "POST", &format!("{base}/v1/books/{id}/cancel"), "").await;
    assert_eq!(status, 409, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("finished"),
        "{problem}"
    );
    // An editor gets the same answer.
    let (status, _) = send(
        &http,
        "PUT",
        &format!("{base}/v1/books/{id}/shares/editor-1"),
        r#"{"role": "editor"}"#,
    )
    .await;
    assert_eq!(status, 200);
    let editor = client_as(&stack, "editor-1");
    let (status, _) = send(&editor, "POST", &format!("{base}/v1/books/{id}/cancel"), "").await;
    assert_eq!(status, 409);
    stack.stop().await;

    // The update goes through and the book is ready with the edit.
    let (stack, base) = start(dir.path(), true).await;
    let http = client(&stack);
    wait_for(&http, &base, &id, Duration::from_secs(120), |p| {
        p["status"] == "ready"
    })
    .await;
    let (_, page) = get(&http, &format!("{base}/v1/books/{id}/pages/1")).await;
    assert_eq!(page["revision"], 2, "{page}");
    check_pdf(&download_pdf(&http, &base, &id).await, 4);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_with_a_digit_never_makes_a_book_fail() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let http = client(&stack);
    let cast = character(&http, &base, "Mal0").await;
    let (status, book) = post(&http, &format!("{base}/v1/books"), &order(&cast)).await;
    assert_eq!(status, 202, "{book}");
    let id = book["id"].as_str().unwrap();
    wait_for(&http, &base, id, Duration::from_secs(120), |p| {
        p["status"] == "ready"
    })
    .await;
    let (_, pages) = get(&http, &format!("{base}/v1/books/{id}/pages")).await;
    assert!(pages.to_string().contains("Mal0"), "{pages}");
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_tier_claim_is_served_as_free() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), false).await;
    let token = signed(
        &signing_key(&stack).await,
        &claims(json!({"tier": "admin"})),
    );
    let http = storyloom_cli::client::signed_in(&token).unwrap();
    let cast = character(&http, &base, "Hazel").await;
    let (status, book) = post(&http, &format!("{base}/v1/books"), &order(&cast)).await;
    assert_eq!(status, 202, "{book}");
    let received = stack
        .queue
        .receive(QueueName::Story, 10, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(received.len(), 1);
    let envelope: Envelope = serde_json::from_str(&received[0].body).unwrap();
    assert_eq!(
        envelope.lane,
        Lane::Standard,
        "an unknown tier is not promoted"
    );
    stack.stop().await;
}

/// The server's own type names, which no refusal may show a client.
const INTERNAL_NAMES: [&str; 9] = [
    "struct ",
    "enum ",
    "NewBook",
    "NewCharacter",
    "CapRequest",
    "BudgetRequest",
    "ShareRequest",
    "PageEdit",
    "RedrawRequest",
];

/// Arbitrary bytes as bodies and path segments, to every endpoint: nothing is a 5xx, and
/// every refusal is a problem whose detail names no internal type.
#[test]
fn arbitrary_bodies_and_path_segments_are_refused_as_problems() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    use storyloom_http::Endpoint;

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (stack, base, http, id) = rt.block_on(async {
        let (stack, base) = start(dir.path(), false).await;
        let http = client(&stack);
        let id = order_book(&http, &base, 4).await;
        (stack, base, http, id)
    });
    // A segment is either arbitrary bytes, percent-encoded, or a real one, so requests also
    // reach the handlers' bodies rather than stopping at the path.
    let segment = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(|bytes| {
            bytes
                .iter()
                .map(|b| format!("%{b:02X}"))
                .collect::<String>()
        }),
        Just(id.clone()),
        Just("1".to_owned()),
        Just("dave".to_owned()),
    ];
    let body = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        any::<String>().prop_map(String::into_bytes),
        Just(b"[]".to_vec()),
        Just(br#"{"role": 1}"#.to_vec()),
    ];
    let endpoint = proptest::sample::select(Endpoint::ALL.to_vec());
    let mut runner = TestRunner::new(Config {
        cases: 400,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(endpoint, proptest::collection::vec(segment, 3), body),
            |(endpoint, segments, body)| {
                let mut path = endpoint.path().to_owned();
                for (param, value) in ["{id}", "{n}", "{r}"].iter().zip(&segments) {
                    path = path.replace(param, value);
                }
                path = path.replace("{user}", &segments[2]);
                let url = format!("{base}{path}");
                let (status, problem, content_type) = rt.block_on(async {
                    let r = http
                        .request(endpoint.method(), &url)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await
                        .expect("request");
                    let status = r.status().as_u16();
                    let content_type = r
                        .headers()
                        .get("content-type")
                        .map(|v| v.to_str().unwrap_or_default().to_owned());
                    let bytes = r.bytes().await.unwrap_or_default();
                    (
                        status,
                        serde_json::from_slice::<Value>(&bytes).ok(),
                        content_type,
                    )
                });
                prop_assert!(
                    status < 500,
                    "{} {url}: {status} {problem:?}",
                    endpoint.method()
                );
                if status >= 400 {
                    prop_assert_eq!(content_type.as_deref(), Some("application/problem+json"));
                    let detail = problem
                        .as_ref()
                        .and_then(|p| p["detail"].as_str())
                        .unwrap_or_default()
                        .to_owned();
                    prop_assert!(!detail.is_empty(), "{url}: {problem:?}");
                    for name in INTERNAL_NAMES {
                        prop_assert!(!detail.contains(name), "{url}: {detail}");
                    }
                }
                Ok(())
            },
        )
        .unwrap();
    rt.block_on(stack.stop());
}
