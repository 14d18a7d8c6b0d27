//! `/v1/health` (liveness: the process answers) and `/v1/ready` (readiness: the store, the
//! queue, the blob store and the secrets answer too). Public, like a load balancer's probe.

use crate::endpoint::{HEALTH_PATH, READY_PATH};
use crate::problem::Problem;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use std::collections::BTreeMap;
use storyloom_application::Ports;
use storyloom_application::health::readiness;
use utoipa::ToSchema;

/// The process is up.
#[derive(Serialize, ToSchema)]
pub(crate) struct Health {
    /// Always `ok`.
    status: &'static str,
}

/// Every dependency answered.
#[derive(Serialize, ToSchema)]
pub(crate) struct Ready {
    /// Always `ready`.
    status: &'static str,
    /// Each dependency and its state (`ok`).
    checks: BTreeMap<&'static str, &'static str>,
}

#[utoipa::path(
    get,
    path = HEALTH_PATH,
    operation_id = "health",
    tag = "health",
    summary = "Liveness: the process answers",
    responses((status = 200, description = "Up", body = Health))
)]
pub(crate) async fn health() -> axum::Json<Health> {
    axum::Json(Health { status: "ok" })
}

#[utoipa::path(
    get,
    path = READY_PATH,
    operation_id = "ready",
    tag = "health",
    summary = "Readiness: the store, queue, blob store and secrets answer",
    responses(
        (status = 200, description = "Up", body = Ready),
        (
            status = 503,
            description = "A dependency does not answer (named in `detail`)",
            headers(("Retry-After" = String)),
        ),
    )
)]
pub(crate) async fn ready(State(ports): State<Ports>) -> Result<axum::Json<Ready>, Problem> {
    let probes = readiness(&*ports.store, &*ports.queue, &*ports.blobs, &*ports.secrets).await;
    let down: Vec<String> = probes
        .iter()
        .filter_map(|p| {
            p.problem
                .as_ref()
                .map(|why| format!("{}: {why}", p.component))
        })
        .collect();
    if down.is_empty() {
        let checks = probes.iter().map(|p| (p.component, "ok")).collect();
        return Ok(axum::Json(Ready {
            status: "ready",
            checks,
        }));
    }
    tracing::warn!(down = ?down, "not ready");
    Err(Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "Not ready",
        format!("not ready: {}", down.join("; ")),
    ))
}
