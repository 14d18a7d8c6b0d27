//! A function's cold start: a release binary from exec to its first request for work on a
//! loopback Lambda Runtime API (the end of Lambda's init phase), its resident memory then,
//! and its size on disk.

use super::{percentile, report};
use crate::runtime_api::RuntimeApi;
use anyhow::{Context, bail};
use std::path::Path;
use std::time::{Duration, Instant};

/// Starts measured per binary.
const STARTS: usize = 10;

/// The functions measured, each under the name its figures carry: two HTTP functions that
/// only read the store, and the pipeline stage that draws (the only one of the three that
/// links an image model).
pub const FUNCTIONS: [(&str, &str); 3] = [
    ("http", "get-progress"),
    ("http_budget", "get-budget"),
    ("stage", "illustrate-page"),
];

/// What a function needs to get through its init: resource names (never contacted during
/// init) and credentials for the SDK's (lazy) provider chain.
fn environment() -> Vec<(&'static str, &'static str)> {
    vec![
        ("TABLE_NAME", "bench-books"),
        ("BUCKET_NAME", "bench-blobs"),
        ("SECRETS_PREFIX", "storyloom/bench/"),
        (
            "ILLUSTRATE_QUEUE_URL",
            "https://sqs.us-east-1.amazonaws.com/1/bench-illustrate",
        ),
        (
            "ASSEMBLE_QUEUE_URL",
            "https://sqs.us-east-1.amazonaws.com/1/bench-assemble",
        ),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "bench"),
        ("AWS_SECRET_ACCESS_KEY", "bench"),
    ]
}

/// Measures `init_ms_<kind>`, `rss_mb_<kind>` and `binary_mb_<kind>` for the binaries in
/// `dir` (a release build's output directory).
pub async fn run(dir: &Path) -> anyhow::Result<()> {
    for (kind, function) in FUNCTIONS {
        let binary = dir.join(function);
        if !binary.exists() {
            bail!(
                "{} is missing: `cargo build --release -p storyloom-functions --bin {function}`",
                binary.display()
            );
        }
        let mut inits = Vec::with_capacity(STARTS);
        let mut rss = Vec::with_capacity(STARTS);
        for _ in 0..STARTS {
            let api = RuntimeApi::start().await?;
            let started = Instant::now();
            let mut child = std::process::Command::new(&binary)
                .env_clear()
                .envs(api.environment(function))
                .envs(environment())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .with_context(|| format!("starting {function}"))?;
            let polled = api.first_poll(Duration::from_secs(10)).await;
            let resident = resident_mb(child.id());
            let _ = child.kill();
            let _ = child.wait();
            let polled = polled.with_context(|| {
                format!("{function} never asked for work: {:?}", api.init_error())
            })?;
            inits.push(polled.duration_since(started).as_secs_f64() * 1e3);
            rss.push(resident?);
        }
        inits.sort_by(f64::total_cmp);
        rss.sort_by(f64::total_cmp);
        report(&format!("init_ms_{kind}"), percentile(&inits, 0.5));
        report(&format!("rss_mb_{kind}"), percentile(&rss, 0.5));
        let bytes = std::fs::metadata(&binary)?.len();
        report(
            &format!("binary_mb_{kind}"),
            bytes as f64 / (1024.0 * 1024.0),
        );
    }
    Ok(())
}

/// The process's peak resident set so far (`VmHWM`), in MiB.
fn resident_mb(pid: u32) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmHWM in /proc/<pid>/status")?;
    Ok(kb / 1024.0)
}
