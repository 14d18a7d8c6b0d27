//! `ImageModel` on an OpenAI-compatible images API: `POST {base}/images/generations`.
//! Each character's reference sheet (description and seed) goes into every prompt, so
//! the provider draws the same hedgehog on page 7 as on page 1.

use crate::api::Api;
use crate::failure::garbled;
use async_trait::async_trait;
use base64::Engine;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::Result;
use storyloom_domain::ports::{ImageModel, ImageRequest, ImageResponse, ModelInfo, Secrets, Usage};

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// An image model on an OpenAI-compatible server.
pub struct OpenAiImages {
    api: Api,
}

impl OpenAiImages {
    /// The model `model` at `base`; as [`crate::OpenAiText::new`].
    pub fn new(
        base: &str,
        model: &str,
        secrets: Arc<dyn Secrets>,
        key_secret: &str,
        timeout: Duration,
    ) -> Result<Self> {
        Ok(OpenAiImages {
            api: Api::new(base, model, secrets, key_secret, timeout)?,
        })
    }

    /// The `gpt-image` family always answers base64 and takes its own sizes; DALL·E
    /// needs to be asked for base64.
    fn is_gpt_image(&self) -> bool {
        self.api.model.starts_with("gpt-image")
    }

    /// The provider's size nearest the page's shape.
    fn size(&self, width: u32, height: u32) -> &'static str {
        let landscape = width * 5 > height * 6;
        let portrait = height * 5 > width * 6;
        match (self.is_gpt_image(), landscape, portrait) {
            (true, true, _) => "1536x1024",
            (true, _, true) => "1024x1536",
            (false, true, _) => "1792x1024",
            (false, _, true) => "1024x1792",
            _ => "1024x1024",
        }
    }
}

/// The prompt with every character's reference sheet, so each page draws them alike.
pub(crate) fn with_reference_sheets(request: &ImageRequest) -> String {
    let mut prompt = request.prompt.clone();
    for look in &request.cast {
        prompt.push_str(&format!(
            "\nReference sheet for {} the {}: {}; palette: body {}, belly {}, accent {}. \
             Draw them exactly like this on every page (reference {}).",
            look.name,
            look.kind,
            look.visual_description,
            look.palette.body,
            look.palette.belly,
            look.palette.accent,
            look.seed
        ));
    }
    prompt
}

#[derive(Deserialize)]
struct Generated {
    data: Vec<Datum>,
    #[serde(default)]
    usage: Option<ImageTokens>,
}

#[derive(Deserialize)]
struct Datum {
    #[serde(default)]
    b64_json: Option<String>,
}

#[derive(Deserialize)]
struct ImageTokens {
    #[serde(default)]
    input_tokens: u64,
    #[serde(default)]
    output_tokens: u64,
}

#[async_trait]
impl ImageModel for OpenAiImages {
    fn info(&self) -> ModelInfo {
        self.api.info()
    }

    async fn draw(&self, request: &ImageRequest) -> Result<ImageResponse> {
        let mut body = json!({
            "model": self.api.model,
            "prompt": with_reference_sheets(request),
            "size": self.size(request.width, request.height),
            "n": 1,
        });
        if !self.is_gpt_image() {
            body["response_format"] = json!("b64_json");
        }
        let text = self.api.post("images/generations", &body).await?;
        let provider = &self.api.model;
        let generated: Generated =
            serde_json::from_str(&text).map_err(|e| garbled(provider, "an image result", e))?;
        let encoded = generated
            .data
            .into_iter()
            .find_map(|d| d.b64_json)
            .ok_or_else(|| garbled(provider, "an image result", "no b64_json image"))?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|e| garbled(provider, "base64", e))?;
        if !png.starts_with(PNG_SIGNATURE) {
            return Err(garbled(provider, "a PNG", "other image bytes"));
        }
        let usage = Usage {
            calls: 1,
            input_tokens: generated.usage.as_ref().map_or(0, |u| u.input_tokens),
            output_tokens: generated.usage.as_ref().map_or(0, |u| u.output_tokens),
            images: 1,
        };
        Ok(ImageResponse { png, usage })
    }
}
