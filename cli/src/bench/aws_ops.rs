//! What one 12-page book costs in AWS requests: the functions' adapters on an AWS API
//! server (`moto_server`), every SDK request counted by an interceptor, the stages driven
//! as Lambda's event source mappings would, then priced with the published on-demand
//! prices in `cli/aws-prices.json`. Model calls are not included (they have their own
//! price table and metrics).

use super::report;
use crate::driver::Driver;
use anyhow::Context;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use storyloom_aws::requests::RequestCounter;
use storyloom_aws::{AwsClients, DynamoStore, provision};
use storyloom_domain::metrics::{Metrics, names};
use storyloom_domain::ports::BookStore;
use storyloom_domain::{BookId, PriceTable, Tier};
use storyloom_embedded::MetricsRegistry;
use storyloom_functions::wiring::{FunctionConfig, adapters_for};
use storyloom_http::Identity;

/// The published prices the figures use (US dollars).
#[derive(Debug, Deserialize)]
struct Prices {
    dynamodb_write_request_unit_per_million: f64,
    dynamodb_read_request_unit_per_million: f64,
    sqs_request_per_million: f64,
    s3_put_copy_list_per_thousand: f64,
    s3_get_head_per_thousand: f64,
    secretsmanager_call_per_ten_thousand: f64,
    lambda_request_per_million: f64,
    lambda_arm_gb_second: f64,
}

/// Memory assumed for every invocation, GB: the template's 256 MB (write-story's 512 MB
/// is not told apart, a small understatement).
const FUNCTION_GB: f64 = 0.25;
/// HTTP calls a client makes to order a book (two characters, one book).
const HTTP_CALLS: f64 = 3.0;

/// Measures `aws_ops_per_book` (with a line per service) and `infra_usd_per_book`.
pub async fn run(endpoint: &str) -> anyhow::Result<()> {
    let prices: Prices = serde_json::from_str(include_str!("../../aws-prices.json"))?;
    let counter = RequestCounter::new();
    let clients = AwsClients::counted(endpoint, &counter).await;
    let prefix = format!("bench{}", std::process::id());
    let settings = provision(&clients, &prefix, 5).await?;
    let authority = Arc::new(crate::aws_mode::authority(endpoint, &prefix).await?);
    let metrics = Arc::new(MetricsRegistry::new());
    let config = FunctionConfig {
        settings: settings.clone(),
        limits: super::UNLIMITED,
        prices: PriceTable::default(),
        models: storyloom_providers::ModelChoice::default(),
    };
    let ports = adapters_for(&clients, &config, metrics.clone())?.guarded();
    let driver = Driver::start(ports.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = storyloom_http::router(ports.clone(), Identity::Bearer(authority.clone()));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let http =
        crate::client::signed_in(&crate::stack::mint(&authority, "bench-reader", Tier::Free)?)?;
    // Watching the book must not count: a separate, uncounted client looks.
    let watcher = DynamoStore::new(
        AwsClients::for_local_endpoint(endpoint).await.dynamodb,
        &settings.table,
    );

    counter.reset();
    let id = super::book::order(&http, &base, 12, 1).await?;
    let book_id = BookId::parse(&id)?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(300);
    loop {
        let book = watcher
            .get_book(&book_id)
            .await?
            .context("the book exists")?;
        if !book.status.in_flight() {
            anyhow::ensure!(book.pdf_key.is_some(), "the book ended {}", book.status);
            break;
        }
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "the book took over 5 minutes"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let counts = counter.counts();
    driver.stop().await;
    server.abort();

    // The local driver polls SQS on its own schedule; Lambda's event source mapping
    // receives and deletes each message (batch size 1), so those two are counted per
    // message handled instead.
    let polling = ["ReceiveMessage", "DeleteMessage"];
    let counts: BTreeMap<(String, String), u64> = counts
        .into_iter()
        .filter(|((s, o), _)| !(s == "SQS" && polling.contains(&o.as_str())))
        .collect();
    let by_service = |service: &str| -> f64 {
        counts
            .iter()
            .filter(|((s, _), _)| s == service)
            .map(|(_, n)| *n as f64)
            .fold(0.0, |a, n| a + n)
    };
    let op = |service: &str, ops: &[&str]| -> f64 {
        counts
            .iter()
            .filter(|((s, o), _)| s == service && ops.contains(&o.as_str()))
            .map(|(_, n)| *n as f64)
            .fold(0.0, |a, n| a + n)
    };
    let stages = metrics
        .summaries()
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.name == names::STAGE_DURATION)
        .fold((0.0, 0.0), |(n, ms), s| (n + s.count as f64, ms + s.sum));
    let invocations = HTTP_CALLS + stages.0;
    let mapping_requests = 2.0 * stages.0;
    let total = counts.values().map(|n| *n as f64).fold(0.0, |a, n| a + n) + mapping_requests;
    report("aws_ops_per_book", total);
    for service in ["DynamoDB", "SQS", "S3", "Secrets Manager"] {
        let name = format!("aws_ops_{}", service.to_lowercase().replace(' ', "_"));
        let extra = if service == "SQS" {
            mapping_requests
        } else {
            0.0
        };
        report(&name, by_service(service) + extra);
    }
    report("lambda_invocations_per_book", invocations);
    // Transactions cost two units per item; every item here is under 1 KB written, 4 KB read.
    let writes = op(
        "DynamoDB",
        &["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"],
    ) + 2.0 * op("DynamoDB", &["TransactWriteItems"]);
    let reads = op("DynamoDB", &["GetItem", "Query", "Scan", "BatchGetItem"])
        + 2.0 * op("DynamoDB", &["TransactGetItems"]);
    let usd = writes * prices.dynamodb_write_request_unit_per_million / 1e6
        + reads * prices.dynamodb_read_request_unit_per_million / 1e6
        + (by_service("SQS") + mapping_requests) * prices.sqs_request_per_million / 1e6
        + op("S3", &["PutObject", "CopyObject", "ListObjectsV2"])
            * prices.s3_put_copy_list_per_thousand
            / 1e3
        + op("S3", &["GetObject", "HeadObject"]) * prices.s3_get_head_per_thousand / 1e3
        + by_service("Secrets Manager") * prices.secretsmanager_call_per_ten_thousand / 1e4
        + invocations * prices.lambda_request_per_million / 1e6
        + stages.1 / 1e3 * FUNCTION_GB * prices.lambda_arm_gb_second;
    report("infra_usd_per_book", usd);
    let detail: BTreeMap<String, u64> = counts
        .into_iter()
        .map(|((s, o), n)| (format!("{s}.{o}"), n))
        .collect();
    eprintln!("requests by operation: {detail:?}");
    Ok(())
}
