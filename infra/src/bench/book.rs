//! Ordering books over the API for the benchmarks, as a client would.

use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::time::Duration;

/// Creates a two-character cast and orders a book of `pages` pages; returns its id.
pub async fn order(
    http: &reqwest::Client,
    base: &str,
    pages: u32,
    seed: u64,
) -> anyhow::Result<String> {
    let mut cast = Vec::new();
    for c in [
        json!({"name": "Hazel", "kind": "hedgehog", "traits": ["brave"], "visual_description": "a small brown hedgehog with a red scarf", "voice": "asks questions"}),
        json!({"name": "Otto", "kind": "owl", "traits": ["wise"], "visual_description": "a grey owl with glasses", "voice": "grand"}),
    ] {
        let created: Value = ok(http.post(format!("{base}/v1/characters")).json(&c)).await?;
        cast.push(created["id"].as_str().context("a character id")?.to_owned());
    }
    let book: Value = ok(http.post(format!("{base}/v1/books")).json(&json!({
        "premise": "A brave hedgehog who is afraid of the dark",
        "age_band": "6-8", "page_count": pages, "art_style": "watercolour",
        "cast": cast, "seed": seed
    })))
    .await?;
    Ok(book["id"].as_str().context("a book id")?.to_owned())
}

/// Polls until the book is finished; returns its view.
pub async fn finished(http: &reqwest::Client, base: &str, id: &str) -> anyhow::Result<Value> {
    loop {
        let p: Value = ok(http.get(format!("{base}/v1/books/{id}/progress"))).await?;
        match p["status"].as_str() {
            Some("ready" | "partial") => {
                return ok(http.get(format!("{base}/v1/books/{id}"))).await;
            }
            Some("failed" | "cancelled") => bail!("book {id}: {}", p["failure_reason"]),
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

async fn ok(request: reqwest::RequestBuilder) -> anyhow::Result<Value> {
    let response = request.send().await?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        bail!("{status}: {body}");
    }
    Ok(body)
}
