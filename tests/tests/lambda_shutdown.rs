//! A real function binary on a loopback Lambda Runtime API: it registers the extension
//! that makes Lambda send SIGTERM, answers an invocation, and on SIGTERM runs its
//! graceful-shutdown hook (a last log line, flushed) and exits cleanly.
//!
//! Needs the binary built: `cargo build -p storyloom-functions --bin sweep-stalled` (the
//! test command does).

use std::process::Stdio;
use std::time::Duration;
use storyloom_cli::runtime_api::RuntimeApi;
use storyloom_tests::fixture::aws::{endpoint, resources};
use storyloom_tests::lambda::sample_event;

const FUNCTION: &str = "sweep-stalled";

fn binary() -> std::path::PathBuf {
    // The test executable is target/<profile>/deps/<name>; the binaries sit in target/<profile>.
    let exe = std::env::current_exe().expect("the test executable's path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let bin = dir.join(FUNCTION);
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p storyloom-functions --bin {FUNCTION}` first (scripts/test.sh does)",
        bin.display()
    );
    bin
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_function_flushes_and_exits_cleanly_on_sigterm() {
    let (_, settings) = resources().await;
    let api = RuntimeApi::start().await.expect("a loopback port");
    let mut child = std::process::Command::new(binary())
        .env_clear()
        .envs(api.environment(FUNCTION))
        .envs(settings.to_environment())
        .envs([
            ("AWS_ENDPOINT_URL", endpoint().as_str()),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "local"),
            ("AWS_SECRET_ACCESS_KEY", "local"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the function starts");
    let pid = child.id();

    assert!(
        api.first_poll(Duration::from_secs(20)).await.is_some(),
        "the function never asked for work; init error: {:?}",
        api.init_error()
    );
    assert_eq!(
        api.extensions(),
        ["_lambda-rust-runtime-no-op-graceful-shutdown-helper"],
        "without a registered extension Lambda sends no SIGTERM"
    );
    for _ in 0..2 {
        let report = api
            .invoke(sample_event(FUNCTION), Duration::from_secs(20))
            .await
            .expect("the function answers");
        assert_eq!(report["failed"], 0, "{report}");
    }

    let signalled = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(signalled.success());
    // Lambda allows a retiring runtime 500 ms before SIGKILL. What this checks is that the
    // function exits by itself on SIGTERM, not how fast a debug build does on a busy
    // machine, so it waits long enough for that and no longer.
    let waited = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child's status") {
            break status;
        }
        if waited.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("the function did not exit within 20 s of SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert!(status.success(), "{status:?}");

    let output = child.wait_with_output().expect("its output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Each invocation's line names the function, the request and whether it was cold.
    let finished: Vec<serde_json::Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|l| l["fields"]["message"] == "job finished")
        .collect();
    assert_eq!(finished.len(), 2, "{stdout}");
    for (line, cold) in finished.iter().zip([true, false]) {
        let spans = line["spans"].as_array().expect("the line's spans");
        assert_eq!(spans[0]["name"], "function", "{line}");
        assert_eq!(spans[0]["function"], FUNCTION, "{line}");
        assert_eq!(spans[0]["cold_start"], cold, "{line}");
        assert!(
            spans.iter().any(|s| s["requestId"].is_string()),
            "no request id: {line}"
        );
    }
    let last = stdout.lines().last().unwrap_or_default();
    let line: serde_json::Value = serde_json::from_str(last)
        .unwrap_or_else(|e| panic!("the last log line is not JSON ({e}): {stdout}"));
    assert_eq!(line["fields"]["function"], FUNCTION, "{line}");
    assert!(
        line["fields"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("shutting down")),
        "{line}"
    );
}
