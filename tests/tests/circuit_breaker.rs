//! The circuit breaker per model provider: shared by every instance through the store,
//! opened by repeated transient failures, refusing fast while open, probing once after the
//! cool-down — and an open circuit delays a stage's message rather than spending it.

use async_trait::async_trait;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;
use storyloom_application::guarded::guard_text;
use storyloom_application::worker::{Disposition, handle};
use storyloom_domain::breaker::{Breaker, COOL_DOWN_MS, FAILURE_THRESHOLD};
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::{Clock, ModelInfo, TextModel, TextRequest, TextResponse, TextTask};
use storyloom_domain::{BookStatus, Envelope, Error, OwnerId, StageMessage};
use storyloom_offline::OfflineStoryteller;
use storyloom_tests::clock::HandClock;
use storyloom_tests::contract::book;
use storyloom_tests::fixture::embedded::fixture;

/// A provider that is down (times out) until told otherwise; counts the calls it gets.
struct Provider {
    down: AtomicBool,
    calls: AtomicU32,
}

#[async_trait]
impl TextModel for Provider {
    fn info(&self) -> ModelInfo {
        ModelInfo {
            id: "test-provider".into(),
            offline: true,
            description: "a provider the test takes down and brings back".into(),
        }
    }

    async fn generate(&self, request: &TextRequest) -> storyloom_domain::Result<TextResponse> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.down.load(Ordering::SeqCst) {
            return Err(Error::Transient("the provider timed out".into()));
        }
        OfflineStoryteller.generate(request).await
    }
}

fn plan_request() -> TextRequest {
    let b = book(&OwnerId::parse("o").unwrap(), 4, 0);
    let request = storyloom_domain::prompt::plan_request(&b);
    assert!(matches!(request.task, TextTask::Plan { .. }));
    request
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_open_the_circuit_for_every_instance_until_a_probe_succeeds() {
    let f = fixture().await;
    let clock = Arc::new(HandClock::at(1_000_000));
    let provider = Arc::new(Provider {
        down: AtomicBool::new(true),
        calls: AtomicU32::new(0),
    });
    // Two function instances, one shared store.
    let a = guard_text(provider.clone(), f.store.clone(), clock.clone());
    let b = guard_text(provider.clone(), f.store.clone(), clock.clone());
    let request = plan_request();
    for _ in 0..FAILURE_THRESHOLD {
        assert!(matches!(
            a.generate(&request).await,
            Err(Error::Transient(_))
        ));
    }
    assert_eq!(provider.calls.load(Ordering::SeqCst), FAILURE_THRESHOLD);
    // Open: both instances refuse at once, without calling the provider.
    for guarded in [&a, &b] {
        match guarded.generate(&request).await {
            Err(Error::CircuitOpen { retry_after_ms, .. }) => {
                assert_eq!(retry_after_ms, COOL_DOWN_MS)
            }
            other => panic!("expected an open circuit, got {other:?}"),
        }
    }
    assert_eq!(provider.calls.load(Ordering::SeqCst), FAILURE_THRESHOLD);

    // After the cool-down one probe goes through; it fails, so the circuit reopens.
    clock.advance(COOL_DOWN_MS);
    assert!(matches!(
        b.generate(&request).await,
        Err(Error::Transient(_))
    ));
    assert_eq!(provider.calls.load(Ordering::SeqCst), FAILURE_THRESHOLD + 1);
    assert!(matches!(
        a.generate(&request).await,
        Err(Error::CircuitOpen { .. })
    ));

    // The provider recovers: the next probe succeeds and closes the circuit for everyone.
    provider.down.store(false, Ordering::SeqCst);
    clock.advance(COOL_DOWN_MS);
    assert!(a.generate(&request).await.is_ok());
    assert!(b.generate(&request).await.is_ok());
    let breaker = f.store.get_breaker("test-provider").await.unwrap();
    assert_eq!(breaker.consecutive_failures, 0);
    assert!(!breaker.is_open());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_circuit_delays_the_message_instead_of_spending_it() {
    let f = fixture().await;
    let clock: Arc<HandClock> =
        Arc::new(HandClock::at(storyloom_application::SystemClock.now_ms()));
    let provider = Arc::new(Provider {
        down: AtomicBool::new(false),
        calls: AtomicU32::new(0),
    });
    // The provider's circuit is open (another instance saw it fail).
    let mut open = Breaker::closed("test-provider");
    for _ in 0..FAILURE_THRESHOLD {
        open.on_failure(clock.now_ms());
    }
    f.store.put_breaker(&open).await.unwrap();
    let ports = storyloom_application::Ports {
        text: guard_text(provider.clone(), f.store.clone(), clock.clone()),
        clock: clock.clone(),
        ..f.ports()
    };
    let queued = book(&OwnerId::parse("o").unwrap(), 4, clock.now_ms());
    f.store.create_book(&queued).await.unwrap();
    let envelope = Envelope::new(
        StageMessage::WriteStory {
            book_id: queued.id.clone(),
        },
        "c-1",
    );
    f.queue.send(&envelope, Duration::ZERO).await.unwrap();
    let received = f
        .queue
        .receive(QueueName::Story, 1, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(handle(&ports, &received[0]).await, Disposition::Ack);
    f.queue
        .ack(QueueName::Story, &received[0].receipt)
        .await
        .unwrap();
    assert_eq!(
        provider.calls.load(Ordering::SeqCst),
        0,
        "the provider was called"
    );
    // The message is back as a fresh one, hidden for the cool-down, and nothing was spent.
    assert!(
        f.queue
            .receive(QueueName::Story, 1, Duration::from_secs(60))
            .await
            .unwrap()
            .is_empty(),
        "the delayed message came back at once"
    );
    assert_eq!(
        f.queue.dead_letter_count(QueueName::Story).await.unwrap(),
        0
    );
    let book = f.store.get_book(&queued.id).await.unwrap().unwrap();
    assert_eq!(book.status, BookStatus::Writing);
}
