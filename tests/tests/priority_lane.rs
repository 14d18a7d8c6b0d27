//! The priority lane: with a flood of free-tier books already queued, a paid reader's book
//! overtakes them at every stage and is ready first.

mod common;
use common::*;
use std::time::{Duration, Instant};
use storyloom_domain::Tier;

const FREE_BOOKS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paid_book_finishes_before_a_flood_of_free_ones_queued_ahead_of_it() {
    let dir = tempfile::tempdir().unwrap();
    // Everything is ordered before a single worker runs, so every free book is queued
    // ahead of the paid one.
    let (mut stack, base) = start(dir.path(), false).await;
    let free = client_as(&stack, "free-reader");
    let mut free_ids = Vec::new();
    for _ in 0..FREE_BOOKS {
        free_ids.push(order_book(&free, &base, 4).await);
    }
    let token = stack
        .token_for("paid-reader", Tier::Paid)
        .expect("a valid user id");
    let paid = storyloom_cli::client::signed_in(&token).unwrap();
    let paid_id = order_book(&paid, &base, 4).await;
    let (_, view) = get(&paid, &format!("{base}/v1/books/{paid_id}")).await;
    assert_eq!(view["tier"], "paid", "{view}");
    let (_, view) = get(&free, &format!("{base}/v1/books/{}", free_ids[0])).await;
    assert_eq!(view["tier"], "free", "{view}");

    stack.start_workers();
    let started = Instant::now();
    let mut finished: Vec<String> = Vec::new();
    while finished.len() < FREE_BOOKS + 1 {
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "books still unfinished; ready so far: {finished:?}"
        );
        for (http, id) in free_ids
            .iter()
            .map(|id| (&free, id))
            .chain([(&paid, &paid_id)])
        {
            if finished.contains(id) {
                continue;
            }
            let (status, p) = get(http, &format!("{base}/v1/books/{id}/progress")).await;
            assert_eq!(status, 200, "{p}");
            match p["status"].as_str() {
                Some("ready") => finished.push(id.clone()),
                Some("failed" | "cancelled") => panic!("book {id} failed: {p}"),
                _ => {}
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        finished[0], paid_id,
        "the paid book was not first; order: {finished:?}"
    );
    // And every free book still got made: the priority lane delays them, never drops them.
    for id in &free_ids {
        check_pdf(&download_pdf(&free, &base, id).await, 4);
    }
    stack.stop().await;
}
