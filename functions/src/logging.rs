//! Structured logs: one JSON object per line on stdout, where Lambda ships it to CloudWatch.

/// Installs the JSON subscriber (level from `RUST_LOG`, default `info`). Safe to call more
/// than once: later calls are no-ops.
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_current_span(true)
        .without_time() // CloudWatch stamps every line.
        .try_init();
}
