//! The OpenAI-compatible chat adapter against recorded wire traffic: a loopback server
//! answers with the bodies OpenAI and Azure OpenAI send (in `recorded/`), and each test
//! checks what the adapter sent as well as what it made of the answer.

use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::Error;
use storyloom_domain::plan::PLAN_SCHEMA;
use storyloom_domain::ports::{Secrets, StoryBrief, TextModel, TextRequest, TextTask};
use storyloom_domain::request::AgeBand;
use storyloom_embedded::FileSecrets;
use storyloom_providers::{KEY_SECRET, OpenAiText};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn recorded(name: &str) -> String {
    let file = format!("{}/tests/recorded/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// A secrets file holding the provider key, as the local stack keeps it.
fn secrets(dir: &tempfile::TempDir, key: Option<&str>) -> Arc<dyn Secrets> {
    let file = dir.path().join("secrets.json");
    let body = match key {
        Some(k) => json!({ KEY_SECRET: k }),
        None => json!({}),
    };
    std::fs::write(&file, body.to_string()).unwrap();
    Arc::new(FileSecrets::new(file, Duration::from_secs(60)))
}

fn request(json_reply: bool) -> TextRequest {
    let brief = StoryBrief {
        premise: "a hedgehog who is afraid of the dark".into(),
        age_band: AgeBand::Ages3To5,
        page_count: 4,
        title: None,
        cast: vec![],
    };
    TextRequest {
        task: TextTask::Plan { brief },
        system: "You write picture books.".into(),
        prompt: "Plan the story.".into(),
        seed: 42,
        max_tokens: 300,
        json: json_reply,
    }
}

async fn model(server: &MockServer, secrets: Arc<dyn Secrets>) -> OpenAiText {
    OpenAiText::new(
        &format!("{}/v1/", server.uri()),
        "gpt-4o-mini",
        secrets,
        KEY_SECRET,
        Duration::from_secs(2),
    )
    .unwrap()
}

async fn answering(status: u16, body: &str, content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .mount(&server)
        .await;
    server
}

/// What the adapter, signed in with `key`, makes of `request` on `server`, which must
/// fail.
async fn failure(server: &MockServer, dir: &tempfile::TempDir, key: &str, json: bool) -> Error {
    model(server, secrets(dir, Some(key)))
        .await
        .generate(&request(json))
        .await
        .unwrap_err()
}

async fn sent(server: &MockServer) -> Value {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one call, no hidden retries");
    serde_json::from_slice(&requests[0].body).unwrap()
}

#[tokio::test]
async fn a_completion_is_the_reply_text_with_its_token_usage() {
    let server = answering(200, &recorded("chat_ok.json"), "application/json").await;
    let dir = tempfile::tempdir().unwrap();
    let reply = model(&server, secrets(&dir, Some("sk-test-1234")))
        .await
        .generate(&request(false))
        .await
        .unwrap();
    assert!(reply.text.starts_with("Hazel tiptoed"), "{}", reply.text);
    assert_eq!(
        (
            reply.usage.calls,
            reply.usage.input_tokens,
            reply.usage.output_tokens
        ),
        (1, 412, 23)
    );
    let body = sent(&server).await;
    assert_eq!(body["model"], "gpt-4o-mini");
    assert_eq!(
        body["messages"][0],
        json!({"role": "system", "content": "You write picture books."})
    );
    assert_eq!(
        body["messages"][1],
        json!({"role": "user", "content": "Plan the story."})
    );
    assert_eq!(body["max_tokens"], 300);
    assert_eq!(body["seed"], 42);
    assert!(
        body.get("response_format").is_none(),
        "plain text was asked for"
    );
    let requests = server.received_requests().await.unwrap();
    let auth = requests[0].headers.get("authorization").unwrap();
    assert_eq!(
        auth, "Bearer sk-test-1234",
        "the key comes from the secrets port"
    );
}

#[tokio::test]
async fn a_plan_is_held_to_its_schema_and_a_keyless_server_gets_no_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("content-type", "application/json"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(recorded("chat_ok.json"), "application/json"),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    model(&server, secrets(&dir, None))
        .await
        .generate(&request(true))
        .await
        .unwrap();
    let schema: Value = serde_json::from_str(PLAN_SCHEMA).unwrap();
    assert_eq!(
        sent(&server).await["response_format"],
        json!({"type": "json_schema", "json_schema": {"name": "reply", "strict": true, "schema": schema}})
    );
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_server_without_structured_output_gets_json_mode_from_then_on() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("json_schema"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_raw(recorded("chat_schema_refused.json"), "application/json"),
        )
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(recorded("chat_ok.json"), "application/json"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let model = model(&server, secrets(&dir, None)).await;
    for _ in 0..2 {
        model.generate(&request(true)).await.unwrap();
    }
    let formats: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap())
        .map(|b| b["response_format"]["type"].clone())
        .collect();
    assert_eq!(formats, ["json_schema", "json_object", "json_object"]);
}

#[tokio::test]
async fn throttling_and_gateway_errors_are_worth_another_try() {
    let dir = tempfile::tempdir().unwrap();
    for (status, body, kind) in [
        (429, recorded("chat_rate_limited.json"), "application/json"),
        (502, recorded("gateway_error.html"), "text/html"),
        (500, r#"{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}"#.to_owned(), "application/json"),
    ] {
        let server = answering(status, &body, kind).await;
        let e = failure(&server, &dir, "sk-test", false).await;
        assert!(matches!(e, Error::Transient(_)), "{status}: {e:?}");
    }
}

#[tokio::test]
async fn content_filter_refusals_are_policy_blocks() {
    let dir = tempfile::tempdir().unwrap();
    for (status, body) in [
        (400, recorded("chat_content_filter.json")),
        (200, recorded("chat_filtered_reply.json")),
    ] {
        // A plan (held to a schema) as well as prose: the filter's 400 is not taken for a
        // refused schema and asked again.
        for json in [false, true] {
            let server = answering(status, &body, "application/json").await;
            let e = failure(&server, &dir, "sk-test", json).await;
            assert!(matches!(e, Error::PolicyBlocked(_)), "{status}: {e:?}");
            assert_eq!(server.received_requests().await.unwrap().len(), 1);
        }
    }
}

#[tokio::test]
async fn a_refused_key_is_permanent_and_names_the_secret() {
    let server = answering(401, &recorded("chat_bad_key.json"), "application/json").await;
    let dir = tempfile::tempdir().unwrap();
    let e = failure(&server, &dir, "sk-wrong", false).await;
    assert!(
        matches!(&e, Error::Permanent(m) if m.contains(KEY_SECRET) && m.contains("Incorrect API key")),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_malformed_or_empty_success_is_worth_another_try() {
    let dir = tempfile::tempdir().unwrap();
    for body in [
        recorded("gateway_error.html"),
        r#"{"id":"x","choices":[]}"#.to_owned(),
        r#"{"choices":[{"message":{"role":"assistant","content":"  "},"finish_reason":"stop"}]}"#
            .to_owned(),
    ] {
        let server = answering(200, &body, "application/json").await;
        let e = failure(&server, &dir, "sk-test", false).await;
        assert!(matches!(e, Error::Transient(_)), "{body}: {e:?}");
    }
}

#[tokio::test]
async fn a_server_that_does_not_answer_in_time_is_a_transient_failure() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(recorded("chat_ok.json"), "application/json")
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let e = failure(&server, &dir, "sk-test", false).await;
    assert!(
        matches!(&e, Error::Transient(m) if m.contains("in time")),
        "{e:?}"
    );
}
