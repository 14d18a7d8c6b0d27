//! Wiring the embedded adapters once, and running the HTTP API and the stage workers.

use crate::bench::latency::{Delayed, FixedLatency};
use crate::chaos::faults::{Faults, FaultyImage, FaultyText};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use storyloom_application::worker::{self, Disposition};
use storyloom_application::{Ports, SystemClock};
use storyloom_domain::config::{ConfigErrors, Problems};
use storyloom_domain::message::QueueName;
use storyloom_domain::metrics::{Metrics, Sample, names};
use storyloom_domain::ports::{Clock, ImageModel, Store, TextModel};
use storyloom_domain::{Limits, OwnerId, PriceTable, Tier};
use storyloom_embedded::{
    DirBlobStore, FileQueue, FileSecrets, FileStore, Grouping, MetricsRegistry, QueueSettings,
};
use storyloom_http::auth::SIGNING_KEY_SECRET;
use storyloom_http::{Identity, TokenAuthority};
use storyloom_offline::{OfflineIllustrator, OfflineStoryteller};
use storyloom_providers::{ModelChoice, Provider};
use storyloom_publishing::Typesetter;
use tokio::task::JoinHandle;

/// How long a received message stays hidden while a worker handles it.
const VISIBILITY: Duration = Duration::from_secs(120);

/// How long the secrets file is cached before it is read again.
const SECRET_TTL: Duration = Duration::from_secs(300);

/// How long a token minted for the local stack is valid.
pub const TOKEN_TTL: Duration = Duration::from_secs(12 * 3600);

/// A running (or ready to run) local stack over a data directory.
pub struct LocalStack {
    pub ports: Ports,
    pub queue: Arc<FileQueue>,
    /// The store behind `ports.store`, for snapshots.
    pub files: Arc<FileStore>,
    /// The data directory.
    pub data: std::path::PathBuf,
    /// Verifies (and mints) the bearer tokens the API accepts.
    pub tokens: Arc<TokenAuthority>,
    /// Stage workers, stopped gracefully by [`LocalStack::shutdown`].
    workers: Vec<JoinHandle<()>>,
    /// The HTTP server and the scheduled jobs.
    tasks: Vec<JoinHandle<()>>,
    /// Raised once to stop taking new work.
    stopping: tokio::sync::watch::Sender<bool>,
    /// Messages a worker is handling now, by queue and receipt.
    in_flight: InFlight,
    /// Workers per stage, when not the defaults.
    workers_per_stage: Option<usize>,
}

/// The messages being handled, so a shutdown can hand back what it cut short.
type InFlight = Arc<std::sync::Mutex<std::collections::HashSet<(QueueName, String)>>>;

/// What a graceful shutdown did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShutdownReport {
    /// Whether every worker finished its message within the grace period.
    pub drained: bool,
    /// Messages cut short and made visible again at once (none wait for a timeout).
    pub handed_back: usize,
}

/// The token authority of the stack whose data is in `data`: its signing key lives in the
/// data directory's secrets file and is generated there on first use. Only the secrets are
/// opened, so this works while the stack runs (`storyloom token`).
pub async fn local_authority(data: &Path) -> anyhow::Result<TokenAuthority> {
    std::fs::create_dir_all(data)?;
    let secrets = FileSecrets::new(data.join("secrets.json"), SECRET_TTL);
    let fresh = TokenAuthority::generate_key()
        .map_err(|e| anyhow::anyhow!("no entropy for a signing key: {e}"))?;
    let key = secrets.get_or_create(SIGNING_KEY_SECRET, || fresh).await?;
    Ok(TokenAuthority::new(&key)?)
}

/// A token naming `user` of `tier`, valid for [`TOKEN_TTL`].
pub fn mint(authority: &TokenAuthority, user: &str, tier: Tier) -> anyhow::Result<String> {
    let owner = OwnerId::parse(user)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    Ok(authority.mint_for(&owner, tier, now, TOKEN_TTL))
}

/// The local stack's settings.
#[derive(Debug, Clone)]
pub struct LocalConfig {
    pub limits: Limits,
    pub prices: PriceTable,
    /// Offline models unless `TEXT_MODEL`/`IMAGE_MODEL` choose a managed provider.
    pub models: ModelChoice,
}

/// The local stack's configuration (limits, unless `limits` overrides them, prices and
/// models) from this process's settings, checked whole.
pub fn local_config(limits: Option<Limits>) -> Result<LocalConfig, ConfigErrors> {
    let config = storyloom_application::config::from_process()?;
    let mut problems = Problems::default();
    let limits = match limits {
        Some(limits) => Some(limits),
        None => problems.take(Limits::from_config(&config)),
    };
    let prices = problems.take(PriceTable::from_config(&config));
    let models = problems.take(ModelChoice::from_config(&config));
    problems.finish(|| {
        Some(LocalConfig {
            limits: limits?,
            prices: prices?,
            models: models?,
        })
    })
}

/// How a local stack is set up beyond its data directory.
#[derive(Clone, Default)]
pub struct StackOptions {
    /// Receives before a message is dead-lettered (the default when `None`).
    pub max_receive_count: Option<u32>,
    /// Faults injected into the models (`storyloom chaos`).
    pub faults: Option<Faults>,
    /// Per-user limits (the defaults, or the `LIMIT_*` variables, when `None`).
    pub limits: Option<Limits>,
    /// Fixed model latencies (`storyloom bench`).
    pub latency: Option<FixedLatency>,
    /// Workers per stage instead of the defaults (one per core for pictures).
    pub workers: Option<usize>,
    /// Whether the store's and queues' writers share durable syncs (the default) or sync
    /// each transaction (`storyloom bench`'s comparison).
    pub grouping: Grouping,
    /// Model prices instead of the configured ones (tests of budgets).
    pub prices: Option<PriceTable>,
    /// The text model instead of the configured one (`--text-model`).
    pub text_model: Option<Provider>,
    /// A text model already loaded, instead of either (tests of a particular model).
    pub text: Option<Arc<dyn TextModel>>,
    /// An image model instead of the configured one (tests of a particular model).
    pub image: Option<Arc<dyn ImageModel>>,
}

impl LocalStack {
    /// Opens the stack's state under `data` (store, queues, blobs, secrets).
    pub async fn open(data: &Path) -> anyhow::Result<Self> {
        Self::open_with(data, &StackOptions::default()).await
    }

    /// As [`LocalStack::open`], with options.
    pub async fn open_with(data: &Path, options: &StackOptions) -> anyhow::Result<Self> {
        let settings = QueueSettings {
            max_receive_count: options
                .max_receive_count
                .unwrap_or(QueueSettings::default().max_receive_count),
            grouping: options.grouping,
        };
        // Checked whole before any file is opened: a bad setting changes nothing.
        let LocalConfig {
            limits,
            prices,
            models,
        } = local_config(options.limits)?;
        let prices = options.prices.clone().unwrap_or(prices);
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        // A previous stack in this process may still be letting go of the files.
        let (store, queue) = {
            let mut tries = 0;
            loop {
                match (
                    FileStore::open_with(&data.join("store.redb"), options.grouping),
                    FileQueue::open(&data.join("queues.redb"), clock.clone(), settings),
                ) {
                    (Ok(s), Ok(q)) => break (s, q),
                    (Err(e), _) | (_, Err(e)) if tries >= 40 => return Err(e.into()),
                    _ => {
                        tries += 1;
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }
        };
        let queue = Arc::new(queue);
        let files = Arc::new(store);
        let store: Arc<dyn Store> = files.clone();
        let metrics = Arc::new(MetricsRegistry::new());
        let secrets: Arc<FileSecrets> =
            Arc::new(FileSecrets::new(data.join("secrets.json"), SECRET_TTL));
        let text: Arc<dyn TextModel> = match options.text_model.unwrap_or(models.text) {
            _ if options.text.is_some() => options.text.clone().ok_or_else(|| {
                anyhow::anyhow!("the text model given in the options went missing")
            })?,
            Provider::LocalLlm => crate::local_llm::text_model().await?,
            chosen => ModelChoice {
                text: chosen,
                ..models.clone()
            }
            .text_model(secrets.clone())?
            .unwrap_or_else(|| Arc::new(OfflineStoryteller)),
        };
        let image: Arc<dyn ImageModel> = match &options.image {
            Some(image) => image.clone(),
            None => models
                .image_model(secrets.clone())?
                .unwrap_or_else(|| Arc::new(OfflineIllustrator)),
        };
        let (text, image): (Arc<dyn TextModel>, Arc<dyn ImageModel>) = match options.faults {
            None => (text, image),
            Some(faults) => (
                Arc::new(FaultyText::new(text, faults)),
                Arc::new(FaultyImage::new(image, faults)),
            ),
        };
        let (text, image): (Arc<dyn TextModel>, Arc<dyn ImageModel>) = match options.latency {
            None => (text, image),
            Some(l) => (
                Arc::new(Delayed::new(text, l.text)),
                Arc::new(Delayed::new(image, l.image)),
            ),
        };
        let ports = Ports {
            store: store.clone(),
            queue: queue.clone(),
            blobs: Arc::new(DirBlobStore::open(&data.join("blobs"))?),
            secrets,
            text,
            image,
            renderer: Arc::new(Typesetter),
            clock,
            limits,
            prices: Arc::new(prices),
            metrics: metrics.clone(),
            leases: Arc::default(),
            timings: Arc::default(),
        }
        .guarded();
        metrics.record(Sample::count(names::COLD_STARTS, 1.0));
        Ok(LocalStack {
            ports,
            queue,
            files,
            data: data.to_owned(),
            tokens: Arc::new(local_authority(data).await?),
            workers: Vec::new(),
            tasks: Vec::new(),
            stopping: tokio::sync::watch::Sender::new(false),
            in_flight: InFlight::default(),
            workers_per_stage: options.workers,
        })
    }

    /// A free-tier token for `user` that this stack's API accepts.
    pub fn token(&self, user: &str) -> anyhow::Result<String> {
        mint(&self.tokens, user, Tier::Free)
    }

    /// As [`LocalStack::token`], for a reader of `tier`.
    pub fn token_for(&self, user: &str, tier: Tier) -> anyhow::Result<String> {
        mint(&self.tokens, user, tier)
    }

    /// Starts the stage workers (one message at a time per stage, two for pictures: one
    /// per core here) and the scheduled jobs.
    pub fn start_workers(&mut self) {
        for (queue, workers) in [
            (QueueName::Story, 1),
            (QueueName::Review, 1),
            (QueueName::Illustrate, 2),
            (QueueName::Assemble, 1),
        ] {
            let concurrency = self.workers_per_stage.unwrap_or(workers);
            let ports = self.ports.clone();
            let stopping = self.stopping.subscribe();
            let in_flight = self.in_flight.clone();
            self.workers.push(tokio::spawn(async move {
                work(ports, queue, concurrency, stopping, in_flight).await
            }));
        }
        self.tasks.extend(crate::schedule::spawn_jobs(&self.ports));
    }

    /// Serves the API on `addr`; returns the bound address (use port 0 for any free port).
    pub async fn serve(&mut self, addr: SocketAddr) -> anyhow::Result<SocketAddr> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let bound = listener.local_addr()?;
        let accounts: Arc<dyn storyloom_domain::account::AccountStore> = self.files.clone();
        let local = storyloom_http::LocalAuth::new(self.tokens.clone(), accounts, false);
        let app = storyloom_http::router(self.ports.clone(), Identity::Local(Arc::new(local)))
            .into_make_service_with_connect_info::<storyloom_http::ClientAddr>();
        let mut stopping = self.stopping.subscribe();
        self.tasks.push(tokio::spawn(async move {
            let stopped = async move {
                let _ = stopping.wait_for(|s| *s).await;
            };
            if let Err(e) = axum::serve(storyloom_http::ProblemListener(listener), app)
                .with_graceful_shutdown(stopped)
                .await
            {
                tracing::error!(error = %e, "HTTP server stopped");
            }
        }));
        Ok(bound)
    }

    /// Stops everything at once, as a crash would: in-flight work is abandoned, and what was
    /// committed stays committed.
    pub async fn stop(self) {
        let all: Vec<_> = self.workers.into_iter().chain(self.tasks).collect();
        for t in &all {
            t.abort();
        }
        for t in all {
            let _ = t.await;
        }
    }

    /// Stops gracefully (SIGTERM, Ctrl-C): no new requests or messages are taken, workers get
    /// `grace` to finish the message in hand, and whatever is still unfinished then is
    /// handed back to its queue, visible at once, so a restarted stack takes it up without
    /// waiting out a visibility timeout. Returns what it did; the stack is stopped after.
    pub async fn shutdown(&mut self, grace: Duration) -> ShutdownReport {
        self.stopping.send_replace(true);
        let workers = std::mem::take(&mut self.workers);
        let aborts: Vec<_> = workers.iter().map(|w| w.abort_handle()).collect();
        let drained = tokio::time::timeout(grace, futures::future::join_all(workers))
            .await
            .is_ok();
        for a in &aborts {
            a.abort();
        }
        let cut_short: Vec<_> = self
            .in_flight
            .lock()
            .map(|mut set| set.drain().collect())
            .unwrap_or_default();
        let mut handed_back = 0;
        for (queue, receipt) in cut_short {
            match self
                .ports
                .queue
                .retry_later(queue, &receipt, Duration::ZERO)
                .await
            {
                Ok(()) => handed_back += 1,
                Err(e) => {
                    tracing::warn!(queue = queue.as_str(), error = %e, "could not hand a message back; it returns after its visibility timeout")
                }
            }
        }
        for t in std::mem::take(&mut self.tasks) {
            t.abort();
            let _ = t.await;
        }
        tracing::info!(drained, handed_back, "stack shut down");
        ShutdownReport {
            drained,
            handed_back,
        }
    }
}

/// Messages a stage's poller takes in one receive (SQS's most).
const RECEIVE_BATCH: usize = 10;

/// One stage's worker pool, as Lambda's event source mapping runs a function: a poller
/// receives as many messages as there are free slots (up to `concurrency` handled at
/// once), each is handled on its own task, then acked or scheduled for retry; until the
/// stack stops, when the messages in hand are let finish.
async fn work(
    ports: Ports,
    queue: QueueName,
    concurrency: usize,
    mut stopping: tokio::sync::watch::Receiver<bool>,
    in_flight: InFlight,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
    let mut handlers = tokio::task::JoinSet::new();
    while !*stopping.borrow() {
        let first = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            _ = stopping.changed() => break,
        };
        let Ok(first) = first else { break };
        let mut held = vec![first];
        while held.len() < RECEIVE_BATCH {
            match slots.clone().try_acquire_owned() {
                Ok(slot) => held.push(slot),
                Err(_) => break,
            }
        }
        // Receiving waits at most a quarter second, so a stop is noticed that quickly.
        let received = match ports
            .queue
            .receive(queue, held.len() as u32, VISIBILITY)
            .await
        {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(queue = queue.as_str(), error = %e, "receive failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        while handlers.try_join_next().is_some() {}
        for (message, slot) in received.into_iter().zip(held.drain(..)) {
            let key = (queue, message.receipt.clone());
            if let Ok(mut set) = in_flight.lock() {
                set.insert(key.clone());
            }
            let (ports, in_flight) = (ports.clone(), in_flight.clone());
            handlers.spawn(async move {
                let result = match worker::handle(&ports, &message).await {
                    Disposition::Ack => ports.queue.ack(queue, &message.receipt).await,
                    Disposition::Retry(delay) => {
                        ports
                            .queue
                            .retry_later(queue, &message.receipt, delay)
                            .await
                    }
                };
                if let Ok(mut set) = in_flight.lock() {
                    set.remove(&key);
                }
                if let Err(e) = result {
                    tracing::error!(queue = queue.as_str(), error = %e, "could not settle a message; it will be redelivered");
                }
                drop(slot);
            });
        }
    }
    // Stopping: the messages in hand finish (the shutdown bounds how long they get).
    while handlers.join_next().await.is_some() {}
}
