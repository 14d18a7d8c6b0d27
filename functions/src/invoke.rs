//! Invoking a function in-process with a JSON event, the way the Lambda runtime does: the
//! event is parsed into the runtime's own types, handed to the same handler the binary
//! runs, and the response is serialised back to JSON. The local event-source driver and
//! the tests use it; nothing here is a stand-in for a handler.

use crate::job::{self, Job};
use crate::live::{self, Socket};
use crate::stage;
use aws_lambda_events::apigw::ApiGatewayWebsocketProxyRequest;
use aws_lambda_events::dynamodb::Event as StreamEvent;
use aws_lambda_events::eventbridge::EventBridgeEvent;
use aws_lambda_events::sqs::SqsEvent;
use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, Context, LambdaEvent, Service};
use serde_json::Value;
use storyloom_application::Ports;
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::Pusher;
use storyloom_http::Endpoint;

/// An event that is not what the function accepts.
#[derive(Debug, thiserror::Error)]
pub enum InvokeError {
    #[error("the event does not parse: {0}")]
    Event(#[from] serde_json::Error),
    #[error("the function failed: {0}")]
    Function(String),
}

/// Invokes an HTTP function with an API Gateway (HTTP API, payload 2.0) event.
pub async fn http(endpoint: Endpoint, ports: Ports, event: Value) -> Result<Value, InvokeError> {
    through(crate::http::app(endpoint.route(), ports), event).await
}

/// Invokes the probe function with an API Gateway event; returns its response.
pub async fn probe(ports: Ports, event: Value) -> Result<Value, InvokeError> {
    through(storyloom_http::probes(ports), event).await
}

/// An API Gateway event through `app` inside `lambda_http`'s adapter, as the binary runs it.
async fn through(app: axum::Router, event: Value) -> Result<Value, InvokeError> {
    let request: LambdaRequest = serde_json::from_value(event)?;
    let mut adapter = Adapter::from(app);
    let response = adapter
        .call(LambdaEvent::new(request, Context::default()))
        .await
        .map_err(|e| InvokeError::Function(format!("{e:?}")))?;
    Ok(serde_json::to_value(response)?)
}

/// Invokes a stage function with an SQS event; returns the partial-batch response.
pub async fn stage(ports: &Ports, queue: QueueName, event: Value) -> Result<Value, InvokeError> {
    let event: SqsEvent = serde_json::from_value(event)?;
    Ok(serde_json::to_value(
        stage::handle_batch(ports, queue, event).await,
    )?)
}

/// Invokes a scheduled function with an EventBridge event; returns the job's report.
pub async fn job(ports: &Ports, job: Job, event: Value) -> Result<Value, InvokeError> {
    let _: EventBridgeEvent<Value> = serde_json::from_value(event)?;
    job::run(ports, job)
        .await
        .map_err(|e| InvokeError::Function(e.to_string()))
}

/// Invokes a WebSocket route's function with an API Gateway WebSocket event; returns its
/// response. `pusher` is what the subscribe function pushes through.
pub async fn socket(
    ports: &Ports,
    pusher: &dyn Pusher,
    socket: Socket,
    event: Value,
) -> Result<Value, InvokeError> {
    let event: ApiGatewayWebsocketProxyRequest = serde_json::from_value(event)?;
    let response = live::handle_socket(ports, Some(pusher), socket, event)
        .await
        .map_err(|e| InvokeError::Function(e.to_string()))?;
    Ok(serde_json::to_value(response)?)
}

/// Invokes the notifier with a DynamoDB stream event; returns the partial-batch response.
pub async fn notify(
    ports: &Ports,
    pusher: &dyn Pusher,
    event: Value,
) -> Result<Value, InvokeError> {
    let event: StreamEvent = serde_json::from_value(event)?;
    Ok(serde_json::to_value(
        live::handle_stream(ports, pusher, event).await,
    )?)
}
