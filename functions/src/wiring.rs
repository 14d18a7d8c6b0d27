//! Builds the ports once per cold start: AWS adapters for storage, queues, blobs and
//! secrets; the offline models (honestly labelled as such) until managed providers land;
//! the PDF renderer; the wall clock.

use std::sync::Arc;
use std::time::Duration;
use storyloom_application::guarded::{guard_image, guard_text};
use storyloom_application::{Ports, SystemClock};
use storyloom_aws::{AwsClients, CachedSecrets, DynamoStore, S3Blobs, Settings, SqsQueue};
use storyloom_domain::Limits;
use storyloom_domain::ports::{BookStore, Clock};
use storyloom_offline::{OfflineIllustrator, OfflineStoryteller};
use storyloom_publishing::PdfRenderer;

/// How long a secret is trusted before Secrets Manager is asked again.
pub const SECRET_TTL: Duration = Duration::from_secs(300);

/// A function could not start.
#[derive(Debug, thiserror::Error)]
pub enum WiringError {
    #[error(transparent)]
    Settings(#[from] storyloom_aws::SettingsError),
    #[error("the limits are misconfigured: {0}")]
    Limits(storyloom_domain::Error),
}

/// The ports for resources named by `settings`, over `clients`.
pub fn ports_for(clients: &AwsClients, settings: &Settings) -> Result<Ports, WiringError> {
    let store: Arc<dyn BookStore> =
        Arc::new(DynamoStore::new(clients.dynamodb.clone(), &settings.table));
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    Ok(Ports {
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
        limits: Limits::from_lookup(|k| std::env::var(k).ok()).map_err(WiringError::Limits)?,
    })
}

/// The ports for this function, from its environment (resource names only).
pub async fn ports_from_env() -> Result<Ports, WiringError> {
    let settings = Settings::from_env()?;
    let clients = AwsClients::load().await;
    ports_for(&clients, &settings)
}
