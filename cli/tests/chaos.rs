//! A small fault-injection run in the test suite: a few books while the models fail a fifth
//! of their calls and the stack's process is SIGKILLed and restarted every few seconds.
//! Every book must finish, nothing may be doubled. (The big runs and their figures are in
//! the README.)

use std::time::Duration;
use storyloom_cli::chaos::{ChaosOptions, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn books_finish_exactly_once_through_faults_and_kills() {
    let run = run(ChaosOptions {
        books: 4,
        pages: 4,
        fail_rate: 0.2,
        kill: true,
        seed: 11,
        data: None,
        timeout: Duration::from_secs(300),
        exe: Some(env!("CARGO_BIN_EXE_storyloom").into()),
        aws: None,
    })
    .await
    .expect("the run completes");
    let a = run.audit;
    assert_eq!(a.terminal, 4, "{a}");
    assert_eq!(a.lost, 0, "{a}");
    assert_eq!(a.duplicates, 0, "{a}: {:?}", a.findings);
    assert_eq!(a.ready + a.partial + a.failed, 4, "{a}");
    assert!(run.kills >= 1, "the stack was never killed");
}

/// The same on the AWS adapters against the `moto_server` the test script starts: the
/// stack's process (API, SQS event-source driver, stage functions) is killed and restarted.
#[cfg(feature = "aws")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn books_finish_exactly_once_on_aws_apis_through_faults_and_kills() {
    let endpoint = std::env::var("STORYLOOM_MOTO_URL")
        .expect("STORYLOOM_MOTO_URL is not set: run the tests with `bash scripts/test.sh`");
    let run = run(ChaosOptions {
        books: 3,
        pages: 4,
        fail_rate: 0.2,
        kill: true,
        seed: 100 + u64::from(std::process::id() % 1000),
        data: None,
        timeout: Duration::from_secs(400),
        exe: Some(env!("CARGO_BIN_EXE_storyloom").into()),
        aws: Some(endpoint),
    })
    .await
    .expect("the run completes");
    let a = run.audit;
    assert_eq!(
        (a.terminal, a.lost, a.duplicates),
        (3, 0, 0),
        "{a}: {:?}",
        a.findings
    );
    assert_eq!(a.dead_letters, 0, "{a}");
}
