//! Following one book through the logs and the metrics: the correlation id a client sends
//! appears in the log lines of every stage that handled the book, with the stage, book and
//! page; no secret (the signing key, the bearer token) and no personal text (the premise)
//! ever appears in a log line; `/v1/metrics` shows the book's numbers.

mod common;
use common::*;
use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Log output captured in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const CORRELATION: &str = "obs-corr-7f3a";
const PREMISE: &str = "A shy little fox who makes friends with a big storm";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_book_can_be_followed_through_every_stage_and_no_secret_is_logged() {
    let captured = Captured::default();
    // The functions' own log format, capturing.
    tracing::subscriber::set_global_default(storyloom_functions::logging::subscriber(
        captured.clone(),
    ))
    .expect("the only subscriber of this test binary");

    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let token = stack.token(OWNER).unwrap();
    let http = client(&stack);
    let (_, hazel) = post(
        &http,
        &format!("{base}/v1/characters"),
        &json!({"name": "Hazel", "kind": "hedgehog", "traits": ["brave"], "visual_description": "a small brown hedgehog", "voice": "asks questions"}),
    )
    .await;
    let response = http
        .post(format!("{base}/v1/books"))
        .header("x-correlation-id", CORRELATION)
        .json(&json!({"premise": PREMISE, "age_band": "3-5", "page_count": 4, "art_style": "watercolour", "cast": [hazel["id"]]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    assert_eq!(response.headers()["x-correlation-id"], CORRELATION);
    let book: Value = response.json().await.unwrap();
    let id = book["id"].as_str().unwrap().to_owned();
    wait_for(&http, &base, &id, Duration::from_secs(120), |p| {
        p["status"] == "ready"
    })
    .await;

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    // Each stage's lines name the stage, the book and the correlation id (pages too).
    for stage in ["story", "review", "illustrate", "assemble"] {
        let ours: Vec<&Value> = lines
            .iter()
            .filter(|l| {
                l["spans"].as_array().is_some_and(|spans| {
                    spans.iter().any(|s| {
                        s["name"] == "stage"
                            && s["stage"] == stage
                            && s["correlation_id"] == CORRELATION
                            && s["book_id"] == id.as_str()
                    })
                })
            })
            .collect();
        assert!(
            !ours.is_empty(),
            "no {stage} line carries the correlation id"
        );
        if stage == "illustrate" {
            let pages: std::collections::BTreeSet<u64> = ours
                .iter()
                .filter_map(|l| l["span"]["page"].as_u64())
                .collect();
            assert_eq!(pages.into_iter().collect::<Vec<_>>(), [1, 2, 3, 4]);
        }
    }
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "book finished"
                && l["fields"]["correlation_id"] == CORRELATION),
        "the book's end is logged with its correlation id"
    );
    // Nothing secret or personal.
    let secrets: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("secrets.json")).unwrap())
            .unwrap();
    let key = secrets["jwt-signing-key"]
        .as_str()
        .expect("the signing key");
    for (what, value) in [
        ("the signing key", key),
        ("the bearer token", token.as_str()),
        ("the premise", PREMISE),
        ("a character's description", "a small brown hedgehog"),
    ] {
        assert!(!text.contains(value), "{what} appears in the logs");
    }

    // The same book in the metrics view.
    let (status, m) = get(&http, &format!("{base}/v1/metrics")).await;
    assert_eq!(status, 200, "{m}");
    let metric = |name: &str, dimension: Option<&str>| -> Value {
        m["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name && s["dimension"].as_str() == dimension)
            .cloned()
            .unwrap_or_else(|| panic!("no {name} {dimension:?} in {m}"))
    };
    assert_eq!(metric("BooksRequested", Some("Tier=free"))["sum"], 1.0);
    assert_eq!(metric("BooksFinished", Some("Outcome=ready"))["sum"], 1.0);
    assert_eq!(metric("ColdStarts", None)["sum"], 1.0);
    assert_eq!(
        metric("StageDuration", Some("Stage=illustrate"))["count"],
        4
    );
    for stage in ["story", "review", "assemble"] {
        assert!(
            metric("StageDuration", Some(&format!("Stage={stage}")))["count"].as_u64() >= Some(1)
        );
    }
    assert_eq!(
        metric("Images", Some("Model=offline-illustrator-1"))["sum"],
        4.0
    );
    assert!(metric("Tokens", Some("Model=offline-storyteller-1"))["sum"].as_f64() > Some(0.0));
    assert_eq!(
        metric("ModelCost", Some("Model=offline-storyteller-1"))["sum"],
        0.0
    );
    assert!(
        metric("ModelLatency", Some("Model=offline-illustrator-1"))["count"].as_u64() >= Some(4)
    );
    stack.stop().await;
}
