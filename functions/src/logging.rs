//! Structured logs: one JSON object per line on stdout, where Lambda ships it to CloudWatch.
//! Every line carries its spans: the function's (service, function), the runtime's
//! invocation (request id, X-Ray trace id) and, in a stage, the stage's (stage, book,
//! page, correlation id).

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

/// The span every log line of `function` sits in, named as its metrics are.
pub fn function_span(function: &'static str) -> tracing::Span {
    let service = std::env::var(crate::wiring::SERVICE_VARIABLE)
        .unwrap_or_else(|_| crate::wiring::SERVICE.to_owned());
    tracing::info_span!("function", %service, function)
}
