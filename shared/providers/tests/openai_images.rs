//! The OpenAI-compatible images adapter against recorded wire traffic: what it sends
//! (model, size, every character's reference sheet) and what it makes of each answer.

use base64::Engine;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::Error;
use storyloom_domain::page::Scene;
use storyloom_domain::plan::TimeOfDay;
use storyloom_domain::ports::{CharacterLook, ImageModel, ImageRequest, Secrets};
use storyloom_domain::request::ArtStyle;
use storyloom_embedded::FileSecrets;
use storyloom_providers::{KEY_SECRET, OpenAiImages};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A valid 1×1 PNG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82";

fn secrets(dir: &tempfile::TempDir) -> Arc<dyn Secrets> {
    let file = dir.path().join("secrets.json");
    std::fs::write(&file, json!({ KEY_SECRET: "sk-img" }).to_string()).unwrap();
    Arc::new(FileSecrets::new(file, Duration::from_secs(60)))
}

fn request() -> ImageRequest {
    let look = |name: &str, kind: &str, description: &str, seed| {
        let sheet = storyloom_domain::sheet::ReferenceSheet::draw_up(kind, description, seed);
        CharacterLook::from_sheet(name, kind, sheet)
    };
    ImageRequest {
        prompt: "Watercolour picture-book page: a hedgehog at a moonlit window.".into(),
        scene: Scene {
            setting: "bedroom".into(),
            time_of_day: TimeOfDay::Night,
            characters: vec!["Hazel".into(), "Otto".into()],
            mood: "curious".into(),
            objects: vec![],
            shot: Default::default(),
            figures: vec![],
        },
        cast: vec![
            look(
                "Hazel",
                "hedgehog",
                "a small brown hedgehog with a red scarf",
                7,
            ),
            look("Otto", "owl", "a round grey owl with big yellow eyes", 11),
        ],
        style: ArtStyle::Watercolour,
        width: 1536,
        height: 1024,
        seed: 99,
        direction: None,
    }
}

async fn answering(
    model: &str,
    status: u16,
    body: String,
) -> (MockServer, OpenAiImages, tempfile::TempDir) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/images/generations"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let images = OpenAiImages::new(
        &format!("{}/v1", server.uri()),
        model,
        secrets(&dir),
        KEY_SECRET,
        Duration::from_secs(2),
    )
    .unwrap();
    // The secrets file is read on the first call: the caller keeps the directory.
    (server, images, dir)
}

fn generated(png: &[u8]) -> String {
    json!({
        "created": 1795428000,
        "background": "opaque",
        "data": [{"b64_json": base64::engine::general_purpose::STANDARD.encode(png)}],
        "output_format": "png",
        "quality": "medium",
        "size": "1536x1024",
        "usage": {
            "input_tokens": 96,
            "input_tokens_details": {"image_tokens": 0, "text_tokens": 96},
            "output_tokens": 1056,
            "total_tokens": 1152
        }
    })
    .to_string()
}

async fn sent(server: &MockServer) -> Value {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    serde_json::from_slice(&requests[0].body).unwrap()
}

#[tokio::test]
async fn a_picture_comes_back_as_png_drawn_from_the_reference_sheets() {
    let (server, images, _dir) = answering("gpt-image-1", 200, generated(PNG)).await;
    let drawn = images.draw(&request()).await.unwrap();
    assert_eq!(drawn.png, PNG);
    assert_eq!(
        (
            drawn.usage.images,
            drawn.usage.input_tokens,
            drawn.usage.output_tokens
        ),
        (1, 96, 1056)
    );
    let body = sent(&server).await;
    assert_eq!(body["model"], "gpt-image-1");
    assert_eq!(body["size"], "1536x1024", "a landscape page");
    assert!(
        body.get("response_format").is_none(),
        "gpt-image always answers base64"
    );
    let prompt = body["prompt"].as_str().unwrap();
    for sheet in [
        "Reference sheet for Hazel the hedgehog: a small brown hedgehog with a red scarf; \
         palette: body #8b5a3c, belly #f3e6c4, accent #d8433b",
        "Reference sheet for Otto the owl: a round grey owl with big yellow eyes",
        "(reference 7)",
        "(reference 11)",
    ] {
        assert!(prompt.contains(sheet), "{sheet:?} missing from {prompt}");
    }
}

#[tokio::test]
async fn dall_e_is_asked_for_base64_in_its_own_sizes() {
    let (server, images, _dir) = answering("dall-e-3", 200, generated(PNG)).await;
    images.draw(&request()).await.unwrap();
    let body = sent(&server).await;
    assert_eq!(body["response_format"], "b64_json");
    assert_eq!(body["size"], "1792x1024");
}

#[tokio::test]
async fn each_kind_of_failure_is_classified() {
    let policy = std::fs::read_to_string(format!(
        "{}/tests/recorded/images_policy.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let (_, images, _dir) = answering("gpt-image-1", 400, policy).await;
    let e = images.draw(&request()).await.unwrap_err();
    assert!(matches!(e, Error::PolicyBlocked(_)), "{e:?}");

    let throttled = r#"{"error":{"message":"Rate limit exceeded for images per minute.","type":"requests","code":"rate_limit_exceeded"}}"#;
    let (_, images, _dir) = answering("gpt-image-1", 429, throttled.into()).await;
    assert!(matches!(
        images.draw(&request()).await,
        Err(Error::Transient(_))
    ));

    // A JPEG where a PNG was promised, and a body without an image.
    let (_, images, _dir) = answering("gpt-image-1", 200, generated(b"\xff\xd8\xff\xe0JFIF")).await;
    assert!(matches!(
        images.draw(&request()).await,
        Err(Error::Transient(_))
    ));
    let (_, images, _dir) = answering(
        "gpt-image-1",
        200,
        r#"{"created":1,"data":[{"url":"https://x"}]}"#.into(),
    )
    .await;
    assert!(matches!(
        images.draw(&request()).await,
        Err(Error::Transient(_))
    ));
}
