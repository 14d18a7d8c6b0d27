//! A poison message: it reaches the dead-letter queue, is redriven a bounded number of
//! times with growing delays, and then its unit of work is failed with the reason — never
//! dropped silently, never retried for ever.

use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;
use storyloom_application::jobs::redrive_dead_letters::{self, MAX_REDRIVES, redrive_delay};
use storyloom_application::stages::Stage;
use storyloom_application::worker::{Disposition, handle};
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::{Clock, JobQueue, ModelInfo, TextModel, TextRequest, TextResponse};
use storyloom_domain::{BookStatus, Envelope, Error, OwnerId, StageMessage};
use storyloom_embedded::{FileQueue, QueueSettings};
use storyloom_tests::clock::HandClock;
use storyloom_tests::contract::book;
use storyloom_tests::fixture::embedded::fixture;

/// A writer that always times out.
struct AlwaysTimesOut;

#[async_trait]
impl TextModel for AlwaysTimesOut {
    fn info(&self) -> ModelInfo {
        ModelInfo {
            id: "always-times-out".into(),
            offline: true,
            description: "a provider that never answers in time".into(),
        }
    }

    async fn generate(&self, _: &TextRequest) -> storyloom_domain::Result<TextResponse> {
        Err(Error::Transient("the provider timed out".into()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poison_message_is_redriven_a_bounded_number_of_times_then_its_book_fails() {
    let f = fixture().await;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(HandClock::at(1_800_000_000_000));
    // One receive per run, so every failed run dead-letters the message at once.
    let queue = Arc::new(
        FileQueue::open(
            &dir.path().join("q.redb"),
            clock.clone(),
            QueueSettings {
                max_receive_count: 1,
                ..QueueSettings::default()
            },
        )
        .unwrap(),
    );
    let ports = storyloom_application::Ports {
        queue: queue.clone(),
        text: Arc::new(AlwaysTimesOut),
        clock: clock.clone(),
        limits: storyloom_domain::Limits::default(),
        ..f.ports()
    };
    let doomed = book(&OwnerId::parse("o").unwrap(), 4, clock.now_ms());
    f.store.create_book(&doomed).await.unwrap();
    let envelope = Envelope::new(
        StageMessage::WriteStory {
            book_id: doomed.id.clone(),
        },
        "c-1",
    );
    queue.send(&envelope, Duration::ZERO).await.unwrap();

    // One failing run, then the message is dead-lettered.
    let run_once = || async {
        let got = queue
            .receive(QueueName::Story, 1, Duration::ZERO)
            .await
            .unwrap();
        assert_eq!(got.len(), 1, "the message did not come back");
        assert!(matches!(
            handle(&ports, &got[0]).await,
            Disposition::Retry(_)
        ));
        assert!(
            queue
                .receive(QueueName::Story, 1, Duration::ZERO)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(queue.dead_letter_count(QueueName::Story).await.unwrap(), 1);
    };
    run_once().await;
    for n in 1..=MAX_REDRIVES {
        let report = redrive_dead_letters::run(&Stage::of(&ports)).await.unwrap();
        assert_eq!((report.redriven, report.gave_up), (1, 0), "redrive {n}");
        // Redriven with a growing delay: not back before it.
        assert!(
            queue
                .receive(QueueName::Story, 1, Duration::ZERO)
                .await
                .unwrap()
                .is_empty()
        );
        clock.advance(redrive_delay(n).as_millis() as u64);
        run_once().await;
    }
    // Out of redrives: the book fails with the reason, and the dead letter is gone.
    let report = redrive_dead_letters::run(&Stage::of(&ports)).await.unwrap();
    assert_eq!((report.redriven, report.gave_up), (0, 1));
    assert_eq!(queue.dead_letter_count(QueueName::Story).await.unwrap(), 0);
    let failed = f.store.get_book(&doomed.id).await.unwrap().unwrap();
    assert_eq!(failed.status, BookStatus::Failed);
    let reason = failed.failure_reason.unwrap();
    assert!(
        reason.contains("gave up after 3 further attempts"),
        "{reason}"
    );
    assert!(redrive_delay(1) < redrive_delay(2) && redrive_delay(2) < redrive_delay(3));
}
