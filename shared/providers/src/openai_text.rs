//! `TextModel` on an OpenAI-compatible chat-completions API: `POST {base}/chat/completions`.

use crate::failure::{from_status, from_transport, garbled};
use crate::https::{Https, bearer};
use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::ports::{ModelInfo, Secrets, TextModel, TextRequest, TextResponse, Usage};
use storyloom_domain::{Error, Result};

/// A chat model on an OpenAI-compatible server.
pub struct OpenAiText {
    http: Https,
    /// The API root, e.g. `https://api.openai.com/v1` (no trailing slash).
    base: String,
    model: String,
    secrets: Arc<dyn Secrets>,
    key_secret: String,
}

impl OpenAiText {
    /// The model `model` at `base`, its key read from the secret `key_secret` on each call
    /// (the secrets port caches it), every call bounded by `timeout`.
    pub fn new(
        base: &str,
        model: &str,
        secrets: Arc<dyn Secrets>,
        key_secret: &str,
        timeout: Duration,
    ) -> Result<Self> {
        Ok(OpenAiText {
            http: Https::new(timeout)?,
            base: base.trim_end_matches('/').to_owned(),
            model: model.to_owned(),
            secrets,
            key_secret: key_secret.to_owned(),
        })
    }
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<TokenUsage>,
}

#[derive(Deserialize)]
struct Choice {
    message: Message,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    refusal: Option<String>,
}

#[derive(Deserialize)]
struct TokenUsage {
    #[serde(default)]
    prompt_tokens: u64,
    #[serde(default)]
    completion_tokens: u64,
}

#[async_trait]
impl TextModel for OpenAiText {
    fn info(&self) -> ModelInfo {
        ModelInfo {
            id: self.model.clone(),
            offline: false,
            description: format!(
                "{} via the OpenAI-compatible API at {}",
                self.model, self.base
            ),
        }
    }

    async fn generate(&self, request: &TextRequest) -> Result<TextResponse> {
        let mut body = json!({
            "model": self.model,
            "messages": [
                {"role": "system", "content": request.system},
                {"role": "user", "content": request.prompt},
            ],
            "max_tokens": request.max_tokens,
            "seed": request.seed,
            "temperature": 0.8,
        });
        if request.json {
            body["response_format"] = json!({"type": "json_object"});
        }
        let key = bearer(self.secrets.as_ref(), &self.key_secret).await?;
        let provider = &self.model;
        let url = format!("{}/chat/completions", self.base);
        let answer = self
            .http
            .post_json(&url, key.as_deref(), &body)
            .await
            .map_err(|e| from_transport(provider, e))?;
        let (status, text) = (answer.status, answer.body);
        if !(200..300).contains(&status) {
            return Err(from_status(provider, status, &text, &self.key_secret));
        }
        let completion: Completion =
            serde_json::from_str(&text).map_err(|e| garbled(provider, "a chat completion", e))?;
        let usage = Usage {
            calls: 1,
            input_tokens: completion.usage.as_ref().map_or(0, |u| u.prompt_tokens),
            output_tokens: completion.usage.as_ref().map_or(0, |u| u.completion_tokens),
            images: 0,
        };
        let choice = completion
            .choices
            .into_iter()
            .next()
            .ok_or_else(|| garbled(provider, "a chat completion", "no choices"))?;
        if choice.finish_reason.as_deref() == Some("content_filter") {
            return Err(Error::PolicyBlocked(format!(
                "{provider}'s content filter stopped the reply"
            )));
        }
        if let Some(refusal) = choice.message.refusal.filter(|r| !r.is_empty()) {
            return Err(Error::PolicyBlocked(format!(
                "{provider} refused: {refusal}"
            )));
        }
        let text = choice
            .message
            .content
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| garbled(provider, "a chat completion", "an empty reply"))?;
        Ok(TextResponse { text, usage })
    }
}
