//! AWS adapters for Storyloom's ports: a DynamoDB single-table [`DynamoStore`], SQS work
//! queues ([`SqsQueue`]), S3 blobs with presigned downloads ([`S3Blobs`]) and Secrets
//! Manager values cached for a bounded time ([`CachedSecrets`]), pushes down API Gateway
//! WebSockets ([`ApiGatewayPusher`]), metrics as CloudWatch Embedded Metric Format
//! lines ([`EmfMetrics`]), and Amazon Bedrock's models behind the text and image ports
//! ([`BedrockText`], [`BedrockImages`]).
//!
//! Clients are built once per process (one per Lambda cold start) by [`AwsClients::load`],
//! which honours `AWS_ENDPOINT_URL` for local runs against `moto_server`.

pub mod bedrock_images;
pub mod bedrock_text;
mod blobs;
mod clients;
mod error;
mod item;
mod live;
pub mod metrics;
mod provision;
mod push;
pub mod queue;
pub mod requests;
mod secrets;
pub mod settings;
mod store;

pub use bedrock_images::BedrockImages;
pub use bedrock_text::BedrockText;
pub use blobs::S3Blobs;
pub use clients::AwsClients;
pub use metrics::EmfMetrics;
pub use provision::{check_resources, ensure_secret, provision, secrets_prefix};
pub use push::ApiGatewayPusher;
pub use queue::{QueueUrls, SqsQueue};
pub use secrets::CachedSecrets;
pub use settings::Settings;
pub use store::DynamoStore;
