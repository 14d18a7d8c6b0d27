//! Amazon Bedrock's image models behind the image port, through InvokeModel with the
//! TEXT_IMAGE request shape Amazon Nova Canvas and Titan Image Generator v2 share. Every
//! prompt carries the characters' reference sheets, and the seed is fixed per page.

use crate::bedrock_text::classify;
use async_trait::async_trait;
use aws_sdk_bedrockruntime::primitives::Blob;
use base64::Engine as _;
use serde::Deserialize;
use storyloom_domain::ports::{ImageModel, ImageRequest, ImageResponse, ModelInfo, Usage};
use storyloom_domain::{Error, Result};

/// The longest prompt the TEXT_IMAGE shape accepts, in characters.
const MAX_PROMPT: usize = 1024;
/// Seeds Nova Canvas accepts run to this (Titan's range is wider).
const MAX_SEED: u64 = 858_993_459;
/// The picture Nova Canvas draws: the page's 8:5 art area, both sides multiples of 16.
const CANVAS: (u32, u32) = (1280, 800);
/// Titan takes only sizes from its list; its nearest is 5:3, trimmed to the band in print.
const TITAN: (u32, u32) = (1280, 768);

/// The width and height `model` is asked for.
fn size(model: &str) -> (u32, u32) {
    if model.contains("titan-image") {
        TITAN
    } else {
        CANVAS
    }
}

/// A Bedrock image model, by id ("amazon.nova-canvas-v1:0").
#[derive(Clone, Debug)]
pub struct BedrockImages {
    client: aws_sdk_bedrockruntime::Client,
    model: String,
}

impl BedrockImages {
    /// A model behind `client`.
    pub fn new(client: aws_sdk_bedrockruntime::Client, model: &str) -> Self {
        BedrockImages {
            client,
            model: model.to_owned(),
        }
    }
}

/// The prompt with each character's reference sheet, cut to what the model accepts (the
/// scene first, then as much of the sheets as fits, at a word boundary).
pub fn prompt_with_sheets(request: &ImageRequest) -> String {
    let mut prompt = request.prompt.clone();
    for look in &request.cast {
        prompt.push_str(&format!(
            " {} the {}: {}, colours {} {} {}.",
            look.name,
            look.kind,
            look.visual_description,
            look.palette.body,
            look.palette.belly,
            look.palette.accent
        ));
    }
    if prompt.chars().count() <= MAX_PROMPT {
        return prompt;
    }
    let cut: String = prompt.chars().take(MAX_PROMPT).collect();
    match cut.rfind(' ') {
        Some(i) => cut[..i].to_owned(),
        None => cut,
    }
}

/// The TEXT_IMAGE request body.
pub fn request_body(model: &str, request: &ImageRequest) -> serde_json::Value {
    let (width, height) = size(model);
    serde_json::json!({
        "taskType": "TEXT_IMAGE",
        "textToImageParams": {
            "text": prompt_with_sheets(request),
            "negativeText": "text, letters, words, watermark, frightening, violent",
        },
        "imageGenerationConfig": {
            "numberOfImages": 1,
            "width": width,
            "height": height,
            "cfgScale": 7.0,
            "seed": request.seed % (MAX_SEED + 1),
        },
    })
}

#[derive(Deserialize)]
struct Generated {
    #[serde(default)]
    images: Vec<String>,
    #[serde(default)]
    error: Option<String>,
}

#[async_trait]
impl ImageModel for BedrockImages {
    fn info(&self) -> ModelInfo {
        ModelInfo {
            id: self.model.clone(),
            offline: false,
            description: format!("{} on Amazon Bedrock", self.model),
        }
    }

    async fn draw(&self, request: &ImageRequest) -> Result<ImageResponse> {
        let body = serde_json::to_vec(&request_body(&self.model, request))
            .map_err(|e| Error::Permanent(format!("Bedrock request: {e}")))?;
        let output = self
            .client
            .invoke_model()
            .model_id(&self.model)
            .content_type("application/json")
            .accept("application/json")
            .body(Blob::new(body))
            .send()
            .await
            .map_err(|e| classify(&self.model, e))?;
        let garbled = |what: &str| Error::Transient(format!("Bedrock {}: {what}", self.model));
        let generated: Generated = serde_json::from_slice(output.body().as_ref())
            .map_err(|e| garbled(&format!("unreadable answer ({e})")))?;
        if let Some(error) = generated.error.filter(|e| !e.is_empty()) {
            return Err(Error::PolicyBlocked(format!(
                "Bedrock {}: {error}",
                self.model
            )));
        }
        let b64 = generated
            .images
            .first()
            .ok_or_else(|| garbled("no image in the answer"))?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| garbled(&format!("the image is not base64 ({e})")))?;
        if !png.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err(garbled("the image is not a PNG"));
        }
        Ok(ImageResponse {
            png,
            usage: Usage {
                calls: 1,
                images: 1,
                ..Usage::default()
            },
        })
    }
}
