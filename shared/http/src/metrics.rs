//! `/v1/metrics`: the local stack's own numbers (the same samples a deployment sends to
//! CloudWatch as Embedded Metric Format), aggregated in the process. Public, like the
//! health probes, and free of personal data: names, counts and durations only.

use crate::endpoint::METRICS_PATH;
use crate::problem::Problem;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use storyloom_application::Ports;
use storyloom_domain::metrics::Summary;
use utoipa::ToSchema;

/// Every metric recorded since the process started.
#[derive(Serialize, ToSchema)]
pub(crate) struct MetricsView {
    metrics: Vec<Summary>,
}

#[utoipa::path(
    get,
    path = METRICS_PATH,
    operation_id = "metrics",
    tag = "health",
    summary = "The local stack's metrics: counts, sums and percentiles since it started",
    responses((status = 200, description = "Up", body = MetricsView))
)]
pub(crate) async fn metrics(
    State(ports): State<Ports>,
) -> Result<axum::Json<MetricsView>, Problem> {
    match ports.metrics.summaries() {
        Some(metrics) => Ok(axum::Json(MetricsView { metrics })),
        None => Err(Problem::new(
            StatusCode::NOT_FOUND,
            "Not Found",
            "this process ships its metrics to CloudWatch (namespace Storyloom); look there",
        )),
    }
}
