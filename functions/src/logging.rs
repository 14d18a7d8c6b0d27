//! Structured logs: one JSON object per line on stdout, where Lambda ships it to CloudWatch.
//! Every line carries its spans: the function's (service, function), the runtime's
//! invocation (request id, X-Ray trace id) and, in a stage, the stage's (stage, book,
//! page, correlation id).

use std::sync::OnceLock;
use tracing::Subscriber;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// The JSON subscriber writing to `writer`, at the level `RUST_LOG` sets (default `info`).
pub fn subscriber<W>(writer: W) -> impl Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_current_span(true)
        .with_span_list(true)
        .without_time() // CloudWatch stamps every line.
        .with_writer(writer)
        .finish()
}

/// Installs the JSON subscriber on standard output. Safe to call more than once: later
/// calls are no-ops.
pub fn init() {
    let _ = tracing::subscriber::set_global_default(subscriber(std::io::stdout));
}

/// The function span of this process, once made.
static FUNCTION: OnceLock<tracing::Span> = OnceLock::new();

/// The span every log line of `function` sits in, named as its metrics are. Its
/// `cold_start` is true until the first invocation ends ([`invocation_done`]).
pub fn function_span(service: &str, function: &'static str) -> tracing::Span {
    let span = tracing::info_span!("function", %service, function, cold_start = true);
    let _ = FUNCTION.set(span.clone());
    span
}

/// Marks an invocation as ended: the lines of later ones say `cold_start: false`. (An
/// execution environment runs one invocation at a time.)
pub fn invocation_done() {
    if let Some(span) = FUNCTION.get() {
        span.record("cold_start", false);
    }
}

/// A layer for HTTP functions that calls [`invocation_done`] after each response.
pub async fn after_invocation(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let response = next.run(request).await;
    invocation_done();
    response
}
