//! A function's cold start on `moto_server`: `AwsClients::load` takes the endpoint from
//! `AWS_ENDPOINT_URL` (as a local run sets it) and switches S3 to path-style addressing,
//! and the configuration read from the environment finds the resources the template would
//! name — so the very wiring the binaries run works end to end.

use aws_sdk_sqs::types::MessageSystemAttributeName;
use storyloom_domain::message::{Lane, QueueName};
use storyloom_domain::{Envelope, StageMessage};

const TRACE: &str = "Root=1-67891233-abcdef012345678912345678;Parent=463ac35c9f6413ad;Sampled=1";
use storyloom_tests::fixture::aws::{endpoint, resources};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_start_wires_every_adapter_from_the_environment() {
    let (clients, settings) = resources().await;
    let mut env = vec![
        ("AWS_ENDPOINT_URL".to_owned(), endpoint()),
        ("AWS_REGION".to_owned(), "us-east-1".to_owned()),
        ("AWS_ACCESS_KEY_ID".to_owned(), "local".to_owned()),
        ("AWS_SECRET_ACCESS_KEY".to_owned(), "local".to_owned()),
    ];
    env.extend(settings.to_environment());
    // What the Lambda runtime sets for an invocation with active tracing.
    env.push((
        storyloom_aws::queue::TRACE_HEADER_VARIABLE.to_owned(),
        TRACE.to_owned(),
    ));
    assert_eq!(
        settings.queues.work.len(),
        2 * QueueName::ALL.len(),
        "a standard and a priority queue per stage"
    );
    for (k, v) in &env {
        // SAFETY: this test binary has no other test, and no thread reads the environment
        // while it is being set, before any client exists.
        unsafe { std::env::set_var(k, v) };
    }
    let ports = storyloom_functions::wiring::ports_from_env(
        "sweep-stalled",
        storyloom_functions::wiring::Links::STORAGE,
    )
    .await
    .expect("the function wires itself from its environment")
    .ports;
    ports
        .blobs
        .put(
            "books/b-cold/book.pdf",
            b"%PDF cold".to_vec(),
            "application/pdf",
        )
        .await
        .expect("S3 answers on the overridden endpoint (path-style)");
    assert_eq!(
        ports
            .blobs
            .get("books/b-cold/book.pdf")
            .await
            .unwrap()
            .as_deref(),
        Some(&b"%PDF cold"[..])
    );
    assert!(
        ports
            .store
            .list_books(&storyloom_domain::OwnerId::parse("nobody").unwrap())
            .await
            .unwrap()
            .is_empty()
    );
    for q in QueueName::ALL {
        assert_eq!(ports.queue.dead_letter_count(q).await.unwrap(), 0);
    }
    assert_eq!(ports.secrets.get("model-provider").await.unwrap(), None);

    // A message sent during the invocation carries its trace onwards, so the stage it
    // feeds joins the same X-Ray trace.
    let book = storyloom_domain::BookId::parse("b-traced").unwrap();
    ports
        .queue
        .send(
            &Envelope::new(StageMessage::WriteStory { book_id: book }, "c-traced"),
            std::time::Duration::ZERO,
        )
        .await
        .unwrap();
    let received = clients
        .sqs
        .receive_message()
        .queue_url(&settings.queues.work[&(QueueName::Story, Lane::Standard)])
        .message_system_attribute_names(MessageSystemAttributeName::AwsTraceHeader)
        .wait_time_seconds(2)
        .send()
        .await
        .unwrap();
    let message = &received.messages.unwrap()[0];
    assert_eq!(
        message
            .attributes
            .as_ref()
            .and_then(|a| a.get(&MessageSystemAttributeName::AwsTraceHeader))
            .map(String::as_str),
        Some(TRACE)
    );
}
