//! Backup while a book is being made, restore into a new directory: every finished book is
//! intact and the running one resumes and finishes.

mod common;
use common::*;
use std::time::Duration;
use storyloom_cli::backup::{backup_data, restore, serve_admin};
use storyloom_cli::chaos::faults::Faults;
use storyloom_cli::stack::StackOptions;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_mid_book_restores_finished_books_and_resumes_the_running_one() {
    let dir = tempfile::tempdir().unwrap();
    let (original, restored) = (dir.path().join("original"), dir.path().join("restored"));
    let slowish = StackOptions {
        faults: Some(Faults {
            fail_rate: 0.0,
            policy_rate: 0.0,
            max_latency: Duration::from_millis(800),
            seed: 3,
        }),
        ..options()
    };
    let (stack, base) = start_with(&original, true, &slowish).await;
    let admin = serve_admin(stack.backup_source()).unwrap();
    let http = client(&stack);
    let finished = order_book(&http, &base, 4).await;
    wait_for(&http, &base, &finished, Duration::from_secs(120), |p| {
        p["status"] == "ready"
    })
    .await;
    let pdf = download_pdf(&http, &base, &finished).await;
    let running = order_book(&http, &base, 4).await;
    wait_for(&http, &base, &running, Duration::from_secs(120), |p| {
        p["writing"]["pages_written"].as_u64().unwrap_or(0) >= 1
    })
    .await;

    // Through the running stack's admin socket, as `storyloom backup` does.
    let file = dir.path().join("storyloom.backup");
    let summary = backup_data(&original, &file).await.unwrap();
    assert!(summary.contains("blobs="), "{summary}");
    let (_, mid) = get(&http, &format!("{base}/v1/books/{running}")).await;
    admin.abort();
    stack.stop().await;
    assert_ne!(
        mid["status"], "ready",
        "the backup was not taken mid-book: {mid}"
    );

    restore(&file, &restored).unwrap();
    assert!(
        restore(&file, &restored).is_err(),
        "restored over an existing stack"
    );
    let (stack, base) = start(&restored, true).await;
    let http = client(&stack);
    assert_eq!(
        download_pdf(&http, &base, &finished).await,
        pdf,
        "a finished book changed"
    );
    let p = wait_for(&http, &base, &running, Duration::from_secs(120), |p| {
        p["status"] == "ready"
    })
    .await;
    assert_eq!(p["illustrations"]["done"], 4, "{p}");
    check_pdf(&download_pdf(&http, &base, &running).await, 4);
    stack.stop().await;
}
