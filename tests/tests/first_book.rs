//! The first book end to end through HTTP on the embedded stack, plus the API's errors.

mod common;
use common::*;
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_twelve_page_book_reaches_ready_with_a_print_ready_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let http = reqwest::Client::new();
    let id = order_book(&http, &base, 12).await;
    let p = wait_for(&http, &base, &id, Duration::from_secs(300), |p| {
        p["status"] == "ready"
    })
    .await;
    assert_eq!(p["illustrations"]["done"], 12);
    assert_eq!(p["illustrations"]["failed"], 0);
    assert_eq!(p["writing"]["pages_written"], 12);
    assert_eq!(p["percent"], 100);
    check_pdf(&download_pdf(&http, &base, &id).await, 12);
    let (_, pages) = get(&http, &format!("{base}/v1/books/{id}/pages")).await;
    assert_eq!(pages["items"].as_array().unwrap().len(), 12);
    let r = http
        .get(format!("{base}/v1/books/{id}/pages/5/picture"))
        .header("x-owner-id", OWNER)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(&r.bytes().await.unwrap()[1..4], b"PNG");
    // Another owner sees nothing of it.
    let r = http
        .get(format!("{base}/v1/books/{id}"))
        .header("x-owner-id", "someone-else")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_problem_details_never_a_500() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), false).await;
    let http = reqwest::Client::new();
    let problem = |r: reqwest::Response| async move {
        let status = r.status().as_u16();
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
        (status, body)
    };
    let url = format!("{base}/v1/books");
    let (s, _) = problem(http.get(&url).send().await.unwrap()).await;
    assert_eq!(s, 401);
    let (s, b) = problem(
        http.post(&url)
            .header("x-owner-id", OWNER)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 400, "{b}");
    let (s, b) = problem(
        http.post(&url)
            .header("x-owner-id", OWNER)
            .json(&json!({"premise": 3}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    let (s, b) = problem(
        http.post(&url)
            .header("x-owner-id", OWNER)
            .json(&json!({"premise": "tiny", "age_band": "1-2", "page_count": 99, "art_style": "oil", "cast": ["nobody"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    assert!(
        b["detail"].as_str().unwrap().contains("no saved character"),
        "{b}"
    );
    let (s, _) = problem(
        http.post(&url)
            .header("x-owner-id", OWNER)
            .json(&json!({"x": "y".repeat(100_000)}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 413);
    let (s, _) = problem(
        http.get(format!("{base}/v1/books/..%2Fetc"))
            .header("x-owner-id", OWNER)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = problem(http.get(format!("{base}/v2/nothing")).send().await.unwrap()).await;
    assert_eq!(s, 404);
    let (s, _) = problem(
        http.put(&url)
            .header("x-owner-id", OWNER)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 405);
    stack.stop().await;
}
