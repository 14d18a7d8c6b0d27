//! A graceful stop in mid-book: no new work is taken, the work in hand gets its grace
//! period, what is cut short is handed back at once, and the restarted stack finishes the
//! book without waiting out a visibility timeout.

mod common;
use common::*;
use std::time::{Duration, Instant};
use storyloom_cli::chaos::faults::Faults;
use storyloom_cli::stack::StackOptions;
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::JobQueue;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_in_mid_book_hands_back_unfinished_work_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Slow models, so workers are surely in the middle of a call when the stop comes.
    let slow = StackOptions {
        faults: Some(Faults {
            fail_rate: 0.0,
            policy_rate: 0.0,
            max_latency: Duration::from_secs(4),
            seed: 5,
        }),
        ..options()
    };
    let (mut stack, base) = start_with(dir.path(), true, &slow).await;
    let http = client(&stack);
    let id = order_book(&http, &base, 4).await;
    wait_for(&http, &base, &id, Duration::from_secs(120), |p| {
        p["status"] == "illustrating"
    })
    .await;

    let stopped = Instant::now();
    let report = stack.shutdown(Duration::from_millis(300)).await;
    // Cut short rather than waited for: the stop takes its grace and the hand-back, far less
    // than the book's remaining slow calls (four pictures and the typesetting, up to 4 s
    // each) would, even on a loaded machine.
    assert!(
        stopped.elapsed() < Duration::from_secs(16),
        "{:?}",
        stopped.elapsed()
    );
    assert!(
        !report.drained,
        "the slow calls cannot finish in 300 ms: {report:?}"
    );
    assert!(report.handed_back >= 1, "{report:?}");
    // The API takes no more requests.
    assert!(http.get(format!("{base}/v1/books")).send().await.is_err());
    // Handed back means visible now, not after the 120 s visibility timeout.
    let visible = stack
        .queue
        .receive(QueueName::Illustrate, 10, Duration::from_secs(1))
        .await
        .unwrap();
    assert!(
        !visible.is_empty(),
        "the cut-short pictures are not receivable at once"
    );
    for m in &visible {
        stack
            .queue
            .retry_later(QueueName::Illustrate, &m.receipt, Duration::ZERO)
            .await
            .unwrap();
    }
    stack.stop().await;

    // Restarted (fast models now): the book finishes with every page drawn, sooner than
    // the 120 s visibility timeout that handed-back work no longer waits out.
    let (stack, base) = start(dir.path(), true).await;
    let http = client(&stack);
    let p = wait_for(&http, &base, &id, Duration::from_secs(110), |p| {
        p["status"] == "ready"
    })
    .await;
    assert_eq!(p["illustrations"]["done"], 4, "{p}");
    check_pdf(&download_pdf(&http, &base, &id).await, 4);
    stack.stop().await;
}
