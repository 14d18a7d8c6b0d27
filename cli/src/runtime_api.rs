//! A Lambda Runtime API on loopback: what the Lambda service offers a function's process
//! (`AWS_LAMBDA_RUNTIME_API`), enough to run a real function binary outside AWS — for
//! measuring its cold start and for testing its lifecycle (extensions, shutdown).
//!
//! It serves the runtime interface (`/2018-06-01/runtime/...`: next invocation, response,
//! error, init error) and the extensions interface's registration; an extension asking
//! for its next event waits, as it does on AWS until the environment is retired.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;

/// How a function answered one invocation.
pub type Outcome = Result<Value, String>;

#[derive(Default)]
struct Shared {
    queue: Mutex<VecDeque<(String, Value)>>,
    waiting: Mutex<HashMap<String, oneshot::Sender<Outcome>>>,
    arrived: Notify,
    first_poll: Mutex<Option<Instant>>,
    polled: Notify,
    extensions: Mutex<Vec<String>>,
    init_error: Mutex<Option<String>>,
}

/// A running loopback Runtime API.
pub struct RuntimeApi {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl RuntimeApi {
    /// Starts one on a free loopback port.
    pub async fn start() -> std::io::Result<Self> {
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(respond),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(fail))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .route("/2020-01-01/extension/register", post(register))
            .route("/2020-01-01/extension/event/next", get(extension_next))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "the loopback Runtime API stopped");
            }
        });
        Ok(RuntimeApi {
            addr,
            shared,
            server,
        })
    }

    /// The value for `AWS_LAMBDA_RUNTIME_API`.
    pub fn address(&self) -> String {
        self.addr.to_string()
    }

    /// The variables Lambda sets for a function's process, pointing it at this API.
    pub fn environment(&self, function: &str) -> Vec<(String, String)> {
        [
            ("AWS_LAMBDA_RUNTIME_API", self.address()),
            ("AWS_LAMBDA_FUNCTION_NAME", function.to_owned()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256".to_owned()),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
            (
                "AWS_LAMBDA_LOG_GROUP_NAME",
                format!("/aws/lambda/{function}"),
            ),
            ("AWS_LAMBDA_LOG_STREAM_NAME", "loopback".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// Waits until a function first asks for work (the end of its init phase), up to
    /// `limit`; returns when that was.
    pub async fn first_poll(&self, limit: Duration) -> Option<Instant> {
        let polled = self.shared.polled.notified();
        if let Some(at) = *lock(&self.shared.first_poll) {
            return Some(at);
        }
        let _ = tokio::time::timeout(limit, polled).await;
        *lock(&self.shared.first_poll)
    }

    /// Hands `event` to the function and waits up to `limit` for its answer.
    pub async fn invoke(&self, event: Value, limit: Duration) -> Outcome {
        let id = uuid::Uuid::new_v4().to_string();
        let (tx, rx) = oneshot::channel();
        lock(&self.shared.waiting).insert(id.clone(), tx);
        lock(&self.shared.queue).push_back((id, event));
        self.shared.arrived.notify_waiters();
        match tokio::time::timeout(limit, rx).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => Err("the Runtime API stopped".into()),
            Err(_) => Err(format!("no answer within {limit:?}")),
        }
    }

    /// The names of the extensions that registered.
    pub fn extensions(&self) -> Vec<String> {
        lock(&self.shared.extensions).clone()
    }

    /// What the function reported if its init failed.
    pub fn init_error(&self) -> Option<String> {
        lock(&self.shared.init_error).clone()
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A poisoned lock only means another handler panicked; the data is still whole.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

async fn next(State(shared): State<Arc<Shared>>) -> Response {
    {
        let mut first = lock(&shared.first_poll);
        if first.is_none() {
            *first = Some(Instant::now());
            shared.polled.notify_waiters();
        }
    }
    loop {
        let arrived = shared.arrived.notified();
        if let Some((id, event)) = lock(&shared.queue).pop_front() {
            let deadline = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() + 30_000)
                .unwrap_or_default();
            let mut headers = HeaderMap::new();
            for (name, value) in [
                ("lambda-runtime-aws-request-id", id),
                ("lambda-runtime-deadline-ms", deadline.to_string()),
                (
                    "lambda-runtime-invoked-function-arn",
                    "arn:aws:lambda:us-east-1:123456789012:function:loopback".to_owned(),
                ),
                (
                    "lambda-runtime-trace-id",
                    "Root=1-00000000-000000000000000000000000;Sampled=0".to_owned(),
                ),
            ] {
                if let Ok(v) = HeaderValue::from_str(&value) {
                    headers.insert(name, v);
                }
            }
            return (headers, axum::Json(event)).into_response();
        }
        arrived.await;
    }
}

async fn respond(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> StatusCode {
    let outcome = serde_json::from_slice(&body).map_err(|e| format!("not JSON: {e}"));
    settle(&shared, &id, outcome)
}

async fn fail(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> StatusCode {
    settle(
        &shared,
        &id,
        Err(String::from_utf8_lossy(&body).into_owned()),
    )
}

fn settle(shared: &Shared, id: &str, outcome: Outcome) -> StatusCode {
    match lock(&shared.waiting).remove(id) {
        Some(tx) => {
            let _ = tx.send(outcome);
            StatusCode::ACCEPTED
        }
        None => StatusCode::BAD_REQUEST,
    }
}

async fn init_error(State(shared): State<Arc<Shared>>, body: Bytes) -> StatusCode {
    *lock(&shared.init_error) = Some(String::from_utf8_lossy(&body).into_owned());
    StatusCode::ACCEPTED
}

async fn register(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let name = headers
        .get("lambda-extension-name")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    lock(&shared.extensions).push(name);
    let id = uuid::Uuid::new_v4().to_string();
    let mut response = axum::Json(serde_json::json!({
        "functionName": "loopback",
        "functionVersion": "$LATEST",
        "handler": "bootstrap"
    }))
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert("lambda-extension-identifier", v);
    }
    response
}

/// An extension's next event: none comes until the environment is retired, and this
/// environment is retired by signalling the process, as Lambda does.
async fn extension_next() -> Response {
    std::future::pending::<()>().await;
    StatusCode::NO_CONTENT.into_response()
}
