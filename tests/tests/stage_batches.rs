//! The stage functions' batch handling, as Lambda calls it: a record whose handler panics
//! fails alone, a malformed record is reported for retry, and the rest of the batch
//! completes and is not reported.

use async_trait::async_trait;
use serde_json::json;
use std::sync::Arc;
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::{ModelInfo, TextModel, TextRequest, TextResponse, TextTask};
use storyloom_domain::{BookId, BookStatus, OwnerId};
use storyloom_functions::invoke;
use storyloom_offline::OfflineStoryteller;
use storyloom_tests::contract::book;
use storyloom_tests::fixture::embedded::fixture;

/// The offline storyteller, except that it panics on one premise: a bug in a handler.
struct PanicsOnPremise(&'static str);

#[async_trait]
impl TextModel for PanicsOnPremise {
    fn info(&self) -> ModelInfo {
        OfflineStoryteller.info()
    }

    async fn generate(&self, request: &TextRequest) -> storyloom_domain::Result<TextResponse> {
        let brief = match &request.task {
            TextTask::Plan { brief }
            | TextTask::Persona { brief, .. }
            | TextTask::Page { brief, .. } => brief,
        };
        assert!(brief.premise != self.0, "a bug in the writer");
        OfflineStoryteller.generate(request).await
    }
}

fn record(id: &str, body: String) -> serde_json::Value {
    json!({
        "messageId": id,
        "receiptHandle": format!("receipt-{id}"),
        "body": body,
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:storyloom-story",
        "awsRegion": "us-east-1"
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_record_fails_alone() {
    let f = fixture().await;
    let owner = OwnerId::parse("reader-1").unwrap();
    let mut doomed = book(&owner, 4, 1_000);
    doomed.request.premise = "the premise that trips the bug".into();
    let fine = book(&owner, 4, 1_000);
    for b in [&doomed, &fine] {
        f.store.create_book(b).await.unwrap();
    }
    let ports = storyloom_application::Ports {
        text: Arc::new(PanicsOnPremise("the premise that trips the bug")),
        ..f.ports()
    };
    let write = |id: &BookId| {
        json!({"message": {"type": "write_story", "book_id": id}, "correlation_id": "c-1"})
            .to_string()
    };
    let event = json!({"Records": [
        record("m-doomed", write(&doomed.id)),
        record("m-malformed", "{not json".into()),
        record("m-fine", write(&fine.id)),
    ]});
    let response = invoke::stage(&ports, QueueName::Story, event)
        .await
        .unwrap();
    let mut failed: Vec<&str> = response["batchItemFailures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["itemIdentifier"].as_str().unwrap())
        .collect();
    failed.sort();
    assert_eq!(failed, vec!["m-doomed", "m-malformed"], "{response}");
    let status = |id: BookId| {
        let store = f.store.clone();
        async move { store.get_book(&id).await.unwrap().unwrap().status }
    };
    assert_eq!(status(fine.id.clone()).await, BookStatus::Reviewing);
    assert_eq!(status(doomed.id.clone()).await, BookStatus::Writing);
}

/// A stage function is fed by both lanes of its queue. A record from the priority lane that
/// must be retried gets its backoff on the priority queue (on `moto_server`): it comes back
/// within the backoff, not after the visibility timeout it was received with.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_priority_record_is_backed_off_on_its_own_queue() {
    use storyloom_domain::message::Lane;
    let (ports, clients, settings) = storyloom_tests::lambda::aws_stack().await;
    let url = &settings.queues.work[&(QueueName::Story, Lane::Priority)];
    clients
        .sqs
        .send_message()
        .queue_url(url)
        .message_body("not an envelope")
        .send()
        .await
        .unwrap();
    let received = clients
        .sqs
        .receive_message()
        .queue_url(url)
        .visibility_timeout(60)
        .wait_time_seconds(2)
        .send()
        .await
        .unwrap();
    let m = &received.messages.unwrap()[0];
    let arn = format!(
        "arn:aws:sqs:us-east-1:123456789012:{}",
        url.rsplit('/').next().unwrap()
    );
    let event = json!({"Records": [{
        "messageId": m.message_id.clone().unwrap(),
        "receiptHandle": m.receipt_handle.clone().unwrap(),
        "body": "not an envelope",
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "eventSource": "aws:sqs",
        "eventSourceARN": arn,
        "awsRegion": "us-east-1"
    }]});
    let response = invoke::stage(&ports, QueueName::Story, event)
        .await
        .unwrap();
    assert_eq!(response["batchItemFailures"].as_array().unwrap().len(), 1);
    // The first backoff is at most two seconds; the visibility timeout was a minute.
    let back = clients
        .sqs
        .receive_message()
        .queue_url(url)
        .wait_time_seconds(5)
        .send()
        .await
        .unwrap();
    assert_eq!(
        back.messages.unwrap_or_default().len(),
        1,
        "the backoff did not reach the priority queue"
    );
}
