//! The runtime's graceful-shutdown hook. Lambda sends SIGTERM to a retiring execution
//! environment only when an extension is registered; `lambda_runtime` registers a no-op
//! internal one for us. On the signal the function logs that it is going and flushes
//! standard output, where its logs (and metrics) are written, so an environment's last
//! lines are never lost with it.

use std::io::Write;

/// Installs the hook for `function`. Must run before the runtime's loop starts (it ends
/// the init phase).
pub async fn install(function: &'static str) {
    lambda_runtime::spawn_graceful_shutdown_handler(move || async move {
        tracing::info!(
            function,
            "shutting down: the execution environment is being retired"
        );
        // A failed flush has nowhere left to be reported.
        let _ = std::io::stdout().flush();
    })
    .await;
}
