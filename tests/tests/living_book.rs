//! The book as a living thing, through the API: page revisions with ETags (a race of two
//! edits), restore, redrawing one picture (the others' bytes unchanged), the e-book under
//! epubcheck, budgets that pause and resume a book, and time estimates that shrink.

mod common;
use common::*;
use serde_json::{Value, json};
use std::time::Duration;
use storyloom_cli::bench::latency::FixedLatency;
use storyloom_domain::PriceTable;
use storyloom_domain::config::ConfigSource;

const LIMIT: Duration = Duration::from_secs(120);

fn ready(p: &Value) -> bool {
    p["status"] == "ready"
}

async fn picture(http: &reqwest::Client, base: &str, id: &str, n: u32) -> Vec<u8> {
    let r = http
        .get(format!("{base}/v1/books/{id}/pages/{n}/picture"))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200);
    r.bytes().await.expect("body").to_vec()
}

async fn put_text(
    http: &reqwest::Client,
    url: &str,
    etag: Option<&str>,
    text: &str,
) -> (u16, Value) {
    let mut request = http.put(url).json(&json!({ "text": text }));
    if let Some(etag) = etag {
        request = request.header("if-match", etag);
    }
    let r = request.send().await.expect("request");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_revised_restored_and_redrawn_one_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let http = client(&stack);
    let id = order_book(&http, &base, 4).await;
    wait_for(&http, &base, &id, LIMIT, ready).await;
    let page_url = format!("{base}/v1/books/{id}/pages/3");

    let r = http.get(&page_url).send().await.unwrap();
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let original: Value = r.json().await.unwrap();
    assert_eq!(etag, original["etag"].as_str().unwrap());
    let before: Vec<Vec<u8>> = {
        let mut v = Vec::new();
        for n in 1..=4 {
            v.push(picture(&http, &base, &id, n).await);
        }
        v
    };

    // No If-Match: refused, nothing changes.
    let (status, problem) = put_text(&http, &page_url, None, "Nope.").await;
    assert_eq!(status, 428, "{problem}");
    // Two edits from the same ETag at once: exactly one wins.
    let (a, b) = tokio::join!(
        put_text(
            &http,
            &page_url,
            Some(&etag),
            "Hazel found a lantern by the gate."
        ),
        put_text(&http, &page_url, Some(&etag), "Otto hooted at the stars."),
    );
    let mut codes = [a.0, b.0];
    codes.sort();
    assert_eq!(codes, [200, 412], "{a:?} {b:?}");
    let winner = if a.0 == 200 { &a.1 } else { &b.1 };
    let loser = if a.0 == 412 { &a.1 } else { &b.1 };
    assert!(
        loser["detail"]
            .as_str()
            .unwrap()
            .contains("read the page again"),
        "{loser}"
    );
    let (_, now) = get(&http, &page_url).await;
    assert_eq!(now["text"], winner["text"]);
    assert_eq!(now["revision"], original["revision"].as_u64().unwrap() + 1);

    // The edit is typeset again; the book comes back ready with the new text.
    wait_for(&http, &base, &id, LIMIT, ready).await;

    // Redraw page 3 only.
    let (status, redrawn) = post(
        &http,
        &format!("{page_url}/redraw"),
        &json!({"note": "make the sky stormy"}),
    )
    .await;
    assert_eq!(status, 202, "{redrawn}");
    assert_eq!(redrawn["illustration"], "pending");
    let done = wait_for(&http, &base, &id, LIMIT, |p| {
        ready(p) && p["illustrations"]["done"] == 4
    })
    .await;
    assert_eq!(done["illustrations"]["total"], 4);
    for n in [1, 2, 4] {
        assert_eq!(
            picture(&http, &base, &id, n).await,
            before[n as usize - 1],
            "page {n}'s picture was not touched"
        );
    }
    let new_picture = picture(&http, &base, &id, 3).await;
    assert_ne!(new_picture, before[2], "page 3 has a new picture");

    // The history holds the first draft with its picture; restoring it brings both back.
    let (_, history) = get(&http, &format!("{page_url}/revisions")).await;
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{history}");
    let first = &items[0];
    assert_eq!(first["text"], original["text"]);
    assert_eq!(first["had_picture"], true);
    let (status, restored) = post(
        &http,
        &format!("{base}{}", first["restore"].as_str().unwrap()),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["text"], original["text"]);
    assert_eq!(
        restored["change"],
        json!({"kind": "restore", "from": first["revision"]})
    );
    wait_for(&http, &base, &id, LIMIT, ready).await;
    assert_eq!(
        picture(&http, &base, &id, 3).await,
        before[2],
        "the old picture is back"
    );

    // The PDF and the e-book are current and valid.
    check_pdf(&download_pdf(&http, &base, &id).await, 4);
    let r = http
        .get(format!("{base}/v1/books/{id}/book.epub"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/epub+zip");
    let epub = r.bytes().await.unwrap();
    let path = dir.path().join("book.epub");
    std::fs::write(&path, &epub).unwrap();
    // Debian's epubcheck is a jar (its /usr/bin link needs binfmt_misc, often absent).
    let jar = std::env::var("EPUBCHECK_JAR")
        .unwrap_or_else(|_| "/usr/share/java/epubcheck.jar".to_owned());
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .arg(&path)
        .output()
        .expect("java and epubcheck are installed (scripts/test.sh installs them)");
    assert!(
        out.status.success(),
        "epubcheck: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn priced() -> PriceTable {
    let prices = r#"{"offline-illustrator-1": {"per_image": 0.01}}"#;
    let source =
        ConfigSource::layered([("PRICES".to_owned(), prices.to_owned())], None).expect("a source");
    PriceTable::from_config(&source).expect("valid prices")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_budget_pauses_a_book_and_raising_it_resumes_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let options = storyloom_cli::stack::StackOptions {
        prices: Some(priced()),
        ..options()
    };
    let (stack, base) = start_with(dir.path(), true, &options).await;
    let http = client(&stack);
    let budget = format!("{base}/v1/budget");
    let r = http
        .put(&budget)
        .json(&json!({"monthly_usd": 0.025}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let id = order_book(&http, &base, 4).await;
    let paused = wait_for(&http, &base, &id, LIMIT, |p| p["status"] == "paused").await;
    assert!(
        paused["paused_reason"]
            .as_str()
            .unwrap()
            .contains("monthly budget of $0.0250"),
        "{paused}"
    );
    // Two pictures fit; the third was refused before it was drawn.
    let cost = &paused["cost"];
    assert_eq!(cost["illustrating_usd"], 0.02, "{paused}");
    assert_eq!(cost["writing_usd"], 0.0);
    let (_, spent) = get(&http, &budget).await;
    assert_eq!(spent["spent_this_month_usd"], 0.02, "{spent}");
    let (_, pages_before) = get(&http, &format!("{base}/v1/books/{id}/pages")).await;

    let r = http
        .put(&budget)
        .json(&json!({"monthly_usd": 1.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let done = wait_for(&http, &base, &id, LIMIT, ready).await;
    assert_eq!(done["cost"]["illustrating_usd"], 0.04, "{done}");
    assert_eq!(done["cost"]["total_usd"], 0.04);
    let (_, pages_after) = get(&http, &format!("{base}/v1/books/{id}/pages")).await;
    for (b, a) in pages_before["items"]
        .as_array()
        .unwrap()
        .iter()
        .zip(pages_after["items"].as_array().unwrap())
    {
        assert_eq!(b["text"], a["text"], "nothing written was redone");
        if b["illustration"] == "ok" {
            assert_eq!(
                b["picture"], a["picture"],
                "no finished picture was redrawn"
            );
        }
    }

    // A book's own cap works the same way.
    let mut order = serde_json::Map::new();
    let (_, chars) = get(&http, &format!("{base}/v1/characters")).await;
    order.insert(
        "premise".into(),
        json!("A brave hedgehog who is afraid of the dark"),
    );
    order.insert("age_band".into(), json!("3-5"));
    order.insert("page_count".into(), json!(4));
    order.insert("art_style".into(), json!("ink"));
    order.insert("cast".into(), json!([chars["items"][0]["id"]]));
    order.insert("seed".into(), json!(3));
    order.insert("max_cost_usd".into(), json!(0.0));
    let (status, book) = post(&http, &format!("{base}/v1/books"), &Value::Object(order)).await;
    assert_eq!(status, 202, "{book}");
    let capped = book["id"].as_str().unwrap().to_owned();
    let paused = wait_for(&http, &base, &capped, LIMIT, |p| p["status"] == "paused").await;
    assert!(
        paused["paused_reason"].as_str().unwrap().contains("cap"),
        "{paused}"
    );
    let r = http
        .put(format!("{base}/v1/books/{capped}/cap"))
        .json(&json!({"max_usd": 0.5}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    wait_for(&http, &base, &capped, LIMIT, ready).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn estimates_come_from_measured_stages_and_shrink_as_the_book_advances() {
    let dir = tempfile::tempdir().unwrap();
    let options = storyloom_cli::stack::StackOptions {
        latency: Some(FixedLatency {
            text: Duration::from_millis(40),
            image: Duration::from_millis(250),
        }),
        workers: Some(1),
        ..options()
    };
    let (stack, base) = start_with(dir.path(), true, &options).await;
    let http = client(&stack);
    // Nothing measured yet: no estimate rather than a guess.
    let first = order_book(&http, &base, 4).await;
    let (_, p) = get(&http, &format!("{base}/v1/books/{first}/progress")).await;
    if p["status"] == "queued" {
        assert_eq!(p["estimate"]["remaining_ms"], Value::Null, "{p}");
    }
    wait_for(&http, &base, &first, LIMIT, ready).await;

    let second = order_book(&http, &base, 4).await;
    let estimates = std::sync::Mutex::new(Vec::new());
    let done = wait_for(&http, &base, &second, LIMIT, |p| {
        if let Some(ms) = p["estimate"]["remaining_ms"].as_u64()
            && !ready(p)
            && let Ok(mut e) = estimates.lock()
        {
            e.push(ms);
        }
        ready(p)
    })
    .await;
    let seen = estimates.into_inner().unwrap();
    assert_eq!(done["estimate"]["remaining_ms"], 0);
    assert!(
        seen.len() >= 3,
        "estimates were reported while in flight: {seen:?}"
    );
    assert!(
        seen.first() > seen.last(),
        "the estimate shrank as the book advanced: {seen:?}"
    );
    assert!(
        seen[0] >= 1000,
        "four pictures of 250 ms each were measured, not assumed: {seen:?}"
    );
}
