//! The health probes as a function: `/v1/health` and `/v1/ready` (the table, a queue, the
//! bucket and Secrets Manager each answer one cheap read), public like a load balancer's
//! probe, so an operator or an uptime check can ask a deployment whether it can work.

use tracing::Instrument;

/// The function's name.
pub const NAME: &str = "check-readiness";

/// Runs the probe function.
pub async fn serve() -> Result<(), lambda_http::Error> {
    let started = crate::wiring::start(NAME, crate::wiring::Links::STORAGE).await?;
    let app = storyloom_http::probes(started.ports)
        .layer(axum::middleware::from_fn(crate::logging::after_invocation));
    lambda_http::run(app).instrument(started.span).await
}
