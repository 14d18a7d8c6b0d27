//! Live progress on AWS, through the functions as Lambda runs them: a ticket from the HTTP
//! API, `$connect` with it, `subscribe`, the notifier fed a stream record of the book's
//! change, `$disconnect`. The store is DynamoDB on `moto_server`. Pushes go through the
//! real management-API adapter (SigV4-signed by the SDK) to a loopback server answering as
//! API Gateway does (200, 410 `GoneException`, 429 `LimitExceededException`), because
//! moto accepts pushes but keeps no record of what was sent; one push goes to moto too.

use serde_json::{Value, json};
use storyloom_application::Ports;
use storyloom_aws::{ApiGatewayPusher, AwsClients};
use storyloom_domain::live::{ConnectionId, Delivery};
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::Pusher;
use storyloom_domain::{BookId, BookStatus, OwnerId};
use storyloom_functions::invoke;
use storyloom_functions::live::Socket;
use storyloom_http::Endpoint;
use storyloom_tests::contract::book;
use storyloom_tests::fixture::aws::endpoint;
use storyloom_tests::lambda::{api_event, aws_stack, json_body, sample_event, status};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const READER: &str = "reader-1";
const WATCHER: &str = "WATCHERconn0001=";
const STRANGER: &str = "STRANGERconn001=";
const LEFT: &str = "goneconn0000001=";
const SLOW: &str = "slowconn0000001=";

/// A loopback "API Gateway": 410 for connections whose id starts `gone`, 429 for `slow`,
/// 200 for the rest.
async fn gateway() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path_regex("^/@connections/gone"))
        .respond_with(
            ResponseTemplate::new(410)
                .insert_header("x-amzn-ErrorType", "GoneException")
                .set_body_json(json!({"message": null})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex("^/@connections/slow"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-amzn-ErrorType", "LimitExceededException")
                .set_body_json(json!({"message": "Rate exceeded"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex("^/@connections/"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

/// The frames pushed to `connection` so far, in order.
async fn frames(gateway: &MockServer, connection: &str) -> Vec<Value> {
    let encoded = connection.replace('=', "%3D");
    gateway
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| {
            let path = r.url.path();
            path.ends_with(&format!("/{encoded}")) || path.ends_with(&format!("/{connection}"))
        })
        .map(|r| {
            let auth = r
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            assert!(
                auth.starts_with("AWS4-HMAC-SHA256") && auth.contains("/execute-api/aws4_request"),
                "pushes are SigV4-signed for execute-api: {auth}"
            );
            serde_json::from_slice(&r.body).expect("a pushed frame is JSON")
        })
        .collect()
}

async fn ticket(ports: &Ports, owner: &str) -> String {
    let response = invoke::http(
        Endpoint::CreateLiveTicket,
        ports.clone(),
        api_event("POST", "/v1/live/tickets", owner, None),
    )
    .await
    .unwrap();
    assert_eq!(status(&response), 201, "{response}");
    json_body(&response)["ticket"]
        .as_str()
        .expect("a ticket")
        .to_owned()
}

fn socket_event(function: &str, connection: &str) -> Value {
    let mut event = sample_event(function);
    event["requestContext"]["connectionId"] = json!(connection);
    event
}

async fn connect(
    ports: &Ports,
    pusher: &dyn Pusher,
    connection: &str,
    ticket: Option<&str>,
) -> u64 {
    let mut event = socket_event("live-connect", connection);
    match ticket {
        Some(t) => {
            event["queryStringParameters"] = json!({"ticket": t});
            event["multiValueQueryStringParameters"] = json!({"ticket": [t]});
        }
        None => {
            event
                .as_object_mut()
                .unwrap()
                .remove("queryStringParameters");
            event
                .as_object_mut()
                .unwrap()
                .remove("multiValueQueryStringParameters");
        }
    }
    let response = invoke::socket(ports, pusher, Socket::Connect, event)
        .await
        .unwrap();
    response["statusCode"].as_u64().unwrap()
}

async fn send(ports: &Ports, pusher: &dyn Pusher, connection: &str, body: &str) {
    let mut event = socket_event("live-subscribe", connection);
    event["body"] = json!(body);
    let response = invoke::socket(ports, pusher, Socket::Subscribe, event)
        .await
        .unwrap();
    assert_eq!(response["statusCode"], 200, "{response}");
}

fn subscribe_to(book: &BookId) -> String {
    json!({"action": "subscribe", "book_id": book}).to_string()
}

/// A keys-only stream record of the book's own item, as the table's stream delivers it.
fn changed(book: &BookId, sequences: &[&str]) -> Value {
    let mut event = sample_event("live-notify");
    let template = event["Records"][0].clone();
    event["Records"] = sequences
        .iter()
        .map(|sequence| {
            let mut record = template.clone();
            record["dynamodb"]["Keys"]["PK"]["S"] = json!(format!("BOOK#{book}"));
            record["dynamodb"]["SequenceNumber"] = json!(sequence);
            record
        })
        .collect();
    event
}

async fn seed_book(ports: &Ports) -> BookId {
    let owner = OwnerId::parse(READER).unwrap();
    let queued = book(&owner, 4, ports.clock.now_ms());
    for c in &queued.request.cast {
        ports.store.put_character(c).await.unwrap();
    }
    ports.store.create_book(&queued).await.unwrap();
    queued.id
}

fn pusher_at(clients: &AwsClients, url: &str) -> ApiGatewayPusher {
    ApiGatewayPusher::new(clients.management(url))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn followers_see_the_book_change_and_nobody_else_does() {
    let (ports, clients, _) = aws_stack().await;
    let gateway = gateway().await;
    let pusher = pusher_at(&clients, &gateway.uri());
    let id = seed_book(&ports).await;

    // Tickets: one connection each, and nothing without one.
    let mine = ticket(&ports, READER).await;
    assert_eq!(connect(&ports, &pusher, WATCHER, Some(&mine)).await, 200);
    assert_eq!(
        connect(&ports, &pusher, LEFT, Some(&mine)).await,
        403,
        "used up"
    );
    assert_eq!(connect(&ports, &pusher, LEFT, None).await, 403);
    assert_eq!(
        connect(&ports, &pusher, LEFT, Some("BOOK#x' OR 1=1")).await,
        403
    );
    let forged = "0123456789abcdef0123456789abcdef";
    assert_eq!(connect(&ports, &pusher, LEFT, Some(forged)).await, 403);

    // Subscribing answers with the book's progress at once.
    send(&ports, &pusher, WATCHER, &subscribe_to(&id)).await;
    let first = frames(&gateway, WATCHER).await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0]["event"], "progress");
    assert_eq!(first[0]["book_id"], id.to_string());
    assert_eq!(first[0]["progress"]["status"], "queued");

    // A malformed message is answered, not dropped.
    send(&ports, &pusher, WATCHER, r#"{"action":"dance"}"#).await;
    let answer = frames(&gateway, WATCHER).await.pop().unwrap();
    assert_eq!(answer["event"], "problem", "{answer}");
    assert_eq!(answer["status"], 400, "{answer}");

    // Someone else's book does not exist for a stranger, over the socket too.
    let theirs = ticket(&ports, "reader-2").await;
    assert_eq!(connect(&ports, &pusher, STRANGER, Some(&theirs)).await, 200);
    send(&ports, &pusher, STRANGER, &subscribe_to(&id)).await;
    let refused = frames(&gateway, STRANGER).await;
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0]["event"], "problem");
    assert_eq!(refused[0]["status"], 404);
    assert!(refused[0].get("progress").is_none());

    // A follower whose client left: API Gateway says Gone, and it is forgotten.
    let again = ticket(&ports, READER).await;
    assert_eq!(connect(&ports, &pusher, LEFT, Some(&again)).await, 200);
    send(&ports, &pusher, LEFT, &subscribe_to(&id)).await;

    // The book advances: the story stage writes it, and the stream reports the change.
    let story = sample_event("write-story")
        .to_string()
        .replace("b-queued", id.as_str());
    let batch = invoke::stage(
        &ports,
        QueueName::Story,
        serde_json::from_str(&story).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(batch["batchItemFailures"], json!([]), "{batch}");
    let written = ports.store.get_book(&id).await.unwrap().unwrap();
    assert_eq!(written.status, BookStatus::Reviewing);
    let response = invoke::notify(&ports, &pusher, changed(&id, &["100", "101"]))
        .await
        .unwrap();
    assert_eq!(response["batchItemFailures"], json!([]), "{response}");

    let seen = frames(&gateway, WATCHER).await;
    assert_eq!(
        seen.len(),
        3,
        "one push for two records of one book: {seen:?}"
    );
    let latest = &seen[2];
    assert_eq!(latest["event"], "progress");
    assert_eq!(latest["progress"]["status"], "reviewing");
    assert_eq!(latest["progress"]["writing"]["pages_written"], 4);
    // The same body the local stream's `progress` event carries.
    let view = storyloom_application::books::progress(
        &*ports.store,
        &*ports.clock,
        &ports.timings,
        &written.owner,
        &id,
    )
    .await
    .unwrap();
    assert_eq!(latest["progress"]["title"], json!(view.title));
    assert_eq!(latest["progress"]["percent"], json!(view.percent));
    assert_eq!(frames(&gateway, STRANGER).await.len(), 1, "nothing more");
    let now = ports.clock.now_ms();
    let left = ConnectionId::parse(LEFT).unwrap();
    assert_eq!(ports.store.get_connection(&left, now).await.unwrap(), None);
    let followers: Vec<String> = ports
        .store
        .subscribers(&id, now)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.connection.to_string())
        .collect();
    assert_eq!(followers, [WATCHER]);

    // After a disconnect, a change pushes nothing.
    let response = invoke::socket(
        &ports,
        &pusher,
        Socket::Disconnect,
        socket_event("live-disconnect", WATCHER),
    )
    .await
    .unwrap();
    assert_eq!(response["statusCode"], 200);
    invoke::notify(&ports, &pusher, changed(&id, &["102"]))
        .await
        .unwrap();
    assert_eq!(frames(&gateway, WATCHER).await.len(), 3);
    assert!(ports.store.subscribers(&id, now).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_push_is_delivered_again_by_the_stream() {
    let (ports, clients, _) = aws_stack().await;
    let gateway = gateway().await;
    let pusher = pusher_at(&clients, &gateway.uri());
    let id = seed_book(&ports).await;
    let t = ticket(&ports, READER).await;
    assert_eq!(connect(&ports, &pusher, SLOW, Some(&t)).await, 200);
    // The first answer cannot be pushed either: the function fails, so API Gateway tells
    // the client to try again; the subscription itself is kept (subscribing is idempotent).
    let mut event = socket_event("live-subscribe", SLOW);
    event["body"] = json!(subscribe_to(&id));
    let failed = invoke::socket(&ports, &pusher, Socket::Subscribe, event).await;
    assert!(
        matches!(&failed, Err(e) if e.to_string().contains("temporary failure")),
        "{failed:?}"
    );
    let now = ports.clock.now_ms();
    assert_eq!(ports.store.subscribers(&id, now).await.unwrap().len(), 1);
    // Two records of the book, the earlier one named so Lambda retries from there; the
    // connection is kept (429 is not Gone).
    let response = invoke::notify(&ports, &pusher, changed(&id, &["900", "1000"]))
        .await
        .unwrap();
    assert_eq!(
        response["batchItemFailures"],
        json!([{"itemIdentifier": "900"}]),
        "{response}"
    );
    let slow = ConnectionId::parse(SLOW).unwrap();
    assert!(
        ports
            .store
            .get_connection(&slow, now)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_accepts_a_push_through_the_adapter() {
    let (_, clients, _) = aws_stack().await;
    let pusher = pusher_at(&clients, &endpoint());
    let to = ConnectionId::parse("MOTOconn0000001=").unwrap();
    let delivered = pusher.push(&to, br#"{"event":"progress"}"#).await.unwrap();
    assert_eq!(delivered, Delivery::Delivered);
}
