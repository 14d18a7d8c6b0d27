//! Creates a stack's resources through the APIs, the way `template.yaml` declares them:
//! for `moto_server` (whose CloudFormation skips some resource types), tests, and
//! `storyloom serve --aws`. Safe to run again on existing resources.

use crate::error::{classify, code};
use crate::item::{IN_FLIGHT_INDEX, IN_FLIGHT_PK, IN_FLIGHT_SK, PK, SK, TTL_ATTRIBUTE};
use crate::{AwsClients, QueueUrls, Settings};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, SseSpecification, StreamSpecification, StreamViewType,
    TimeToLiveSpecification,
};
use aws_sdk_s3::types::{
    PublicAccessBlockConfiguration, ServerSideEncryption, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, ServerSideEncryptionRule,
};
use aws_sdk_sqs::types::QueueAttributeName;
use std::collections::HashMap;
use storyloom_domain::message::{Lane, QueueName};
use storyloom_domain::{Error, Result};

/// The names of the resources of the stack named after `prefix`, in one place for the
/// code that creates them and the code that checks them.
struct Names {
    table: String,
    bucket: String,
    /// Per stage and lane: the work queue and its dead-letter queue.
    queues: Vec<((QueueName, Lane), String, String)>,
}

impl Names {
    fn of(prefix: &str) -> Names {
        Names {
            table: format!("{prefix}-books"),
            bucket: format!("{prefix}-blobs").to_lowercase(),
            queues: QueueName::ALL
                .into_iter()
                .flat_map(|q| Lane::DRAIN_ORDER.map(|lane| (q, lane)))
                .map(|(q, lane)| {
                    let name = format!("{prefix}-{}", q.lane_name(lane));
                    let dead = format!("{name}-dlq");
                    ((q, lane), name, dead)
                })
                .collect(),
        }
    }
}

/// Creates (or finds) the table, the bucket and every queue with its dead-letter queue,
/// all named after `prefix`, and returns where they are. `max_receive_count` is the
/// redrive policy's limit before a message is dead-lettered.
pub async fn provision(
    clients: &AwsClients,
    prefix: &str,
    max_receive_count: u32,
) -> Result<Settings> {
    let Names {
        table,
        bucket,
        queues: names,
    } = Names::of(prefix);
    create_table(&clients.dynamodb, &table).await?;
    create_bucket(&clients.s3, &bucket).await?;
    let mut queues = QueueUrls::default();
    for (q, name, dead_name) in names {
        let (work, dead) =
            create_queue_pair(&clients.sqs, &name, &dead_name, max_receive_count).await?;
        queues.work.insert(q, work);
        queues.dead.insert(q, dead);
    }
    Ok(Settings {
        table,
        bucket,
        queues,
        secrets_prefix: secrets_prefix(prefix),
        live_endpoint: None,
    })
}

/// Whether each resource of the stack named after `prefix` exists and answers: the
/// table, the bucket, every queue and dead-letter queue, and each of `secrets`. One entry
/// per resource: its name, and what was found or why it could not be reached.
pub async fn check_resources(
    clients: &AwsClients,
    prefix: &str,
    secrets: &[&str],
) -> Vec<(String, std::result::Result<String, String>)> {
    let mut out = Vec::new();
    let Names {
        table,
        bucket,
        queues,
    } = Names::of(prefix);
    let found = clients
        .dynamodb
        .describe_table()
        .table_name(&table)
        .send()
        .await;
    out.push((
        format!("table {table}"),
        found.map_err(|e| missing(&e)).map(|t| {
            let status = t.table.and_then(|t| t.table_status);
            format!(
                "exists ({})",
                status.map(|s| s.as_str().to_owned()).unwrap_or_default()
            )
        }),
    ));
    let found = clients.s3.head_bucket().bucket(&bucket).send().await;
    out.push((format!("bucket {bucket}"), exists(found)));
    for queue in queues.into_iter().flat_map(|(_, work, dead)| [work, dead]) {
        let found = clients.sqs.get_queue_url().queue_name(&queue).send().await;
        out.push((format!("queue {queue}"), exists(found)));
    }
    for name in secrets {
        let secret = format!("{}{name}", secrets_prefix(prefix));
        let found = clients
            .secrets
            .describe_secret()
            .secret_id(&secret)
            .send()
            .await;
        out.push((format!("secret {secret}"), exists(found)));
    }
    out
}

fn exists<T, E, R>(
    found: std::result::Result<T, aws_sdk_dynamodb::error::SdkError<E, R>>,
) -> std::result::Result<String, String>
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata,
{
    found.map(|_| "exists".to_owned()).map_err(|e| missing(&e))
}

/// Why a resource could not be found, in a line: the service's error code, or that the
/// endpoint did not answer.
fn missing<E, R>(e: &aws_sdk_dynamodb::error::SdkError<E, R>) -> String
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata,
{
    match code(e) {
        Some(code) => format!("not found ({code})"),
        None => match e {
            aws_sdk_dynamodb::error::SdkError::ServiceError(_) => "not found".to_owned(),
            _ => "the endpoint did not answer".to_owned(),
        },
    }
}

/// Where the secrets of the stack named after `prefix` live.
pub fn secrets_prefix(prefix: &str) -> String {
    format!("{prefix}/")
}

/// The secret `<secrets_prefix><name>`, created with `value` when it does not exist yet (a
/// concurrent creator wins and its value is returned). Used for keys generated at
/// provisioning time, such as the local token signing key; never for provider keys.
pub async fn ensure_secret(
    clients: &AwsClients,
    secrets_prefix: &str,
    name: &str,
    value: String,
) -> Result<String> {
    let id = format!("{secrets_prefix}{name}");
    let created = clients
        .secrets
        .create_secret()
        .name(&id)
        .secret_string(&value)
        .send()
        .await;
    match created {
        Ok(_) => return Ok(value),
        Err(e) if code(&e) == Some("ResourceExistsException") => {}
        Err(e) => return Err(classify("creating a secret", e)),
    }
    clients
        .secrets
        .get_secret_value()
        .secret_id(&id)
        .send()
        .await
        .map_err(|e| classify("reading a secret", e))?
        .secret_string
        .ok_or_else(|| Error::Permanent(format!("secret {id} holds no text")))
}

fn build<T, E: std::fmt::Display>(r: std::result::Result<T, E>) -> Result<T> {
    r.map_err(|e| Error::Permanent(format!("invalid request: {e}")))
}

async fn create_table(client: &aws_sdk_dynamodb::Client, table: &str) -> Result<()> {
    let key = |name: &str, kind: KeyType| {
        build(
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(kind)
                .build(),
        )
    };
    let attr = |name: &str, kind: ScalarAttributeType| {
        build(
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(kind)
                .build(),
        )
    };
    let in_flight = build(
        GlobalSecondaryIndex::builder()
            .index_name(IN_FLIGHT_INDEX)
            .key_schema(key(IN_FLIGHT_PK, KeyType::Hash)?)
            .key_schema(key(IN_FLIGHT_SK, KeyType::Range)?)
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::All)
                    .build(),
            )
            .build(),
    )?;
    let created = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key(PK, KeyType::Hash)?)
        .key_schema(key(SK, KeyType::Range)?)
        .attribute_definitions(attr(PK, ScalarAttributeType::S)?)
        .attribute_definitions(attr(SK, ScalarAttributeType::S)?)
        .attribute_definitions(attr(IN_FLIGHT_PK, ScalarAttributeType::S)?)
        .attribute_definitions(attr(IN_FLIGHT_SK, ScalarAttributeType::N)?)
        .global_secondary_indexes(in_flight)
        .sse_specification(SseSpecification::builder().enabled(true).build())
        // Keys only: the live notifier reads the book itself, so the stream stays small.
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::KeysOnly)
                .build()
                .map_err(|e| Error::Permanent(format!("stream specification: {e}")))?,
        )
        .send()
        .await;
    match created {
        Ok(_) => {}
        Err(e) if code(&e) == Some("ResourceInUseException") => return Ok(()),
        Err(e) => return Err(classify("creating the table", e)),
    }
    client
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(build(
            TimeToLiveSpecification::builder()
                .attribute_name(TTL_ATTRIBUTE)
                .enabled(true)
                .build(),
        )?)
        .send()
        .await
        .map_err(|e| classify("enabling TTL", e))?;
    Ok(())
}

async fn create_bucket(client: &aws_sdk_s3::Client, bucket: &str) -> Result<()> {
    match client.create_bucket().bucket(bucket).send().await {
        Ok(_) => {}
        Err(e) if matches!(code(&e), Some("BucketAlreadyOwnedByYou")) => {}
        Err(e) => return Err(classify("creating the bucket", e)),
    }
    client
        .put_public_access_block()
        .bucket(bucket)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .block_public_policy(true)
                .ignore_public_acls(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .map_err(|e| classify("blocking public access", e))?;
    let rule = ServerSideEncryptionRule::builder()
        .apply_server_side_encryption_by_default(build(
            ServerSideEncryptionByDefault::builder()
                .sse_algorithm(ServerSideEncryption::Aes256)
                .build(),
        )?)
        .build();
    client
        .put_bucket_encryption()
        .bucket(bucket)
        .server_side_encryption_configuration(build(
            ServerSideEncryptionConfiguration::builder()
                .rules(rule)
                .build(),
        )?)
        .send()
        .await
        .map_err(|e| classify("encrypting the bucket", e))?;
    Ok(())
}

/// A work queue and its dead-letter queue; returns both URLs.
async fn create_queue_pair(
    client: &aws_sdk_sqs::Client,
    name: &str,
    dead_name: &str,
    max_receive_count: u32,
) -> Result<(String, String)> {
    let dead = client
        .create_queue()
        .queue_name(dead_name)
        // Dead letters wait for a person or the redrive job: keep them the maximum 14 days.
        .attributes(QueueAttributeName::MessageRetentionPeriod, "1209600")
        .attributes(QueueAttributeName::SqsManagedSseEnabled, "true")
        .send()
        .await
        .map_err(|e| classify("creating a dead-letter queue", e))?
        .queue_url
        .unwrap_or_default();
    let arn = client
        .get_queue_attributes()
        .queue_url(&dead)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .map_err(|e| classify("reading a queue ARN", e))?
        .attributes
        .unwrap_or_default()
        .remove(&QueueAttributeName::QueueArn)
        .unwrap_or_default();
    let redrive = serde_json::json!({
        "deadLetterTargetArn": arn,
        "maxReceiveCount": max_receive_count,
    })
    .to_string();
    let attributes = HashMap::from([
        (QueueAttributeName::RedrivePolicy, redrive),
        (QueueAttributeName::SqsManagedSseEnabled, "true".to_owned()),
    ]);
    let work = client
        .create_queue()
        .queue_name(name)
        .set_attributes(Some(attributes))
        .send()
        .await
        .map_err(|e| classify("creating a work queue", e))?
        .queue_url
        .unwrap_or_default();
    Ok((work, dead))
}
