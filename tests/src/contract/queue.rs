//! The `JobQueue` contract: SQS standard-queue semantics. Timings are whole seconds because
//! SQS counts delays and visibility timeouts in seconds.

use super::unique;
use crate::fixture::{Fixture, MAX_RECEIVES};
use std::time::Duration;
use storyloom_domain::message::{Lane, QueueName};
use storyloom_domain::ports::Received;
use storyloom_domain::{BookId, Envelope, StageMessage};

const LONG: Duration = Duration::from_secs(30);

fn envelope(page: u32) -> Envelope {
    Envelope {
        message: StageMessage::IllustratePage {
            book_id: BookId::parse(&unique("b")).expect("valid id"),
            page,
        },
        correlation_id: unique("corr"),
        redrives: 0,
        lane: Lane::Standard,
    }
}

fn parse(r: &Received) -> Envelope {
    serde_json::from_str(&r.body).expect("the body is the envelope as JSON")
}

/// Receives until `want` messages arrived or `patience` ran out.
async fn receive_n(
    f: &Fixture,
    queue: QueueName,
    want: usize,
    visibility: Duration,
    patience: Duration,
) -> Vec<Received> {
    let deadline = tokio::time::Instant::now() + patience;
    let mut out = Vec::new();
    while out.len() < want && tokio::time::Instant::now() < deadline {
        out.extend(f.queue.receive(queue, 10, visibility).await.unwrap());
    }
    out
}

/// Fails with `why` if the queue hands out anything now.
async fn assert_nothing_visible(f: &Fixture, queue: QueueName, why: &str) {
    let got = f.queue.receive(queue, 10, LONG).await.unwrap();
    assert!(got.is_empty(), "{why}");
}

/// A sent message is received once, hidden while in flight, and gone once acked.
pub async fn messages_are_received_then_acked(f: &Fixture) {
    let sent: Vec<Envelope> = (1..=3).map(envelope).collect();
    for e in &sent {
        f.queue.send(e, Duration::ZERO).await.unwrap();
    }
    let got = receive_n(f, QueueName::Illustrate, 3, LONG, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 3);
    let mut bodies: Vec<Envelope> = got.iter().map(parse).collect();
    bodies.sort_by_key(|e| match e.message {
        StageMessage::IllustratePage { page, .. } => page,
        _ => 0,
    });
    assert_eq!(bodies, sent);
    assert!(got.iter().all(|r| r.receive_count == 1));
    assert_nothing_visible(
        f,
        QueueName::Illustrate,
        "in-flight messages were delivered again",
    )
    .await;
    for r in &got {
        f.queue
            .ack(QueueName::Illustrate, &r.receipt)
            .await
            .unwrap();
    }
    assert_eq!(
        f.queue
            .dead_letter_count(QueueName::Illustrate)
            .await
            .unwrap(),
        0
    );
}

/// A consumer that dies without acking loses nothing: the message returns after its
/// visibility timeout, with its receive count raised.
pub async fn an_unacked_message_comes_back_after_its_visibility_timeout(f: &Fixture) {
    let e = envelope(1);
    f.queue.send(&e, Duration::ZERO).await.unwrap();
    let first = receive_n(
        f,
        QueueName::Illustrate,
        1,
        Duration::from_secs(1),
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(first.len(), 1);
    let again = receive_n(f, QueueName::Illustrate, 1, LONG, Duration::from_secs(6)).await;
    assert_eq!(again.len(), 1, "the message did not come back");
    assert_eq!(again[0].message_id, first[0].message_id);
    assert_eq!(again[0].receive_count, 2);
    assert_eq!(parse(&again[0]), e);
    f.queue
        .ack(QueueName::Illustrate, &again[0].receipt)
        .await
        .unwrap();
}

/// A delayed message is invisible until its delay passes.
pub async fn a_delayed_message_stays_hidden_until_due(f: &Fixture) {
    let e = envelope(2);
    f.queue.send(&e, Duration::from_secs(3)).await.unwrap();
    assert_nothing_visible(
        f,
        QueueName::Illustrate,
        "a delayed message was delivered at once",
    )
    .await;
    let got = receive_n(f, QueueName::Illustrate, 1, LONG, Duration::from_secs(8)).await;
    assert_eq!(got.len(), 1, "the delayed message never arrived");
    assert_eq!(parse(&got[0]), e);
}

/// `retry_later` hands a message back for redelivery after the backoff, not before.
pub async fn retry_later_hides_a_message_for_the_backoff(f: &Fixture) {
    let e = envelope(3);
    f.queue.send(&e, Duration::ZERO).await.unwrap();
    let got = receive_n(f, QueueName::Illustrate, 1, LONG, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1);
    f.queue
        .retry_later(
            QueueName::Illustrate,
            &got[0].receipt,
            Duration::from_secs(3),
        )
        .await
        .unwrap();
    assert_nothing_visible(
        f,
        QueueName::Illustrate,
        "the message came back before its backoff",
    )
    .await;
    let back = receive_n(f, QueueName::Illustrate, 1, LONG, Duration::from_secs(8)).await;
    assert_eq!(back.len(), 1, "the message never came back");
    assert_eq!(back[0].receive_count, 2);
    f.queue
        .retry_later(QueueName::Illustrate, &back[0].receipt, Duration::ZERO)
        .await
        .unwrap();
    let now = receive_n(f, QueueName::Illustrate, 1, LONG, Duration::from_secs(5)).await;
    assert_eq!(now.len(), 1, "a zero backoff did not release the message");
    assert_eq!(now[0].receive_count, 3);
}

/// After `MAX_RECEIVES` receives without an ack, the next receive moves the message to
/// the dead-letter queue, where it can be read and deleted.
pub async fn a_message_received_too_often_is_dead_lettered(f: &Fixture) {
    let e = envelope(4);
    f.queue.send(&e, Duration::ZERO).await.unwrap();
    for n in 1..=MAX_RECEIVES {
        let got = receive_n(
            f,
            QueueName::Illustrate,
            1,
            Duration::ZERO,
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(got.len(), 1, "receive {n} found nothing");
        assert_eq!(got[0].receive_count, n);
    }
    let mut dead = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while dead == 0 && tokio::time::Instant::now() < deadline {
        let extra = f
            .queue
            .receive(QueueName::Illustrate, 10, Duration::ZERO)
            .await
            .unwrap();
        assert!(extra.is_empty(), "received more often than the limit");
        dead = f
            .queue
            .dead_letter_count(QueueName::Illustrate)
            .await
            .unwrap();
    }
    assert_eq!(dead, 1, "the message was not dead-lettered");

    // The dead letter can be read (and hidden while handled), then deleted.
    let letters = f
        .queue
        .receive_dead_letters(QueueName::Illustrate, 10, LONG)
        .await
        .unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(parse(&letters[0]), e);
    assert!(
        f.queue
            .receive_dead_letters(QueueName::Illustrate, 10, LONG)
            .await
            .unwrap()
            .is_empty(),
        "a dead letter being handled was handed out again"
    );
    f.queue
        .ack_dead_letter(QueueName::Illustrate, &letters[0].receipt)
        .await
        .unwrap();
    assert_eq!(
        f.queue
            .dead_letter_count(QueueName::Illustrate)
            .await
            .unwrap(),
        0
    );
    // Nothing of it is left in the work queue either.
    assert_nothing_visible(
        f,
        QueueName::Illustrate,
        "a dead letter came back by itself",
    )
    .await;
}

/// Each stage has its own queue.
pub async fn stage_queues_are_separate(f: &Fixture) {
    let e = Envelope {
        message: StageMessage::ReviewStory {
            book_id: BookId::parse(&unique("b")).expect("valid id"),
        },
        correlation_id: unique("corr"),
        redrives: 0,
        lane: Lane::Standard,
    };
    f.queue.send(&e, Duration::ZERO).await.unwrap();
    for other in [QueueName::Story, QueueName::Illustrate, QueueName::Assemble] {
        assert!(f.queue.receive(other, 10, LONG).await.unwrap().is_empty());
    }
    let got = receive_n(f, QueueName::Review, 1, LONG, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1);
    assert_eq!(parse(&got[0]), e);
}

/// Receives one message, waiting up to `patience` for it.
async fn receive_one(f: &Fixture, queue: QueueName, visibility: Duration) -> Received {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(m) = f.queue.receive(queue, 1, visibility).await.unwrap().pop() {
            return m;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no message arrived in 5 s"
        );
    }
}

/// A stage's priority lane is drained first: its message overtakes standard ones sent
/// before it, and acking or retrying it by its receipt reaches it in its own lane.
pub async fn the_priority_lane_is_drained_first(f: &Fixture) {
    let standard: Vec<Envelope> = (1..=3).map(envelope).collect();
    for e in &standard {
        f.queue.send(e, Duration::ZERO).await.unwrap();
    }
    let paid = Envelope {
        lane: Lane::Priority,
        ..envelope(9)
    };
    f.queue.send(&paid, Duration::ZERO).await.unwrap();

    let first = receive_one(f, QueueName::Illustrate, LONG).await;
    assert_eq!(
        parse(&first),
        paid,
        "a standard message overtook the paid one"
    );
    f.queue
        .retry_later(QueueName::Illustrate, &first.receipt, Duration::ZERO)
        .await
        .unwrap();
    let again = receive_one(f, QueueName::Illustrate, LONG).await;
    assert_eq!(
        parse(&again),
        paid,
        "the retried paid message lost its place"
    );
    assert_eq!(again.receive_count, 2);
    f.queue
        .ack(QueueName::Illustrate, &again.receipt)
        .await
        .unwrap();

    let rest = receive_n(f, QueueName::Illustrate, 3, LONG, Duration::from_secs(5)).await;
    let mut got: Vec<Envelope> = rest.iter().map(parse).collect();
    got.sort_by_key(|e| match e.message {
        StageMessage::IllustratePage { page, .. } => page,
        _ => 0,
    });
    assert_eq!(got, standard);
    assert_nothing_visible(f, QueueName::Illustrate, "the acked paid message came back").await;
}
