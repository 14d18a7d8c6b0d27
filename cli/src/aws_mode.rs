//! `storyloom serve --aws <endpoint>`: the same functions over the AWS adapters, against an
//! AWS API server such as `moto_server`. Resources are created through the APIs, the
//! event-source driver feeds the stage functions from SQS, and the API is served on one
//! address. With no API Gateway authorizer in front, the API verifies bearer tokens itself,
//! signed with a key kept in the endpoint's Secrets Manager.

use crate::chaos::faults::{Faults, FaultyImage, FaultyText};
use crate::driver::Driver;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use storyloom_application::Ports;
use storyloom_aws::{AwsClients, Settings, ensure_secret, provision, secrets_prefix};
use storyloom_embedded::MetricsRegistry;
use storyloom_functions::wiring::FunctionConfig;
use storyloom_http::auth::SIGNING_KEY_SECRET;
use storyloom_http::{Identity, TokenAuthority};

/// Deliveries before a stage message is dead-lettered, as the template's default.
pub const MAX_RECEIVE_COUNT: u32 = 5;

/// Creates (or finds) the stack's resources named after `prefix` on `endpoint`.
pub async fn create_resources(
    endpoint: &str,
    prefix: &str,
    max_receive_count: u32,
) -> anyhow::Result<(AwsClients, Settings)> {
    let clients = AwsClients::for_local_endpoint(endpoint).await;
    let settings = provision(&clients, prefix, max_receive_count).await?;
    Ok((clients, settings))
}

/// The token authority of the stack named after `prefix` on `endpoint`; its signing key is
/// created in Secrets Manager on first use (nothing else is touched).
pub async fn authority(endpoint: &str, prefix: &str) -> anyhow::Result<TokenAuthority> {
    let clients = AwsClients::for_local_endpoint(endpoint).await;
    let fresh = TokenAuthority::generate_key()
        .map_err(|e| anyhow::anyhow!("no entropy for a signing key: {e}"))?;
    let key = ensure_secret(&clients, &secrets_prefix(prefix), SIGNING_KEY_SECRET, fresh).await?;
    Ok(TokenAuthority::new(&key)?)
}

/// The environment a function needs for these resources, as `KEY=value` lines (what the
/// template sets on AWS), e.g. for `cargo lambda watch`.
pub fn environment(settings: &Settings) -> Vec<String> {
    settings
        .to_environment()
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// The functions' ports over the resources named after `prefix` on `endpoint`, with
/// `faults` injected into the models (behind their circuit breakers, as in production).
pub async fn ports(
    endpoint: &str,
    prefix: &str,
    faults: Option<Faults>,
    max_receive_count: Option<u32>,
) -> anyhow::Result<(Ports, Settings)> {
    let (clients, settings) = create_resources(
        endpoint,
        prefix,
        max_receive_count.unwrap_or(MAX_RECEIVE_COUNT),
    )
    .await?;
    let local = crate::stack::local_config(None)?;
    let config = FunctionConfig {
        settings: settings.clone(),
        limits: local.limits,
        prices: local.prices,
        models: local.models,
    };
    let metrics = Arc::new(MetricsRegistry::new());
    let mut ports = storyloom_functions::wiring::adapters_for(&clients, &config, metrics)?;
    if let Some(faults) = faults {
        ports.text = Arc::new(FaultyText::new(ports.text.clone(), faults));
        ports.image = Arc::new(FaultyImage::new(ports.image.clone(), faults));
    }
    Ok((ports.guarded(), settings))
}

/// Serves the API on `addr` and runs the pipeline through the driver until Ctrl-C.
/// `visibility` overrides the queues' visibility timeouts (fault-injection runs).
pub async fn serve(
    endpoint: &str,
    prefix: &str,
    addr: SocketAddr,
    faults: Option<Faults>,
    visibility: Option<Duration>,
    max_receive_count: Option<u32>,
) -> anyhow::Result<()> {
    let (ports, settings) = ports(endpoint, prefix, faults, max_receive_count).await?;
    let driver = Driver::start_with(ports.clone(), visibility);
    let jobs = crate::schedule::spawn_jobs(&ports);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    eprintln!(
        "Storyloom (AWS adapters on {endpoint}, table {}) is listening on http://{}; Ctrl-C stops it.",
        settings.table,
        listener.local_addr()?
    );
    let tokens = Arc::new(authority(endpoint, prefix).await?);
    let app = storyloom_http::router(ports, Identity::Bearer(tokens));
    tokio::select! {
        served = axum::serve(storyloom_http::ProblemListener(listener), app) => served?,
        _ = tokio::signal::ctrl_c() => {}
    }
    for job in jobs {
        job.abort();
    }
    driver.stop().await;
    Ok(())
}
