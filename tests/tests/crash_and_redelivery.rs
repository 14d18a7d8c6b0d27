//! A crash mid-illustration loses no finished work; a redelivered message changes nothing.

mod common;
use common::*;
use std::time::Duration;
use storyloom_application::stages::assemble_book::Press;
use storyloom_application::stages::illustrate_page::Drawing;
use storyloom_application::stages::write_story::Writing;
use storyloom_application::stages::{
    Stage, assemble_book, illustrate_page, review_story, write_story,
};
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::JobQueue;
use storyloom_domain::{BookId, IllustrationStatus, OwnerId};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stack_stopped_mid_illustration_finishes_the_book_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let http = client(&stack);
    let id = order_book(&http, &base, 12).await;
    let before = wait_for(&http, &base, &id, Duration::from_secs(300), |p| {
        p["illustrations"]["done"].as_u64().unwrap_or(0) >= 3
    })
    .await;
    stack.stop().await;
    let done_before = before["illustrations"]["done"].as_u64().unwrap();
    assert!(
        done_before < 12,
        "stopped too late to test anything: {before}"
    );

    // Reopened without workers first, to see what survived before anything runs again.
    let (mut stack, base) = start(dir.path(), false).await;
    let book_id = BookId::parse(&id).unwrap();
    let kept: Vec<_> = stack
        .ports
        .store
        .list_pages(&book_id)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.illustration == IllustrationStatus::Ok)
        .collect();
    assert!(
        kept.len() as u64 >= done_before,
        "finished pictures were lost"
    );
    stack.start_workers();
    let p = wait_for(&http, &base, &id, Duration::from_secs(300), |p| {
        p["status"] == "ready"
    })
    .await;
    assert_eq!(p["illustrations"]["done"], 12, "{p}");
    assert_eq!(p["illustrations"]["failed"], 0);
    let book = stack.ports.store.get_book(&book_id).await.unwrap().unwrap();
    assert_eq!(book.tally.done, 12, "progress counted a page twice");
    let pages = stack.ports.store.list_pages(&book_id).await.unwrap();
    for old in &kept {
        let now = pages.iter().find(|p| p.number == old.number).unwrap();
        assert_eq!(
            now.image_key, old.image_key,
            "page {} was redrawn after the restart",
            old.number
        );
    }
    check_pdf(&download_pdf(&http, &base, &id).await, 12);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_stage_message_handled_twice_changes_nothing() {
    let HandRun {
        dir: _dir,
        stack,
        book_id,
        ..
    } = book_ordered_by_hand().await;
    let ports = stack.ports.clone();
    let queue = stack.queue.clone();
    let depth = |name: QueueName| {
        let queue = queue.clone();
        async move { queue.depth(name).await.unwrap() }
    };
    let snapshot = || async {
        let mut b = ports.store.get_book(&book_id).await.unwrap().unwrap();
        b.updated_at = 0;
        let pages = ports.store.list_pages(&book_id).await.unwrap();
        (b, pages)
    };

    write_story::run(&Stage::of(&ports), &Writing::of(&ports), &book_id)
        .await
        .unwrap();
    let once = snapshot().await;
    write_story::run(&Stage::of(&ports), &Writing::of(&ports), &book_id)
        .await
        .unwrap();
    assert_eq!(
        snapshot().await.1,
        once.1,
        "a second write-story rewrote pages"
    );
    assert_eq!(
        snapshot().await.0.text_usage,
        once.0.text_usage,
        "a second write-story charged model calls again"
    );
    assert_eq!(
        depth(QueueName::Review).await,
        1,
        "a second write-story handed the book to review twice"
    );

    review_story::run(&Stage::of(&ports), &book_id)
        .await
        .unwrap();
    let reviewed = snapshot().await;
    assert_eq!(
        reviewed.0.status,
        storyloom_domain::BookStatus::Illustrating
    );
    assert_eq!(depth(QueueName::Illustrate).await, 4);
    review_story::run(&Stage::of(&ports), &book_id)
        .await
        .unwrap();
    assert_eq!(
        snapshot().await,
        reviewed,
        "a second review changed the book"
    );
    assert_eq!(
        depth(QueueName::Illustrate).await,
        4,
        "a second review fanned out again"
    );

    for n in 1..=4 {
        illustrate_page::run(&Stage::of(&ports), &Drawing::of(&ports), &book_id, n)
            .await
            .unwrap();
        let once = snapshot().await;
        illustrate_page::run(&Stage::of(&ports), &Drawing::of(&ports), &book_id, n)
            .await
            .unwrap();
        let twice = snapshot().await;
        assert_eq!(twice.1, once.1, "page {n} changed on redelivery");
        assert_eq!(twice.0.tally, once.0.tally, "page {n} was counted twice");
    }
    let b = snapshot().await.0;
    assert_eq!(b.tally.done, 4);
    assert_eq!(b.status, storyloom_domain::BookStatus::Assembling);
    assert_eq!(
        depth(QueueName::Assemble).await,
        1,
        "the fan-in sent more than one assemble message"
    );

    assemble_book::run(&Stage::of(&ports), &Press::of(&ports), &book_id)
        .await
        .unwrap();
    let once = snapshot().await;
    assemble_book::run(&Stage::of(&ports), &Press::of(&ports), &book_id)
        .await
        .unwrap();
    assert_eq!(
        snapshot().await.0,
        once.0,
        "a second assemble changed the book"
    );
    assert_eq!(once.0.status, storyloom_domain::BookStatus::Ready);
    let books = ports
        .store
        .list_books(&OwnerId::parse(OWNER).unwrap())
        .await
        .unwrap();
    assert_eq!(books.len(), 1);
    assert_eq!(
        stack
            .queue
            .dead_letter_count(QueueName::Assemble)
            .await
            .unwrap(),
        0
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_book_makes_no_more_model_calls() {
    let HandRun {
        dir: _dir,
        stack,
        base,
        http,
        id,
        book_id,
    } = book_ordered_by_hand().await;
    let ports = stack.ports.clone();
    write_story::run(&Stage::of(&ports), &Writing::of(&ports), &book_id)
        .await
        .unwrap();
    let written = ports.store.get_book(&book_id).await.unwrap().unwrap();
    assert_eq!(written.status, storyloom_domain::BookStatus::Reviewing);

    let cancel = format!("{base}/v1/books/{id}/cancel");
    let (status, body) = post(&http, &cancel, &serde_json::json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "cancelled");
    let (status, _) = post(&http, &cancel, &serde_json::json!({})).await;
    assert_eq!(status, 200, "cancelling twice is not an error");

    // Every message still queued for the book is handled and does nothing.
    let mut handled = 0;
    for queue in QueueName::ALL {
        for m in stack
            .queue
            .receive(queue, 100, Duration::from_secs(60))
            .await
            .unwrap()
        {
            let d = storyloom_application::worker::handle(&ports, &m).await;
            assert_eq!(d, storyloom_application::worker::Disposition::Ack);
            stack.queue.ack(queue, &m.receipt).await.unwrap();
            handled += 1;
        }
    }
    assert!(
        handled >= 2,
        "the review message and the original write message"
    );
    review_story::run(&Stage::of(&ports), &book_id)
        .await
        .unwrap();
    illustrate_page::run(&Stage::of(&ports), &Drawing::of(&ports), &book_id, 1)
        .await
        .unwrap();
    let after = ports.store.get_book(&book_id).await.unwrap().unwrap();
    assert_eq!(after.status, storyloom_domain::BookStatus::Cancelled);
    assert_eq!(
        after.text_usage, written.text_usage,
        "a model was called after the cancel"
    );
    let pages = ports.store.list_pages(&book_id).await.unwrap();
    assert!(
        pages
            .iter()
            .all(|p| p.illustration == IllustrationStatus::Pending)
    );

    // A finished book cannot be cancelled.
    let mut done = after.clone();
    done.status = storyloom_domain::BookStatus::Failed;
    ports.store.update_book(&done).await.unwrap();
    let r = http.post(&cancel).send().await.unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    stack.stop().await;
}
