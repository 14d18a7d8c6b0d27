//! The local stack under load: `GET /v1/books/{id}/progress` hammered by `wrk` (a second
//! process, so the load generator's work is not the server's) over keep-alive connections.
//! Measured idle here, and while books are being made by [`super::pipeline`].

use super::report;
use crate::stack::StackOptions;
use anyhow::{Context, bail};
use std::path::Path;
use std::time::Duration;

/// How long the load runs.
pub const DURATION: Duration = Duration::from_secs(10);
/// Concurrent connections.
pub const CONNECTIONS: u32 = 64;

/// wrk prints its 95th percentile (µs) only when asked, from a script.
const SCRIPT: &str = "done = function(summary, latency, requests)\n  io.write(string.format(\"p95_us=%d\\n\", latency:percentile(95)))\n  io.write(string.format(\"errors=%d\\n\", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))\nend\n";

/// What one wrk run measured.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    /// Answered requests a second (failures excluded).
    pub rps: f64,
    /// The 95th percentile latency, ms.
    pub p95_ms: f64,
    /// Failed requests over all requests.
    pub error_rate: f64,
}

/// Measures `api_rps`, `api_p95_ms` and `api_error_rate` with nothing else running.
pub async fn run(options: &StackOptions) -> anyhow::Result<()> {
    let super::book::OneBook {
        dir,
        stack,
        base,
        token,
        id,
    } = super::book::one_book(options).await?;
    let load = progress_load(dir.path(), &base, &token, &id).await;
    stack.stop().await;
    let load = load?;
    report("api_rps", load.rps);
    report("api_p95_ms", load.p95_ms);
    report("api_error_rate", load.error_rate);
    Ok(())
}

/// Runs wrk against book `id`'s progress for [`DURATION`]; `scratch` holds its script.
pub async fn progress_load(
    scratch: &Path,
    base: &str,
    token: &str,
    id: &str,
) -> anyhow::Result<Load> {
    let script = scratch.join("p95.lua");
    std::fs::write(&script, SCRIPT)?;
    let out = tokio::task::spawn_blocking({
        let url = format!("{base}/v1/books/{id}/progress");
        let auth = format!("Authorization: Bearer {token}");
        move || {
            std::process::Command::new("wrk")
                .args(["-t2", &format!("-c{CONNECTIONS}")])
                .arg(format!("-d{}s", DURATION.as_secs()))
                .arg("-s")
                .arg(&script)
                .args(["-H", &auth])
                .arg(url)
                .output()
        }
    })
    .await?
    .context("wrk is not installed: `apt-get install wrk` (Debian)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("wrk failed: {text}{}", String::from_utf8_lossy(&out.stderr));
    }
    let field = |prefix: &str| -> anyhow::Result<f64> {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .and_then(|v| v.trim().parse().ok())
            .with_context(|| format!("no `{prefix}` in wrk's output: {text}"))
    };
    let rps = field("Requests/sec:")?;
    let errors = field("errors=")?;
    // Only answered requests count as throughput; failures are a figure of their own.
    let seconds = DURATION.as_secs_f64();
    Ok(Load {
        rps: rps - errors / seconds,
        p95_ms: field("p95_us=")? / 1e3,
        error_rate: errors / (rps * seconds).max(1.0),
    })
}
