//! A small fault-injection run in the test suite: a few books while the models fail a fifth
//! of their calls and the stack's process is SIGKILLed and restarted every few seconds.
//! Every book must finish, nothing may be doubled. (The big runs and their figures are in
//! the README.)

use std::time::Duration;
use storyloom_infra::chaos::{ChaosOptions, run};

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
    })
    .await
    .expect("the run completes");
    let a = run.audit;
    assert_eq!(a.terminal, 4, "{a}");
    assert_eq!(a.lost, 0, "{a}");
    assert_eq!(a.duplicates, 0, "{a}");
    assert_eq!(a.ready + a.partial + a.failed, 4, "{a}");
    assert!(run.kills >= 1, "the stack was never killed");
}
