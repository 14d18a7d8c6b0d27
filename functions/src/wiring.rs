//! Builds the ports once per cold start: AWS adapters for storage, queues, blobs and
//! secrets; the offline models (honestly labelled as such) until managed providers land;
//! the PDF renderer; the wall clock.

use std::sync::Arc;
use std::time::Duration;
use storyloom_application::guarded::{guard_image, guard_text};
use storyloom_application::{Ports, SystemClock};
use storyloom_aws::{AwsClients, CachedSecrets, DynamoStore, S3Blobs, Settings, SqsQueue};
use storyloom_domain::config::{ConfigErrors, ConfigSource, Problems};
use storyloom_domain::ports::{BookStore, Clock};
use storyloom_domain::{Limits, PriceTable};
use storyloom_offline::{OfflineIllustrator, OfflineStoryteller};
use storyloom_publishing::PdfRenderer;

/// How long a secret is trusted before Secrets Manager is asked again.
pub const SECRET_TTL: Duration = Duration::from_secs(300);

/// A function could not start: everything wrong with its configuration.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct WiringError(#[from] pub ConfigErrors);

/// A function's whole configuration.
#[derive(Debug, Clone)]
pub struct FunctionConfig {
    pub settings: Settings,
    pub limits: Limits,
    pub prices: PriceTable,
}

/// A function's whole configuration, checked at once (init fails with every problem).
pub fn config_for(source: &ConfigSource) -> Result<FunctionConfig, ConfigErrors> {
    let mut problems = Problems::default();
    let settings = problems.take(Settings::from_config(source));
    let limits = problems.take(Limits::from_config(source));
    let prices = problems.take(PriceTable::from_config(source));
    problems.finish(|| {
        Some(FunctionConfig {
            settings: settings?,
            limits: limits?,
            prices: prices?,
        })
    })
}

/// The ports for resources named by `settings`, over `clients`, with the built-in prices.
pub fn ports_for(clients: &AwsClients, settings: &Settings, limits: Limits) -> Ports {
    let store: Arc<dyn BookStore> =
        Arc::new(DynamoStore::new(clients.dynamodb.clone(), &settings.table));
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    Ports {
        store: store.clone(),
        queue: Arc::new(SqsQueue::new(clients.sqs.clone(), settings.queues.clone())),
        blobs: Arc::new(S3Blobs::new(clients.s3.clone(), &settings.bucket)),
        secrets: Arc::new(CachedSecrets::new(
            clients.secrets.clone(),
            settings.secrets_prefix.clone(),
            SECRET_TTL,
        )),
        text: guard_text(Arc::new(OfflineStoryteller), store.clone(), clock.clone()),
        image: guard_image(Arc::new(OfflineIllustrator), store, clock.clone()),
        renderer: Arc::new(PdfRenderer),
        clock,
        limits,
        prices: Arc::new(PriceTable::default()),
    }
}

/// The ports for this function, from its configuration (resource names and limits only).
pub async fn ports_from_env() -> Result<Ports, WiringError> {
    let source = storyloom_application::config::from_process()?;
    let config = config_for(&source)?;
    let clients = AwsClients::load().await;
    Ok(Ports {
        prices: Arc::new(config.prices),
        ..ports_for(&clients, &config.settings, config.limits)
    })
}
