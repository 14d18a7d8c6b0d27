//! Amazon Bedrock's Converse API behind the text port: one request shape for every text
//! model Bedrock hosts (Nova, Claude, Llama…), with token usage in every answer. Credentials
//! are the function's role; nothing is read from a secret.

use crate::error::code;
use async_trait::async_trait;
use aws_sdk_bedrockruntime::error::{DisplayErrorContext, SdkError};
use aws_sdk_bedrockruntime::types::{
    ContentBlock, ConversationRole, InferenceConfiguration, Message, StopReason, SystemContentBlock,
};
use storyloom_domain::ports::{ModelInfo, TextModel, TextRequest, TextResponse, Usage};
use storyloom_domain::{Error, Result};

/// Error codes Bedrock answers when trying again later may work.
const TRANSIENT: &[&str] = &[
    "ThrottlingException",
    "ServiceUnavailableException",
    "InternalServerException",
    "ModelTimeoutException",
    "ModelNotReadyException",
    "ServiceQuotaExceededException",
];

/// A Bedrock text model, by id ("amazon.nova-lite-v1:0").
#[derive(Clone, Debug)]
pub struct BedrockText {
    client: aws_sdk_bedrockruntime::Client,
    model: String,
}

impl BedrockText {
    /// A model behind `client`.
    pub fn new(client: aws_sdk_bedrockruntime::Client, model: &str) -> Self {
        BedrockText {
            client,
            model: model.to_owned(),
        }
    }
}

/// Classifies a Bedrock error: throttling, 5xx, timeouts and lost connections are
/// transient; a content filter's refusal is a policy block; the rest is permanent.
pub(crate) fn classify<E, R>(model: &str, e: SdkError<E, R>) -> Error
where
    E: aws_sdk_bedrockruntime::error::ProvideErrorMetadata
        + std::error::Error
        + Send
        + Sync
        + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let detail = format!("Bedrock {model}: {}", DisplayErrorContext(&e));
    if matches!(
        e,
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_)
    ) || code(&e).is_some_and(|c| TRANSIENT.contains(&c))
    {
        return Error::Transient(detail);
    }
    // Image models refuse with a ValidationException that names the content filters.
    let lower = detail.to_lowercase();
    if lower.contains("content filter") || lower.contains("responsible ai") {
        return Error::PolicyBlocked(detail);
    }
    Error::Permanent(detail)
}

#[async_trait]
impl TextModel for BedrockText {
    fn info(&self) -> ModelInfo {
        ModelInfo {
            id: self.model.clone(),
            offline: false,
            description: format!("{} on Amazon Bedrock (Converse API)", self.model),
        }
    }

    async fn generate(&self, request: &TextRequest) -> Result<TextResponse> {
        let mut prompt = request.prompt.clone();
        if request.json {
            // Converse has no JSON mode; the plan's parser takes the object out of any
            // surrounding words, so asking plainly is enough.
            prompt.push_str("\nReply with the JSON object only.");
        }
        let message = Message::builder()
            .role(ConversationRole::User)
            .content(ContentBlock::Text(prompt))
            .build()
            .map_err(|e| Error::Permanent(format!("Bedrock request: {e}")))?;
        let config = InferenceConfiguration::builder()
            .max_tokens(i32::try_from(request.max_tokens).unwrap_or(i32::MAX))
            .temperature(0.7)
            .build();
        let output = self
            .client
            .converse()
            .model_id(&self.model)
            .system(SystemContentBlock::Text(request.system.clone()))
            .messages(message)
            .inference_config(config)
            .send()
            .await
            .map_err(|e| classify(&self.model, e))?;
        if matches!(
            output.stop_reason(),
            StopReason::ContentFiltered | StopReason::GuardrailIntervened
        ) {
            return Err(Error::PolicyBlocked(format!(
                "Bedrock {} stopped: {}",
                self.model,
                output.stop_reason().as_str()
            )));
        }
        let text: String = output
            .output()
            .and_then(|o| o.as_message().ok())
            .map(|m| {
                m.content()
                    .iter()
                    .filter_map(|b| b.as_text().ok())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("")
            })
            .unwrap_or_default();
        if text.trim().is_empty() {
            return Err(Error::Transient(format!(
                "Bedrock {} returned no text",
                self.model
            )));
        }
        let usage = output.usage().map_or(
            Usage {
                calls: 1,
                ..Usage::default()
            },
            |u| Usage {
                calls: 1,
                input_tokens: u64::try_from(u.input_tokens()).unwrap_or(0),
                output_tokens: u64::try_from(u.output_tokens()).unwrap_or(0),
                images: 0,
            },
        );
        Ok(TextResponse { text, usage })
    }
}
