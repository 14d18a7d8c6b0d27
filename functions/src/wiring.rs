//! Builds the ports once per cold start: AWS adapters for storage, queues, blobs and
//! secrets; the wall clock; and, for the functions whose work calls them, the configured
//! models (a managed provider, or the offline ones, honestly labelled as such) and the
//! typesetter. A function names what it links at compile time ([`Links`]), so an HTTP
//! function that reads budgets carries no PDF renderer, illustrator or model client.

use crate::not_linked::NotLinked;
use std::sync::Arc;
use std::time::Duration;
use storyloom_application::needs::Needs;
use storyloom_application::{Ports, SystemClock};
use storyloom_aws::settings::LIVE_ENDPOINT;
use storyloom_aws::{
    ApiGatewayPusher, AwsClients, BedrockImages, BedrockText, CachedSecrets, DynamoStore,
    EmfMetrics, S3Blobs, Settings, SqsQueue,
};
use storyloom_domain::config::{ConfigErrors, ConfigProblem, ConfigSource, Problems};
use storyloom_domain::metrics::{Metrics, Sample, names};
use storyloom_domain::ports::{BookRenderer, ImageModel, Secrets, TextModel};
use storyloom_domain::{Limits, PriceTable};
use storyloom_offline::{OfflineIllustrator, OfflineStoryteller};
use storyloom_providers::{ModelChoice, Provider};
use storyloom_publishing::Typesetter;

/// How long a secret is trusted before Secrets Manager is asked again.
pub const SECRET_TTL: Duration = Duration::from_secs(300);

/// A function could not start: everything wrong with its configuration.
#[derive(Debug, thiserror::Error)]
pub enum WiringError {
    #[error(transparent)]
    Config(#[from] ConfigErrors),
    /// A configured model provider could not be set up.
    #[error("the model provider cannot be used: {0}")]
    Models(storyloom_domain::Error),
}

/// The service functions report their logs and metrics under unless `SERVICE_NAME` names
/// another (the template sets `storyloom-<stage>`, so deployments do not mix).
pub const SERVICE: &str = "storyloom";

/// The variable naming the service.
pub const SERVICE_VARIABLE: &str = "SERVICE_NAME";

/// A function's whole configuration.
#[derive(Debug, Clone)]
pub struct FunctionConfig {
    pub settings: Settings,
    pub limits: Limits,
    pub prices: PriceTable,
    pub models: ModelChoice,
}

impl FunctionConfig {
    /// The resources in `settings`, with the default limits and the built-in prices.
    pub fn defaults(settings: Settings) -> Self {
        FunctionConfig {
            settings,
            limits: Limits::default(),
            prices: PriceTable::default(),
            models: ModelChoice::default(),
        }
    }
}

/// A function's whole configuration, checked at once (init fails with every problem).
pub fn config_for(source: &ConfigSource) -> Result<FunctionConfig, ConfigErrors> {
    let mut problems = Problems::default();
    let settings = problems.take(Settings::from_config(source));
    let limits = problems.take(Limits::from_config(source));
    let prices = problems.take(PriceTable::from_config(source));
    let models = problems.take(ModelChoice::from_config(source));
    problems.finish(|| {
        Some(FunctionConfig {
            settings: settings?,
            limits: limits?,
            prices: prices?,
            models: models?,
        })
    })
}

/// Builds a model from the configuration.
type Build<M> = fn(&AwsClients, &ModelChoice, Arc<dyn Secrets>) -> Result<Arc<M>, WiringError>;

/// The adapters a function links beyond storage, queues, blobs and secrets: builders for
/// its models and typesetter, or none. Chosen in a constant (`const { Links::of(..) }`),
/// so the builders a function does not name are not in its binary.
#[derive(Clone, Copy)]
pub struct Links {
    text: Option<Build<dyn TextModel>>,
    image: Option<Build<dyn ImageModel>>,
    renderer: Option<fn() -> Arc<dyn BookRenderer>>,
}

impl Links {
    /// Storage only.
    pub const STORAGE: Links = Links::of(Needs::STORAGE);

    /// Every model and the typesetter (the local event-source driver and the tests run
    /// every function over one set of ports).
    pub const ALL: Links = Links::of(Needs {
        text: true,
        image: true,
        renderer: true,
    });

    /// What `needs` calls for.
    pub const fn of(needs: Needs) -> Links {
        Links {
            text: if needs.text {
                Some(text_model as Build<dyn TextModel>)
            } else {
                None
            },
            image: if needs.image {
                Some(image_model as Build<dyn ImageModel>)
            } else {
                None
            },
            renderer: if needs.renderer {
                Some(typesetter as fn() -> Arc<dyn BookRenderer>)
            } else {
                None
            },
        }
    }
}

/// The configured text model: Bedrock, another managed provider, or the offline
/// storyteller.
fn text_model(
    clients: &AwsClients,
    models: &ModelChoice,
    secrets: Arc<dyn Secrets>,
) -> Result<Arc<dyn TextModel>, WiringError> {
    Ok(match models.text {
        Provider::Bedrock => Arc::new(BedrockText::new(
            clients.bedrock(),
            &models.bedrock_text_model,
        )),
        _ => models
            .text_model(secrets)
            .map_err(WiringError::Models)?
            .unwrap_or_else(|| Arc::new(OfflineStoryteller)),
    })
}

/// The configured image model: Bedrock, another managed provider, or the offline
/// illustrator.
fn image_model(
    clients: &AwsClients,
    models: &ModelChoice,
    secrets: Arc<dyn Secrets>,
) -> Result<Arc<dyn ImageModel>, WiringError> {
    Ok(match models.image {
        Provider::Bedrock => Arc::new(BedrockImages::new(
            clients.bedrock(),
            &models.bedrock_image_model,
        )),
        _ => models
            .image_model(secrets)
            .map_err(WiringError::Models)?
            .unwrap_or_else(|| Arc::new(OfflineIllustrator)),
    })
}

/// The typesetter (PDF and EPUB).
fn typesetter() -> Arc<dyn BookRenderer> {
    Arc::new(Typesetter)
}

/// The ports for the resources `config` names, over `clients`, with every model (offline
/// unless a managed provider is configured) and the typesetter, not yet metered or
/// guarded ([`Ports::guarded`] does that, once the models are final).
pub fn adapters_for(
    clients: &AwsClients,
    config: &FunctionConfig,
    metrics: Arc<dyn Metrics>,
) -> Result<Ports, WiringError> {
    adapters_linking(clients, config, metrics, "storyloom", Links::ALL)
}

/// As [`adapters_for`], with only what `links` names: the rest fails, naming `function`.
pub fn adapters_linking(
    clients: &AwsClients,
    config: &FunctionConfig,
    metrics: Arc<dyn Metrics>,
    function: &'static str,
    links: Links,
) -> Result<Ports, WiringError> {
    let settings = &config.settings;
    let secrets: Arc<dyn Secrets> = Arc::new(CachedSecrets::new(
        clients.secrets.clone(),
        settings.secrets_prefix.clone(),
        SECRET_TTL,
    ));
    let absent = NotLinked { function };
    let text = match links.text {
        Some(build) => build(clients, &config.models, secrets.clone())?,
        None => Arc::new(absent),
    };
    let image = match links.image {
        Some(build) => build(clients, &config.models, secrets.clone())?,
        None => Arc::new(absent),
    };
    let renderer = match links.renderer {
        Some(build) => build(),
        None => Arc::new(absent),
    };
    Ok(Ports {
        store: Arc::new(DynamoStore::new(clients.dynamodb.clone(), &settings.table)),
        queue: Arc::new(SqsQueue::new(clients.sqs.clone(), settings.queues.clone())),
        blobs: Arc::new(S3Blobs::new(clients.s3.clone(), &settings.bucket)),
        secrets,
        text,
        image,
        renderer,
        clock: Arc::new(SystemClock),
        limits: config.limits,
        prices: Arc::new(config.prices.clone()),
        metrics,
        leases: Arc::default(),
        timings: Arc::default(),
    })
}

/// A function wired from its configuration.
pub struct Wired {
    pub ports: Ports,
    /// The service its logs and metrics are reported under.
    pub service: String,
    /// The clients the ports use, for the few functions that need one more.
    pub clients: AwsClients,
    pub settings: Settings,
}

/// The ports of `function`, linking what `links` names, from its configuration (read
/// once); its metrics go to standard output as Embedded Metric Format, starting with its
/// cold start.
pub async fn ports_from_env(function: &'static str, links: Links) -> Result<Wired, WiringError> {
    let source = storyloom_application::config::from_process()?;
    let config = config_for(&source)?;
    let clients = AwsClients::load().await;
    let service = source
        .get(SERVICE_VARIABLE)
        .unwrap_or_else(|| SERVICE.to_owned());
    let metrics = Arc::new(EmfMetrics::stdout(&service, function));
    metrics.record(Sample::count(names::COLD_STARTS, 1.0));
    Ok(Wired {
        ports: adapters_linking(&clients, &config, metrics, function, links)?.guarded(),
        service,
        clients,
        settings: config.settings,
    })
}

/// The pusher for the WebSocket API whose management endpoint `settings` names; a function
/// that pushes cannot start without one.
pub fn pusher(clients: &AwsClients, settings: &Settings) -> Result<ApiGatewayPusher, WiringError> {
    let endpoint = settings.live_endpoint.as_deref().ok_or_else(|| {
        ConfigErrors(vec![ConfigProblem::new(
            LIVE_ENDPOINT,
            "is not set; set it to the WebSocket API's https://<api>.execute-api.<region>.amazonaws.com/<stage> \
             (the template does, for the functions that push)",
        )])
    })?;
    Ok(ApiGatewayPusher::new(clients.management(endpoint)))
}

/// A function ready for its first invocation.
pub struct Started {
    pub ports: Ports,
    pub clients: AwsClients,
    pub settings: Settings,
    /// The span the runtime's loop runs in, so every log line names the function.
    pub span: tracing::Span,
}

/// The init phase every function shares: JSON logs, the configuration checked whole, the
/// ports, and the graceful-shutdown hook (which must be installed before the runtime's
/// loop starts).
pub async fn start(function: &'static str, links: Links) -> Result<Started, WiringError> {
    crate::logging::init();
    let Wired {
        ports,
        service,
        clients,
        settings,
    } = ports_from_env(function, links).await?;
    crate::shutdown::install(function).await;
    Ok(Started {
        ports,
        clients,
        settings,
        span: crate::logging::function_span(&service, function),
    })
}
