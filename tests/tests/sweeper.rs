//! The sweeper on a stalled book: requeued once, failed with a reason on the second stall.

mod common;
use common::*;
use std::sync::Arc;
use std::time::Duration;
use storyloom_application::jobs::sweep_stalled;
use storyloom_application::stages::Stage;
use storyloom_application::stages::write_story::{self, Writing};
use storyloom_domain::BookStatus;
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::JobQueue;
use storyloom_tests::clock::HandClock;

const MINUTE: u64 = 60_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stall_is_requeued_once_then_failed() {
    let HandRun {
        dir: _dir,
        stack,
        book_id,
        ..
    } = book_ordered_by_hand().await;
    let clock = Arc::new(HandClock::at(stack.ports.clock.now_ms()));
    let mut ports = stack.ports.clone();
    ports.clock = clock.clone();
    write_story::run(&Stage::of(&ports), &Writing::of(&ports), &book_id)
        .await
        .unwrap();
    // The review message is lost: nobody handles it.
    for m in stack
        .queue
        .receive(QueueName::Review, 10, Duration::from_secs(3600))
        .await
        .unwrap()
    {
        stack
            .queue
            .ack(QueueName::Review, &m.receipt)
            .await
            .unwrap();
    }

    // Within the deadline nothing happens.
    clock.advance(4 * MINUTE);
    let report = sweep_stalled::run(&Stage::of(&ports)).await.unwrap();
    assert_eq!((report.restarted, report.failed), (0, 0));

    // Past it, the stage is restarted once: its message is sent again.
    clock.advance(2 * MINUTE);
    let report = sweep_stalled::run(&Stage::of(&ports)).await.unwrap();
    assert_eq!((report.restarted, report.failed), (1, 0));
    assert_eq!(stack.queue.depth(QueueName::Review).await.unwrap(), 1);
    let swept = ports.store.get_book(&book_id).await.unwrap().unwrap();
    assert_eq!((swept.status, swept.sweeps), (BookStatus::Reviewing, 1));
    // A second sweep right away finds nothing stalled: the deadline restarted.
    let report = sweep_stalled::run(&Stage::of(&ports)).await.unwrap();
    assert_eq!((report.restarted, report.failed), (0, 0));

    // The restart is lost too: the second stall fails the book with a reason.
    clock.advance(6 * MINUTE);
    let report = sweep_stalled::run(&Stage::of(&ports)).await.unwrap();
    assert_eq!((report.restarted, report.failed), (0, 1));
    let failed = ports.store.get_book(&book_id).await.unwrap().unwrap();
    assert_eq!(failed.status, BookStatus::Failed);
    let reason = failed.failure_reason.unwrap();
    assert!(
        reason.contains("stopped making progress while reviewing"),
        "{reason}"
    );
    stack.stop().await;
}
