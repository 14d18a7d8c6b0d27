//! Characters through the HTTP API of the local stack: a portrait drawn by the configured
//! image model (kept, redrawn on request, drawn anew after an edit), edits, and the
//! library's search over titles, premises and page text.

mod common;
use common::*;
use serde_json::json;
use std::time::Duration;

async fn portrait(http: &reqwest::Client, base: &str, id: &str) -> Vec<u8> {
    let r = http
        .get(format!("{base}/v1/characters/{id}/portrait"))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    r.bytes().await.expect("body").to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portrait_is_kept_redrawn_on_request_and_after_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), false).await;
    let http = client(&stack);
    let (status, hazel) = post(
        &http,
        &format!("{base}/v1/characters"),
        &json!({"name": "Hazel", "kind": "hedgehog", "visual_description": "a small brown hedgehog with a red scarf"}),
    )
    .await;
    assert_eq!(status, 201);
    let id = hazel["id"].as_str().unwrap();
    assert_eq!(hazel["portrait"], 0);

    let first = portrait(&http, &base, id).await;
    assert!(first.starts_with(b"\x89PNG"));
    assert_eq!(
        portrait(&http, &base, id).await,
        first,
        "kept, not drawn again"
    );

    let r = http
        .post(format!("{base}/v1/characters/{id}/portrait"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let redrawn = portrait(&http, &base, id).await;
    assert_ne!(redrawn, first, "a redraw draws anew");

    let r = http
        .put(format!("{base}/v1/characters/{id}"))
        .json(&json!({"name": "Hazel", "kind": "hedgehog", "visual_description": "a small brown hedgehog with a blue raincoat", "traits": ["brave", "kind"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let edited: serde_json::Value = r.json().await.unwrap();
    assert_eq!(edited["id"], hazel["id"]);
    assert_eq!(edited["created_at"], hazel["created_at"]);
    assert_eq!(edited["traits"], json!(["brave", "kind"]));
    assert_eq!(edited["portrait"], 2);
    let after_edit = portrait(&http, &base, id).await;
    assert_ne!(after_edit, redrawn);
    let blobs = stack.ports.blobs.list("portraits/").await.unwrap();
    assert_eq!(
        blobs.len(),
        1,
        "only the current drawing is kept: {blobs:?}"
    );

    let r = http
        .put(format!("{base}/v1/characters/{id}"))
        .json(&json!({"name": "", "kind": "hedgehog", "visual_description": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.headers()["content-type"], "application/problem+json");

    let r = http
        .delete(format!("{base}/v1/characters/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(
        stack
            .ports
            .blobs
            .list("portraits/")
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_library_is_searched_by_title_premise_and_page_text() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let http = client(&stack);
    let id = order_book(&http, &base, 4).await;
    wait_for(&http, &base, &id, Duration::from_secs(120), |p| {
        p["status"] == "ready"
    })
    .await;
    let (_, pages) = get(&http, &format!("{base}/v1/books/{id}/pages")).await;
    let text = pages["items"][2]["text"].as_str().unwrap().to_owned();
    let word = text
        .split(|c: char| !c.is_alphabetic())
        .rfind(|w| w.len() > 4)
        .unwrap()
        .to_owned();

    let search = |q: &str| {
        let http = http.clone();
        let url = format!("{base}/v1/books");
        let q = q.to_owned();
        async move {
            let r = http.get(url).query(&[("q", q)]).send().await.unwrap();
            assert_eq!(r.status(), 200);
            let body: serde_json::Value = r.json().await.unwrap();
            body["items"].as_array().unwrap().len()
        }
    };
    assert_eq!(search("HEDGEHOG dark").await, 1, "the premise's words");
    assert_eq!(search(&word).await, 1, "a word of page 3: {word}");
    assert_eq!(search("dark submarine").await, 0, "every word must match");
    assert_eq!(search("").await, 1, "an empty search lists everything");
    let r = http
        .get(format!("{base}/v1/books"))
        .query(&[("q", "x".repeat(201))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}
