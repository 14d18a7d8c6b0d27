//! `TextModel` on an OpenAI-compatible chat-completions API: `POST {base}/chat/completions`.

use crate::api::Api;
use crate::failure::garbled;
use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::ports::{ModelInfo, Secrets, TextModel, TextRequest, TextResponse, Usage};
use storyloom_domain::structured_output::SchemaSupport;
use storyloom_domain::{Error, Result};

/// A chat model on an OpenAI-compatible server.
pub struct OpenAiText {
    api: Api,
    /// Whether the server takes `json_schema` structured output; once it refuses, JSON mode
    /// is used instead.
    schemas: SchemaSupport,
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
            api: Api::new(base, model, secrets, key_secret, timeout)?,
            schemas: SchemaSupport::default(),
        })
    }

    /// The chat-completions request; with `schema`, the reply is held to it, else a JSON
    /// task gets JSON mode.
    fn body(&self, request: &TextRequest, schema: Option<&str>) -> Result<serde_json::Value> {
        let mut body = json!({
            "model": self.api.model,
            "messages": [
                {"role": "system", "content": request.system},
                {"role": "user", "content": request.prompt},
            ],
            "max_tokens": request.max_tokens,
            "seed": request.seed,
            "temperature": 0.8,
        });
        match schema {
            Some(schema) => {
                let schema: serde_json::Value = serde_json::from_str(schema)
                    .map_err(|e| Error::Permanent(format!("the reply's JSON Schema: {e}")))?;
                body["response_format"] = json!({
                    "type": "json_schema",
                    "json_schema": {"name": "reply", "strict": true, "schema": schema},
                });
            }
            None if request.json => body["response_format"] = json!({"type": "json_object"}),
            None => {}
        }
        Ok(body)
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
        self.api.info()
    }

    async fn generate(&self, request: &TextRequest) -> Result<TextResponse> {
        let schema = self.schemas.schema_for(request);
        let mut answer = self
            .api
            .call("chat/completions", &self.body(request, schema)?)
            .await?;
        if schema.is_some() && answer.status == 400 {
            // Servers without structured output refuse the schema; JSON mode is asked for
            // instead, and a server that then answers is remembered as such. A content
            // filter's 400 is no refused schema.
            let refused = match self.api.accept(answer) {
                Err(e @ Error::PolicyBlocked(_)) => return Err(e),
                Err(e) => e.to_string(),
                Ok(body) => body,
            };
            answer = self
                .api
                .call("chat/completions", &self.body(request, None)?)
                .await?;
            if (200..300).contains(&answer.status) {
                tracing::warn!(model = %self.api.model, %refused, "the server takes no JSON Schema; using JSON mode from now on");
                self.schemas.refused();
            }
        }
        let text = self.api.accept(answer)?;
        let provider = &self.api.model;
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
