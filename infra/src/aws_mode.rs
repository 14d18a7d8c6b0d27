//! `storyloom serve --aws <endpoint>`: the same functions over the AWS adapters, against an
//! AWS API server such as `moto_server`. Resources are created through the APIs, the
//! event-source driver feeds the stage functions from SQS, and the API is served on one
//! address (with the owner in `X-Owner-Id`, as there is no API Gateway authorizer here).

use crate::driver::Driver;
use std::net::SocketAddr;
use storyloom_aws::{AwsClients, Settings, provision};
use storyloom_domain::message::QueueName;

/// Deliveries before a stage message is dead-lettered, as the template's default.
pub const MAX_RECEIVE_COUNT: u32 = 5;

/// Creates (or finds) the stack's resources named after `prefix` on `endpoint`.
pub async fn create_resources(
    endpoint: &str,
    prefix: &str,
) -> anyhow::Result<(AwsClients, Settings)> {
    let clients = AwsClients::for_local_endpoint(endpoint).await;
    let settings = provision(&clients, prefix, MAX_RECEIVE_COUNT).await?;
    Ok((clients, settings))
}

/// The environment a function needs for these resources, as `KEY=value` lines (what the
/// template sets on AWS), e.g. for `cargo lambda watch`.
pub fn environment(settings: &Settings) -> Vec<String> {
    let mut lines = vec![
        format!("TABLE_NAME={}", settings.table),
        format!("BUCKET_NAME={}", settings.bucket),
        format!("SECRETS_PREFIX={}", settings.secrets_prefix),
    ];
    for q in QueueName::ALL {
        let stage = q.as_str().to_uppercase();
        if let Some(url) = settings.queues.work.get(&q) {
            lines.push(format!("{stage}_QUEUE_URL={url}"));
        }
        if let Some(url) = settings.queues.dead.get(&q) {
            lines.push(format!("{stage}_DLQ_URL={url}"));
        }
    }
    lines
}

/// Serves the API on `addr` and runs the pipeline through the driver until Ctrl-C.
pub async fn serve(endpoint: &str, prefix: &str, addr: SocketAddr) -> anyhow::Result<()> {
    let (clients, settings) = create_resources(endpoint, prefix).await?;
    let ports = storyloom_functions::wiring::ports_for(&clients, &settings)?;
    let driver = Driver::start(ports.clone());
    let jobs = crate::schedule::spawn_jobs(&ports);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    eprintln!(
        "Storyloom (AWS adapters on {endpoint}, table {}) is listening on http://{}; Ctrl-C stops it.",
        settings.table,
        listener.local_addr()?
    );
    let app = storyloom_http::router(ports);
    tokio::select! {
        served = axum::serve(listener, app) => served?,
        _ = tokio::signal::ctrl_c() => {}
    }
    for job in jobs {
        job.abort();
    }
    driver.stop().await;
    Ok(())
}
