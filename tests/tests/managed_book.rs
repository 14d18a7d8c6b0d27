//! A whole book on a managed provider: the local stack talks to an OpenAI-compatible
//! server on loopback that answers each call with the reply recorded for its task (the
//! director's JSON plan, each persona's line, each page the chronicler wrote, a picture),
//! through the real adapters: key from the secrets port, JSON mode for the plan, usage
//! priced, review run on the provider's words.

mod common;
use common::*;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::ports::Secrets;
use storyloom_embedded::FileSecrets;
use storyloom_providers::{KEY_SECRET, OpenAiImages, OpenAiText};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const KEY: &str = "sk-test-storyloom";

/// Answers a chat completion with the recorded reply for what it asks.
struct Recorded(Value);

impl Respond for Recorded {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let prompt = body["messages"][1]["content"].as_str().unwrap_or("");
        let content = if body["response_format"]["type"] == "json_schema" {
            self.0["plan"].to_string()
        } else if prompt.starts_with("You are the persona") {
            let name = ["Hazel", "Otto"]
                .into_iter()
                .find(|n| prompt.contains(&format!("name=\"{n}\"")))
                .unwrap_or("Hazel");
            self.0["personas"][name].as_str().unwrap_or("").to_owned()
        } else {
            let page: usize = prompt
                .strip_prefix("Write page ")
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(1);
            self.0["pages"][page - 1].as_str().unwrap_or("").to_owned()
        };
        ResponseTemplate::new(200).set_body_json(json!({
            "id": "chatcmpl-recorded",
            "object": "chat.completion",
            "created": 1_795_428_000,
            "model": "gpt-4o-mini-2024-07-18",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": null}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt.len() / 4, "completion_tokens": content.len() / 4, "total_tokens": 0},
        }))
    }
}

fn recorded(path: &str) -> Value {
    let file = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&file).expect("recorded")).expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_book_made_by_a_managed_provider_through_every_role() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(Recorded(recorded("recorded/openai_book.json")))
        .mount(&server)
        .await;
    let picture =
        recorded("../shared/aws/tests/recorded/bedrock_canvas_ok.json")["images"][0].clone();
    Mock::given(method("POST"))
        .and(path("/v1/images/generations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "created": 1_795_428_000,
            "data": [{"b64_json": picture}],
            "usage": {"input_tokens": 60, "output_tokens": 4160, "total_tokens": 4220},
        })))
        .mount(&server)
        .await;

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("provider.json"),
        json!({ KEY_SECRET: KEY }).to_string(),
    )
    .unwrap();
    let secrets: Arc<dyn Secrets> = Arc::new(FileSecrets::new(
        dir.path().join("provider.json"),
        Duration::from_secs(60),
    ));
    let base = format!("{}/v1", server.uri());
    let timeout = Duration::from_secs(10);
    let options = storyloom_cli::stack::StackOptions {
        text: Some(Arc::new(
            OpenAiText::new(&base, "gpt-4o-mini", secrets.clone(), KEY_SECRET, timeout)
                .expect("adapter"),
        )),
        image: Some(Arc::new(
            OpenAiImages::new(&base, "gpt-image-1", secrets, KEY_SECRET, timeout).expect("adapter"),
        )),
        ..options()
    };
    let data = dir.path().join("stack");
    let (stack, api) = start_with(&data, true, &options).await;
    let http = client(&stack);
    let mut cast = Vec::new();
    for c in [
        json!({"name": "Hazel", "kind": "hedgehog", "traits": ["brave"], "visual_description": "a small brown hedgehog with a red scarf", "voice": "asks lots of questions"}),
        json!({"name": "Otto", "kind": "owl", "traits": ["wise"], "visual_description": "a grey owl with glasses", "voice": "slow and grand"}),
    ] {
        let (status, body) = post(&http, &format!("{api}/v1/characters"), &c).await;
        assert_eq!(status, 201, "{body}");
        assert!(
            body["reference_sheet"]["palette"]["body"].is_string(),
            "{body}"
        );
        cast.push(body["id"].as_str().unwrap().to_owned());
    }
    let (status, book) = post(
        &http,
        &format!("{api}/v1/books"),
        &json!({"premise": "A brave hedgehog who is afraid of the dark", "age_band": "3-5", "page_count": 4, "art_style": "watercolour", "cast": cast, "seed": 3}),
    )
    .await;
    assert_eq!(status, 202, "{book}");
    let id = book["id"].as_str().unwrap().to_owned();
    let progress = wait_for(&http, &api, &id, Duration::from_secs(120), |p| {
        p["status"] == "ready"
    })
    .await;
    assert_eq!(progress["illustrations"]["done"], 4);
    let (_, book) = get(&http, &format!("{api}/v1/books/{id}")).await;
    assert_eq!(book["title"], "Hazel and the Starry Night");
    assert_eq!(book["models"]["text_model"], "gpt-4o-mini");
    // The director once, a persona per character on each page (1 + 1 + 2 + 2), the
    // chronicler per page: 11 calls, each priced.
    assert_eq!(book["usage"]["calls"], 11, "{book}");
    assert!(
        book["cost"]["writing_usd"].as_f64().unwrap() > 0.0,
        "{book}"
    );
    let review = &book["review"];
    assert_eq!(review["rewrites"], 0, "{review}");
    let round = &review["rounds"][0];
    assert_eq!(round["passed"], true, "{round}");
    let voice = round["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["gate"] == "voice")
        .expect("the voice gate ran");
    assert_eq!(voice["score"], 1.0, "{voice}");

    let (_, pages) = get(&http, &format!("{api}/v1/books/{id}/pages")).await;
    let recorded_book = recorded("recorded/openai_book.json");
    for (page, text) in pages["items"]
        .as_array()
        .unwrap()
        .iter()
        .zip(recorded_book["pages"].as_array().unwrap())
    {
        assert_eq!(&page["text"], text);
    }

    // What the adapters sent: the plan in JSON mode, persona calls naming their
    // character, pages carrying the personas' proposals, pictures with reference sheets.
    let sent = server.received_requests().await.expect("recorded");
    let bodies: Vec<Value> = sent
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("json"))
        .collect();
    let prompts: Vec<&str> = bodies
        .iter()
        .filter_map(|b| b["messages"][1]["content"].as_str())
        .collect();
    assert_eq!(
        prompts
            .iter()
            .filter(|p| p.starts_with("You are the persona"))
            .count(),
        6
    );
    let page_three = prompts
        .iter()
        .find(|p| p.starts_with("Write page 3 of"))
        .expect("page 3 was asked for");
    assert!(
        page_three.contains("<proposal character=\"Otto\">Otto spreads his wings."),
        "{page_three}"
    );
    let pictures: Vec<&Value> = bodies.iter().filter(|b| b["prompt"].is_string()).collect();
    assert_eq!(pictures.len(), 4);
    assert!(
        pictures.iter().all(|b| b["prompt"].as_str().unwrap().contains(
            "Reference sheet for Hazel the hedgehog: a small brown hedgehog with a red scarf; palette: body #8b5a3c"
        )),
        "{pictures:?}"
    );
    stack.stop().await;
}
