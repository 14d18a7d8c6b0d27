//! The live-progress functions on AWS: three behind the WebSocket API's routes
//! (`$connect`, `$disconnect`, and `subscribe` with `$default`) and a notifier fed by the
//! table's stream, which pushes a book's progress to its followers whenever it changes.

use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use aws_lambda_events::dynamodb::{Event as StreamEvent, EventRecord};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use lambda_runtime::{LambdaEvent, service_fn};
use std::collections::BTreeMap;
use storyloom_application::{Ports, live};
use storyloom_domain::live::ConnectionId;
use storyloom_domain::ports::Pusher;
use storyloom_domain::{BookId, Error};
use tracing::Instrument;

/// A WebSocket API route's function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Socket {
    /// `$connect`: redeems the ticket in the query string.
    Connect,
    /// `$disconnect`: forgets the connection and its subscriptions.
    Disconnect,
    /// `subscribe` (and `$default`, to answer a malformed message): follows a book.
    Subscribe,
}

impl Socket {
    /// Every route function.
    pub const ALL: [Socket; 3] = [Socket::Connect, Socket::Disconnect, Socket::Subscribe];

    /// Its function's (and binary's) name.
    pub fn function_name(self) -> &'static str {
        match self {
            Socket::Connect => "live-connect",
            Socket::Disconnect => "live-disconnect",
            Socket::Subscribe => "live-subscribe",
        }
    }
}

/// The notifier's function name.
pub const NOTIFIER: &str = "live-notify";

/// The query parameter that carries the ticket on `$connect`.
pub const TICKET_PARAMETER: &str = "ticket";

fn reply(status: i64, body: &str) -> ApiGatewayProxyResponse {
    let mut response = ApiGatewayProxyResponse::default();
    response.status_code = status;
    response.body = Some(Body::Text(body.to_owned()));
    response
}

/// Handles one WebSocket event. On `$connect` the status decides whether API Gateway
/// accepts the connection; on other routes it is not shown to the client (answers go
/// down the socket), and an `Err` is API Gateway's "Internal server error" frame.
pub async fn handle_socket(
    ports: &Ports,
    pusher: Option<&dyn Pusher>,
    socket: Socket,
    event: ApiGatewayWebsocketProxyRequest,
) -> Result<ApiGatewayProxyResponse, Error> {
    let raw = event.request_context.connection_id.unwrap_or_default();
    let id = ConnectionId::parse(&raw)?;
    match socket {
        Socket::Connect => {
            let ticket = event.query_string_parameters.first(TICKET_PARAMETER);
            match live::connect(&*ports.store, &*ports.clock, &id, ticket).await {
                Ok(connection) => {
                    tracing::info!(connection = %id, owner = %connection.owner, "connected");
                    Ok(reply(200, "connected"))
                }
                Err(Error::Forbidden(why)) => Ok(reply(403, &why)),
                Err(e) => Err(e),
            }
        }
        Socket::Disconnect => {
            live::disconnect(&*ports.store, &id).await?;
            Ok(reply(200, "disconnected"))
        }
        Socket::Subscribe => {
            let pusher = pusher.ok_or_else(|| {
                Error::Permanent("the subscribe function was started without a pusher".into())
            })?;
            let body = event.body.unwrap_or_default();
            live::receive(
                &*ports.store,
                &*ports.clock,
                &ports.timings,
                pusher,
                &id,
                &body,
            )
            .await?;
            Ok(reply(200, "ok"))
        }
    }
}

/// The book a stream record is about: only a book's own item (`BOOK#<id>`/`META`) moves
/// its progress; the template's filter passes nothing else, and this checks again.
fn changed_book(record: &EventRecord) -> Option<BookId> {
    let text = |name: &str| match record.change.keys.get(name)? {
        serde_dynamo::AttributeValue::S(s) => Some(s.as_str()),
        _ => None,
    };
    if text("SK")? != "META" {
        return None;
    }
    BookId::parse(text("PK")?.strip_prefix("BOOK#")?).ok()
}

/// Pushes progress for every book changed in a batch of stream records, once per book.
/// A book whose push failed is reported by the sequence number of its first record in
/// the batch, so Lambda delivers it (and what follows) again.
pub async fn handle_stream(
    ports: &Ports,
    pusher: &dyn Pusher,
    event: StreamEvent,
) -> DynamoDbEventResponse {
    let mut books: BTreeMap<BookId, String> = BTreeMap::new();
    for record in &event.records {
        if let Some(book) = changed_book(record) {
            let sequence = record.change.sequence_number.clone().unwrap_or_default();
            books.entry(book).or_insert(sequence);
        }
    }
    let mut failed: Vec<String> = Vec::new();
    for (book, first) in books {
        match live::notify(&*ports.store, &*ports.clock, &ports.timings, pusher, &book).await {
            Ok(done) => tracing::debug!(book = %book, ?done, "notified"),
            Err(e) => {
                tracing::warn!(book = %book, error = %e, "could not notify followers");
                failed.push(first);
            }
        }
    }
    // Lambda retries from the earliest failed record; one is enough to name.
    let mut response = DynamoDbEventResponse::default();
    if let Some(first) = failed.into_iter().min_by(|a, b| sequence_order(a, b)) {
        let mut failure = DynamoDbBatchItemFailure::default();
        failure.item_identifier = Some(first);
        response.batch_item_failures.push(failure);
    }
    response
}

/// Stream sequence numbers are decimal strings of growing length: compare as numbers.
fn sequence_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Runs a WebSocket route's function.
pub async fn serve_socket(socket: Socket) -> Result<(), lambda_runtime::Error> {
    let started =
        crate::wiring::start(socket.function_name(), crate::wiring::Links::STORAGE).await?;
    let pusher = match socket {
        Socket::Subscribe => Some(crate::wiring::pusher(&started.clients, &started.settings)?),
        _ => None,
    };
    let ports = &started.ports;
    let pusher = pusher.as_ref().map(|p| p as &dyn Pusher);
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayWebsocketProxyRequest>| async move {
            let response = handle_socket(ports, pusher, socket, event.payload).await;
            crate::logging::invocation_done();
            response.map_err(lambda_runtime::Error::from)
        },
    ))
    .instrument(started.span)
    .await
}

/// Runs the notifier.
pub async fn serve_notifier() -> Result<(), lambda_runtime::Error> {
    let started = crate::wiring::start(NOTIFIER, crate::wiring::Links::STORAGE).await?;
    let pusher = crate::wiring::pusher(&started.clients, &started.settings)?;
    let ports = &started.ports;
    let pusher = &pusher;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<StreamEvent>| async move {
            let response = handle_stream(ports, pusher, event.payload).await;
            crate::logging::invocation_done();
            Ok::<_, lambda_runtime::Error>(response)
        },
    ))
    .instrument(started.span)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers_order_as_numbers() {
        assert_eq!(sequence_order("900", "1000"), std::cmp::Ordering::Less);
        assert_eq!(sequence_order("1001", "1000"), std::cmp::Ordering::Greater);
    }
}
