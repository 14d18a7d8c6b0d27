//! A function's cold start on `moto_server`: `AwsClients::load` takes the endpoint from
//! `AWS_ENDPOINT_URL` (as a local run sets it) and switches S3 to path-style addressing,
//! and the configuration read from the environment finds the resources the template would
//! name — so the very wiring the binaries run works end to end.

use storyloom_domain::message::QueueName;
use storyloom_tests::fixture::aws::{endpoint, resources};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_start_wires_every_adapter_from_the_environment() {
    let (_, settings) = resources().await;
    let mut env = vec![
        ("AWS_ENDPOINT_URL".to_owned(), endpoint()),
        ("AWS_REGION".to_owned(), "us-east-1".to_owned()),
        ("AWS_ACCESS_KEY_ID".to_owned(), "local".to_owned()),
        ("AWS_SECRET_ACCESS_KEY".to_owned(), "local".to_owned()),
    ];
    env.extend(settings.to_environment());
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
    let ports = storyloom_functions::wiring::ports_from_env()
        .await
        .expect("the function wires itself from its environment");
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
}
