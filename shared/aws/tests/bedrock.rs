//! The Bedrock adapters against recorded Bedrock Runtime answers on a loopback server:
//! what each sends (path, model, system and user turns, token limit, the plan's JSON
//! Schema, TEXT_IMAGE body with the reference sheets, seed and size) and what it makes of
//! each answer (text and usage, a plan, a refused schema, a picture, throttling, a content
//! filter, a bad model id, a garbled or empty answer, a body that is not a PNG).

use storyloom_aws::bedrock_images::request_body;
use storyloom_aws::{AwsClients, BedrockImages, BedrockText};
use storyloom_domain::page::Scene;
use storyloom_domain::plan::TimeOfDay;
use storyloom_domain::plan::{PLAN_SCHEMA, StoryPlan};
use storyloom_domain::ports::{
    CharacterLook, ImageModel, ImageRequest, StoryBrief, TextModel, TextRequest, TextTask,
};
use storyloom_domain::request::{AgeBand, ArtStyle};
use storyloom_domain::{Error, ErrorClass};
use wiremock::matchers::{body_string_contains, method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TEXT_MODEL: &str = "amazon.nova-lite-v1:0";
const IMAGE_MODEL: &str = "amazon.nova-canvas-v1:0";

fn recorded(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/recorded/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("recorded answer")
}

fn json(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/json")
        .set_body_string(recorded(name))
}

fn error(status: u16, code: &str, name: &str) -> ResponseTemplate {
    json(status, name).insert_header(
        "x-amzn-errortype",
        format!("{code}:http://internal.amazon.com/coral/com.amazon.bedrock/"),
    )
}

async fn clients(server: &MockServer) -> AwsClients {
    AwsClients::for_local_endpoint(&server.uri()).await
}

fn page_request() -> TextRequest {
    TextRequest {
        task: TextTask::Plan {
            brief: StoryBrief {
                premise: "A hedgehog who is afraid of the dark".into(),
                age_band: AgeBand::Ages3To5,
                page_count: 4,
                title: None,
                cast: vec![],
            },
        },
        system: "You write picture books for children.".into(),
        prompt: "Write page 1.".into(),
        seed: 3,
        max_tokens: 400,
        json: false,
    }
}

fn plan_request() -> TextRequest {
    TextRequest {
        prompt: "Plan a picture book of exactly 4 pages.".into(),
        json: true,
        ..page_request()
    }
}

async fn sent_bodies(server: &MockServer) -> Vec<serde_json::Value> {
    server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("json"))
        .collect()
}

fn picture_request() -> ImageRequest {
    let sheet = storyloom_domain::sheet::ReferenceSheet::draw_up(
        "hedgehog",
        "a small brown hedgehog with a red scarf",
        7,
    );
    ImageRequest {
        prompt: "A watercolour children's book illustration. bedroom, Night, curious mood.".into(),
        scene: Scene {
            setting: "bedroom".into(),
            time_of_day: TimeOfDay::Night,
            characters: vec!["Hazel".into()],
            mood: "curious".into(),
            objects: vec![],
            shot: Default::default(),
            figures: vec![],
        },
        cast: vec![CharacterLook::from_sheet("Hazel", "hedgehog", sheet)],
        style: ArtStyle::Watercolour,
        width: 2625,
        height: 1650,
        seed: 4_000_000_001,
        direction: None,
    }
}

#[tokio::test]
async fn converse_sends_the_turns_and_returns_text_with_its_usage() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path_regex(
            r"^/model/amazon\.nova-lite-v1(:|%3A)0/converse$",
        ))
        .respond_with(json(200, "bedrock_converse_ok.json"))
        .expect(1)
        .mount(&server)
        .await;
    let model = BedrockText::new(clients(&server).await.bedrock(), TEXT_MODEL);
    let reply = model.generate(&page_request()).await.expect("a reply");
    assert!(reply.text.starts_with("Hazel peeked out"), "{}", reply.text);
    assert_eq!(
        (
            reply.usage.calls,
            reply.usage.input_tokens,
            reply.usage.output_tokens
        ),
        (1, 212, 31)
    );
    assert!(!model.info().offline);
    let sent = &server.received_requests().await.expect("recorded")[0];
    let body: serde_json::Value = serde_json::from_slice(&sent.body).expect("json");
    assert_eq!(
        body["system"][0]["text"],
        "You write picture books for children."
    );
    assert_eq!(body["messages"][0]["role"], "user");
    assert_eq!(body["messages"][0]["content"][0]["text"], "Write page 1.");
    assert_eq!(body["inferenceConfig"]["maxTokens"], 400);
    assert!(
        body.get("outputConfig").is_none(),
        "prose is not held to a schema"
    );
    // Signed with SigV4 for the bedrock service, as the real endpoint requires.
    let auth = sent.headers["authorization"].to_str().expect("ascii");
    assert!(auth.contains("/bedrock/aws4_request"), "{auth}");
}

#[tokio::test]
async fn a_plan_is_held_to_its_schema_or_asked_for_in_words_where_the_model_takes_none() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(200, "bedrock_converse_plan.json"))
        .expect(1)
        .mount(&server)
        .await;
    let model = BedrockText::new(clients(&server).await.bedrock(), TEXT_MODEL);
    let reply = model.generate(&plan_request()).await.expect("a plan");
    let plan = StoryPlan::parse(&reply.text, 4, &["Hazel".into()]).expect("a valid plan");
    assert_eq!(plan.title, "Hazel and the Night Lights");
    let body = &sent_bodies(&server).await[0];
    let format = &body["outputConfig"]["textFormat"];
    assert_eq!(format["type"], "json_schema", "{body}");
    assert_eq!(format["structure"]["jsonSchema"]["schema"], PLAN_SCHEMA);
    let prompt = body["messages"][0]["content"][0]["text"].as_str().unwrap();
    assert_eq!(prompt, "Plan a picture book of exactly 4 pages.");

    // A model that takes no schema refuses it once; asked in words, it is never sent one
    // again.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_string_contains("outputConfig"))
        .respond_with(error(
            400,
            "ValidationException",
            "bedrock_schema_refused.json",
        ))
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json(200, "bedrock_converse_plan.json"))
        .expect(2)
        .mount(&server)
        .await;
    let model = BedrockText::new(clients(&server).await.bedrock(), TEXT_MODEL);
    for _ in 0..2 {
        let reply = model.generate(&plan_request()).await.expect("a plan");
        StoryPlan::parse(&reply.text, 4, &["Hazel".into()]).expect("a valid plan");
    }
    let bodies = sent_bodies(&server).await;
    assert_eq!(bodies.len(), 3);
    assert!(bodies[0].get("outputConfig").is_some());
    for body in &bodies[1..] {
        assert!(body.get("outputConfig").is_none(), "{body}");
        let prompt = body["messages"][0]["content"][0]["text"].as_str().unwrap();
        assert!(
            prompt.ends_with("Reply with the JSON object only."),
            "{prompt}"
        );
    }

    // A content filter's validation error is no refused schema: it stands, unasked again.
    let blocked = error(400, "ValidationException", "bedrock_canvas_blocked.json");
    let (e, sent) = text_failure(TEXT_MODEL, &plan_request(), blocked).await;
    assert_eq!((e.class(), sent), (ErrorClass::PolicyBlock, 1), "{e}");
}

/// What the text model `model` makes of `request` answered with `answer`, and how many
/// requests it sent.
async fn text_failure(
    model: &str,
    request: &TextRequest,
    answer: ResponseTemplate,
) -> (Error, usize) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(answer)
        .mount(&server)
        .await;
    let e = BedrockText::new(clients(&server).await.bedrock(), model)
        .generate(request)
        .await
        .expect_err("an answer that is no reply");
    (e, server.received_requests().await.expect("recorded").len())
}

/// What the text model `model` makes of a page request answered with `answer`.
async fn text_error(model: &str, answer: ResponseTemplate) -> Error {
    text_failure(model, &page_request(), answer).await.0
}

/// What the image model makes of a picture request answered with `answer`.
async fn picture_error(answer: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(answer)
        .mount(&server)
        .await;
    BedrockImages::new(clients(&server).await.bedrock(), IMAGE_MODEL)
        .draw(&picture_request())
        .await
        .expect_err("an answer that is no picture")
}

#[tokio::test]
async fn throttling_is_transient_and_a_content_filter_is_a_policy_block() {
    let throttled = error(429, "ThrottlingException", "bedrock_throttled.json");
    let e = text_error(TEXT_MODEL, throttled).await;
    assert_eq!(e.class(), ErrorClass::Transient, "{e}");

    let filtered = json(200, "bedrock_converse_filtered.json");
    let e = text_error(TEXT_MODEL, filtered).await;
    assert_eq!(e.class(), ErrorClass::PolicyBlock, "{e}");

    let invalid = error(400, "ValidationException", "bedrock_validation.json");
    let e = text_error("amazon.nope", invalid).await;
    assert_eq!(e.class(), ErrorClass::Permanent, "{e}");
    assert!(e.to_string().contains("model identifier is invalid"), "{e}");
}

#[tokio::test]
async fn a_picture_is_drawn_from_the_reference_sheet_with_a_valid_seed() {
    let request = picture_request();
    let body = request_body(IMAGE_MODEL, &request);
    assert_eq!(body["taskType"], "TEXT_IMAGE");
    let text = body["textToImageParams"]["text"].as_str().expect("text");
    assert!(
        text.contains("Hazel the hedgehog: a small brown hedgehog with a red scarf, colours #8b5a3c #f3e6c4 #d8433b"),
        "{text}"
    );
    assert!(text.chars().count() <= 1024);
    let seed = body["imageGenerationConfig"]["seed"]
        .as_u64()
        .expect("seed");
    assert!(seed <= 858_993_459, "{seed}");
    let size = |b: &serde_json::Value| {
        let c = &b["imageGenerationConfig"];
        (c["width"].as_u64(), c["height"].as_u64())
    };
    assert_eq!(size(&body), (Some(1280), Some(800)));
    // Titan takes only listed sizes.
    let titan = request_body("amazon.titan-image-generator-v2:0", &request);
    assert_eq!(size(&titan), (Some(1280), Some(768)));

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path_regex(
            r"^/model/amazon\.nova-canvas-v1(:|%3A)0/invoke$",
        ))
        .respond_with(json(200, "bedrock_canvas_ok.json"))
        .expect(1)
        .mount(&server)
        .await;
    let model = BedrockImages::new(clients(&server).await.bedrock(), IMAGE_MODEL);
    let picture = model.draw(&request).await.expect("a picture");
    assert!(picture.png.starts_with(b"\x89PNG"));
    assert_eq!((picture.usage.calls, picture.usage.images), (1, 1));
    let sent = &server.received_requests().await.expect("recorded")[0];
    let sent: serde_json::Value = serde_json::from_slice(&sent.body).expect("json");
    assert_eq!(sent, body, "the body sent is the TEXT_IMAGE request");
}

#[tokio::test]
async fn a_garbled_empty_or_gateway_answer_is_worth_another_try() {
    let garbled = ResponseTemplate::new(200)
        .insert_header("content-type", "application/json")
        .set_body_string("{\"output\": {\"mess");
    let empty = ResponseTemplate::new(200)
        .insert_header("content-type", "application/json")
        .set_body_string(
            r#"{"output":{"message":{"role":"assistant","content":[]}},"stopReason":"end_turn","usage":{"inputTokens":9,"outputTokens":0,"totalTokens":9},"metrics":{"latencyMs":80}}"#,
        );
    let gateway = ResponseTemplate::new(502).set_body_string("<html>502 Bad Gateway</html>");
    for answer in [garbled.clone(), empty, gateway] {
        let e = text_error(TEXT_MODEL, answer).await;
        assert_eq!(e.class(), ErrorClass::Transient, "{e}");
    }
    let e = picture_error(garbled).await;
    assert_eq!(e.class(), ErrorClass::Transient, "{e}");
}

#[tokio::test]
async fn a_blocked_or_broken_picture_is_classified() {
    let blocked = error(400, "ValidationException", "bedrock_canvas_blocked.json");
    let e = picture_error(blocked).await;
    assert_eq!(e.class(), ErrorClass::PolicyBlock, "{e}");

    let e = picture_error(json(200, "bedrock_canvas_jpeg.json")).await;
    assert_eq!(e.class(), ErrorClass::Transient, "{e}");
    assert!(e.to_string().contains("not a PNG"), "{e}");
}
