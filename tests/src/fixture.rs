//! Adapters stood up for a test: every port behind its trait, plus the few test-only powers
//! a contract needs (setting a secret the way an operator would).

use async_trait::async_trait;
use std::any::Any;
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::ports::{BlobStore, JobQueue, Secrets, Store};

/// How long fixtures cache secrets, so the contract can watch a cache expire.
pub const SECRET_TTL: Duration = Duration::from_secs(3);
/// Receives after which fixtures' queues dead-letter a message.
pub const MAX_RECEIVES: u32 = 3;

/// Writes a secret behind the adapter's back, as an operator rotating it would.
#[async_trait]
pub trait SecretWriter: Send + Sync {
    /// Sets `name` to `value`.
    async fn set(&self, name: &str, value: &str);
}

impl Fixture {
    /// The application's ports over these adapters, with the offline models, the PDF
    /// renderer and the wall clock; a test swaps in what it needs.
    pub fn ports(&self) -> storyloom_application::Ports {
        storyloom_application::Ports {
            store: self.store.clone(),
            queue: self.queue.clone(),
            blobs: self.blobs.clone(),
            secrets: self.secrets.clone(),
            text: Arc::new(storyloom_offline::OfflineStoryteller),
            image: Arc::new(storyloom_offline::OfflineIllustrator),
            renderer: Arc::new(storyloom_publishing::Typesetter),
            clock: Arc::new(storyloom_application::SystemClock),
            limits: storyloom_domain::Limits::default(),
            prices: Arc::new(storyloom_domain::PriceTable::default()),
            metrics: Arc::new(storyloom_embedded::MetricsRegistry::new()),
            leases: Arc::default(),
            timings: Arc::default(),
        }
    }
}

/// One set of adapters, fresh for a test.
pub struct Fixture {
    pub store: Arc<dyn Store>,
    pub queue: Arc<dyn JobQueue>,
    pub blobs: Arc<dyn BlobStore>,
    pub secrets: Arc<dyn Secrets>,
    pub secret_writer: Arc<dyn SecretWriter>,
    /// Whatever must live as long as the adapters (a temporary directory).
    pub guard: Box<dyn Any + Send + Sync>,
}

/// The embedded adapters on a fresh temporary directory.
pub mod embedded {
    use super::*;
    use std::path::PathBuf;
    use storyloom_application::SystemClock;
    use storyloom_embedded::{DirBlobStore, FileQueue, FileSecrets, FileStore, QueueSettings};

    struct FileWriter(PathBuf);

    #[async_trait]
    impl SecretWriter for FileWriter {
        async fn set(&self, name: &str, value: &str) {
            let mut all: serde_json::Map<String, serde_json::Value> =
                match std::fs::read_to_string(&self.0) {
                    Ok(text) => serde_json::from_str(&text).expect("secrets file is JSON"),
                    Err(_) => serde_json::Map::new(),
                };
            all.insert(name.to_owned(), value.into());
            let text = serde_json::to_string(&all).expect("serialisable");
            std::fs::write(&self.0, text).expect("secrets file written");
        }
    }

    /// Builds the fixture.
    pub async fn fixture() -> Fixture {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = FileStore::open(&dir.path().join("store.redb")).expect("store opens");
        let queue = FileQueue::open(
            &dir.path().join("queue.redb"),
            Arc::new(SystemClock),
            QueueSettings {
                max_receive_count: MAX_RECEIVES,
                ..QueueSettings::default()
            },
        )
        .expect("queue opens");
        let blobs = DirBlobStore::open(&dir.path().join("blobs")).expect("blobs open");
        let secrets_path = dir.path().join("secrets.json");
        Fixture {
            store: Arc::new(store),
            queue: Arc::new(queue),
            blobs: Arc::new(blobs),
            secrets: Arc::new(FileSecrets::new(secrets_path.clone(), SECRET_TTL)),
            secret_writer: Arc::new(FileWriter(secrets_path)),
            guard: Box::new(dir),
        }
    }
}

/// The AWS adapters on `moto_server`: fresh resources (table, bucket, queues, secrets
/// prefix) per fixture, so tests never see each other's data.
pub mod aws {
    use super::*;
    use storyloom_aws::{AwsClients, CachedSecrets, DynamoStore, S3Blobs, Settings, SqsQueue};

    /// The endpoint of the `moto_server` the test script started.
    pub fn endpoint() -> String {
        std::env::var("STORYLOOM_MOTO_URL").expect(
            "STORYLOOM_MOTO_URL is not set: run the tests with `bash scripts/test.sh`, which \
             starts moto_server, or start `moto_server -H 127.0.0.1 -p PORT` and point \
             STORYLOOM_MOTO_URL at it",
        )
    }

    struct SecretsManagerWriter {
        client: aws_sdk_secretsmanager::Client,
        prefix: String,
    }

    #[async_trait]
    impl SecretWriter for SecretsManagerWriter {
        async fn set(&self, name: &str, value: &str) {
            let id = format!("{}{name}", self.prefix);
            let put = self
                .client
                .put_secret_value()
                .secret_id(&id)
                .secret_string(value)
                .send()
                .await;
            if put.is_err() {
                self.client
                    .create_secret()
                    .name(&id)
                    .secret_string(value)
                    .send()
                    .await
                    .expect("secret created");
            }
        }
    }

    /// Clients and freshly provisioned resources.
    pub async fn resources() -> (AwsClients, Settings) {
        let clients = AwsClients::for_local_endpoint(&endpoint()).await;
        let prefix = format!("t{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
        let settings = storyloom_aws::provision(&clients, &prefix, MAX_RECEIVES)
            .await
            .expect("resources created on moto_server");
        (clients, settings)
    }

    /// Builds the fixture.
    pub async fn fixture() -> Fixture {
        let (clients, settings) = resources().await;
        Fixture {
            store: Arc::new(DynamoStore::new(clients.dynamodb.clone(), &settings.table)),
            queue: Arc::new(SqsQueue::new(clients.sqs.clone(), settings.queues.clone())),
            blobs: Arc::new(S3Blobs::new(clients.s3.clone(), &settings.bucket)),
            secrets: Arc::new(CachedSecrets::new(
                clients.secrets.clone(),
                settings.secrets_prefix.clone(),
                SECRET_TTL,
            )),
            secret_writer: Arc::new(SecretsManagerWriter {
                client: clients.secrets.clone(),
                prefix: settings.secrets_prefix.clone(),
            }),
            guard: Box::new(()),
        }
    }
}
