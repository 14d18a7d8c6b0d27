//! Ordering books over the API for the benchmarks, as a client would.

use crate::client::json;
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
        let created: Value = json(http.post(format!("{base}/v1/characters")).json(&c)).await?;
        cast.push(created["id"].as_str().context("a character id")?.to_owned());
    }
    let book: Value = json(http.post(format!("{base}/v1/books")).json(&json!({
        "premise": "A brave hedgehog who is afraid of the dark",
        "age_band": "6-8", "page_count": pages, "art_style": "watercolour",
        "cast": cast, "seed": seed
    })))
    .await?;
    Ok(book["id"].as_str().context("a book id")?.to_owned())
}

/// Draws one picture before anything is timed: the fixed-latency image model reuses the
/// first picture it draws, so drawing it (CPU the real service would spend elsewhere) is
/// kept out of every measurement.
pub async fn draw_first_picture(http: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    let sitter = json!({"name": "Pip", "kind": "mouse", "traits": ["shy"], "visual_description": "a small grey mouse", "voice": "quiet"});
    let created: Value = json(http.post(format!("{base}/v1/characters")).json(&sitter)).await?;
    let id = created["id"].as_str().context("a character id")?;
    http.get(format!("{base}/v1/characters/{id}/portrait"))
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    Ok(())
}

/// Polls until the book is finished; returns its view.
pub async fn finished(http: &reqwest::Client, base: &str, id: &str) -> anyhow::Result<Value> {
    loop {
        let p: Value = json(http.get(format!("{base}/v1/books/{id}/progress"))).await?;
        match p["status"].as_str() {
            Some("ready" | "partial") => {
                return json(http.get(format!("{base}/v1/books/{id}"))).await;
            }
            Some("failed" | "cancelled") => bail!("book {id}: {}", p["failure_reason"]),
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

/// A stack serving on loopback (no workers) with one 4-page book ordered, for the
/// benchmarks that read it. Keep `dir` bound: it holds the stack's data.
pub struct OneBook {
    pub dir: tempfile::TempDir,
    pub stack: crate::LocalStack,
    pub base: String,
    pub token: String,
    pub id: String,
}

/// Starts a [`OneBook`].
pub async fn one_book(options: &crate::stack::StackOptions) -> anyhow::Result<OneBook> {
    let dir = tempfile::tempdir()?;
    let mut stack = crate::LocalStack::open_with(dir.path(), options).await?;
    let base = format!("http://{}", stack.serve("127.0.0.1:0".parse()?).await?);
    let token = stack.token("bench-reader")?;
    let id = order(&crate::client::signed_in(&token)?, &base, 4, 1).await?;
    Ok(OneBook {
        dir,
        stack,
        base,
        token,
        id,
    })
}
