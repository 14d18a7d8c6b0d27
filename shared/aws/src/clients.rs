//! The SDK clients, built once from the environment's AWS configuration.

use crate::requests::RequestCounter;
use aws_config::BehaviorVersion;

/// One client per service, sharing one configuration (credentials, region, endpoint).
#[derive(Clone, Debug)]
pub struct AwsClients {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub s3: aws_sdk_s3::Client,
    pub secrets: aws_sdk_secretsmanager::Client,
    /// What the clients were built from, for clients made later (the WebSocket pusher's
    /// endpoint is only known from the function's settings).
    config: aws_config::SdkConfig,
    counter: Option<RequestCounter>,
}

impl AwsClients {
    /// Loads the configuration the standard way (environment, profile, instance role).
    /// When `AWS_ENDPOINT_URL` overrides the endpoint (a local `moto_server`), S3 switches
    /// to path-style addressing, since a loopback host has no bucket subdomains.
    pub async fn load() -> Self {
        let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
        Self::from_config(&config)
    }

    /// Clients for a local AWS API server such as `moto_server` (tests and `storyloom serve
    /// --aws`). It checks no signatures, so fixed placeholder credentials and region stand
    /// in for real ones; nothing here can reach a real account.
    pub async fn for_local_endpoint(endpoint: &str) -> Self {
        Self::from_config(&local_config(endpoint).await)
    }

    /// Clients from a loaded configuration.
    pub fn from_config(config: &aws_config::SdkConfig) -> Self {
        Self::build(config, None)
    }

    /// As [`AwsClients::for_local_endpoint`], with every request counted by `counter`.
    pub async fn counted(endpoint: &str, counter: &RequestCounter) -> Self {
        Self::build(&local_config(endpoint).await, Some(counter))
    }

    fn build(config: &aws_config::SdkConfig, counter: Option<&RequestCounter>) -> Self {
        let mut dynamodb = aws_sdk_dynamodb::config::Builder::from(config);
        let mut sqs = aws_sdk_sqs::config::Builder::from(config);
        let mut s3 = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(config.endpoint_url().is_some());
        let mut secrets = aws_sdk_secretsmanager::config::Builder::from(config);
        if let Some(counter) = counter {
            dynamodb = dynamodb.interceptor(counter.clone());
            sqs = sqs.interceptor(counter.clone());
            s3 = s3.interceptor(counter.clone());
            secrets = secrets.interceptor(counter.clone());
        }
        AwsClients {
            dynamodb: aws_sdk_dynamodb::Client::from_conf(dynamodb.build()),
            sqs: aws_sdk_sqs::Client::from_conf(sqs.build()),
            s3: aws_sdk_s3::Client::from_conf(s3.build()),
            secrets: aws_sdk_secretsmanager::Client::from_conf(secrets.build()),
            config: config.clone(),
            counter: counter.cloned(),
        }
    }

    /// The configuration the clients were built from (for a client of another service).
    pub fn sdk_config(&self) -> &aws_config::SdkConfig {
        &self.config
    }

    /// A client for Amazon Bedrock's runtime (Converse and InvokeModel), in the
    /// configuration's region and at its endpoint.
    pub fn bedrock(&self) -> aws_sdk_bedrockruntime::Client {
        let mut builder = aws_sdk_bedrockruntime::config::Builder::from(&self.config);
        if let Some(counter) = &self.counter {
            builder = builder.interceptor(counter.clone());
        }
        aws_sdk_bedrockruntime::Client::from_conf(builder.build())
    }

    /// A client for API Gateway's management API at `endpoint`: the WebSocket API's
    /// `https://<api>.execute-api.<region>.amazonaws.com/<stage>`, or a local server.
    pub fn management(&self, endpoint: &str) -> aws_sdk_apigatewaymanagement::Client {
        let mut builder = aws_sdk_apigatewaymanagement::config::Builder::from(&self.config)
            .endpoint_url(endpoint);
        if let Some(counter) = &self.counter {
            builder = builder.interceptor(counter.clone());
        }
        aws_sdk_apigatewaymanagement::Client::from_conf(builder.build())
    }
}

/// The configuration for a local AWS API server: it checks no signatures, so fixed
/// placeholder credentials and region stand in for real ones.
async fn local_config(endpoint: &str) -> aws_config::SdkConfig {
    let credentials =
        aws_sdk_dynamodb::config::Credentials::new("local", "local", None, None, "local");
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(credentials)
        .load()
        .await
}
