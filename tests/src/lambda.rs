//! Driving the Lambda functions the way AWS does: API Gateway events built like the ones
//! in `events/`, against adapters on `moto_server`.

use crate::fixture::aws::resources;
use serde_json::{Value, json};
use std::path::PathBuf;
use storyloom_application::Ports;
use storyloom_aws::{AwsClients, Settings};

/// The repository's root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository")
        .to_owned()
}

/// A sample event from `events/`.
pub fn sample_event(function: &str) -> Value {
    let path = repo_root().join("events").join(format!("{function}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Fresh resources on `moto_server` and the functions' ports over them.
pub async fn aws_stack() -> (Ports, AwsClients, Settings) {
    let (clients, settings) = resources().await;
    let config = storyloom_functions::wiring::FunctionConfig::defaults(settings.clone());
    let metrics = std::sync::Arc::new(storyloom_embedded::MetricsRegistry::new());
    let ports = storyloom_functions::wiring::adapters_for(&clients, &config, metrics)
        .expect("the offline models need no setup")
        .guarded();
    (ports, clients, settings)
}

/// An API Gateway HTTP API (payload 2.0) event for `method path`, from a caller whose
/// token the authorizer verified as `owner`.
pub fn api_event(method: &str, path: &str, owner: &str, body: Option<&Value>) -> Value {
    let mut event = json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": "books.example.com"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": "books.example.com",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "storyloom-tests"},
            "requestId": uuid::Uuid::new_v4().to_string(),
            "routeKey": "$default",
            "stage": "$default",
            "timeEpoch": 0,
            "authorizer": {"jwt": {"claims": {"sub": owner}, "scopes": null}}
        },
        "isBase64Encoded": false
    });
    if let Some(body) = body {
        event["headers"]["content-type"] = json!("application/json");
        event["body"] = json!(body.to_string());
    }
    event
}

/// The status code of an HTTP function's response.
pub fn status(response: &Value) -> u64 {
    response["statusCode"].as_u64().expect("a status code")
}

/// The JSON body of an HTTP function's response.
pub fn json_body(response: &Value) -> Value {
    let raw = response["body"].as_str().unwrap_or("null");
    serde_json::from_str(raw).unwrap_or_else(|e| panic!("body is not JSON ({e}): {raw}"))
}

/// A response header.
pub fn header<'a>(response: &'a Value, name: &str) -> Option<&'a str> {
    response["headers"][name].as_str()
}
