//! The health probes: public, liveness always up, readiness down (503 problem naming the
//! dependency) while one does not answer, and up again when it does.

mod common;
use common::*;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_names_the_dependency_that_does_not_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), false).await;
    let anonymous = storyloom_tests::http();
    let r = anonymous
        .get(format!("{base}/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "ok");

    // The secrets file turns unreadable before the stack first reads it.
    let secrets = dir.path().join("secrets.json");
    let saved = std::fs::read(&secrets).unwrap();
    std::fs::write(&secrets, b"not json").unwrap();
    let r = anonymous
        .get(format!("{base}/v1/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let problem: Value = r.json().await.unwrap();
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.starts_with("not ready: secrets:"), "{detail}");
    assert!(
        !detail.contains("store:") && !detail.contains("queue:"),
        "{detail}"
    );

    std::fs::write(&secrets, saved).unwrap();
    let r = anonymous
        .get(format!("{base}/v1/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let ready: Value = r.json().await.unwrap();
    assert_eq!(ready["status"], "ready");
    for component in ["store", "queue", "blobs", "secrets"] {
        assert_eq!(ready["checks"][component], "ok", "{ready}");
    }
    stack.stop().await;
}
