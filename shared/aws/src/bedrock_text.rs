//! Amazon Bedrock's Converse API behind the text port: one request shape for every text
//! model Bedrock hosts (Nova, Claude, Llama…), with token usage in every answer. Credentials
//! are the function's role; nothing is read from a secret.

use crate::error::is_transient;
use async_trait::async_trait;
use aws_sdk_bedrockruntime::config::http::HttpResponse;
use aws_sdk_bedrockruntime::error::{DisplayErrorContext, SdkError};
use aws_sdk_bedrockruntime::operation::converse::{ConverseError, ConverseOutput};
use aws_sdk_bedrockruntime::types::{
    ContentBlock, ConversationRole, InferenceConfiguration, JsonSchemaDefinition, Message,
    OutputConfig, OutputFormat, OutputFormatStructure, OutputFormatType, StopReason,
    SystemContentBlock,
};
use std::sync::Arc;
use storyloom_domain::ports::{ModelInfo, TextModel, TextRequest, TextResponse, Usage};
use storyloom_domain::structured_output::SchemaSupport;
use storyloom_domain::{Error, Result};

/// A Bedrock text model, by id ("amazon.nova-lite-v1:0").
#[derive(Clone, Debug)]
pub struct BedrockText {
    client: aws_sdk_bedrockruntime::Client,
    model: String,
    /// Whether the model takes a JSON Schema for its reply; once it refuses, plans are
    /// asked for in words. Shared by clones, which call the same model.
    schemas: Arc<SchemaSupport>,
}

impl BedrockText {
    /// A model behind `client`.
    pub fn new(client: aws_sdk_bedrockruntime::Client, model: &str) -> Self {
        BedrockText {
            client,
            model: model.to_owned(),
            schemas: Arc::new(SchemaSupport::default()),
        }
    }

    /// One Converse call; with `schema`, the reply is held to it.
    async fn converse(
        &self,
        request: &TextRequest,
        schema: Option<&str>,
    ) -> std::result::Result<ConverseOutput, SdkError<ConverseError, HttpResponse>> {
        let mut prompt = request.prompt.clone();
        if request.json && schema.is_none() {
            // Without a schema the plan's parser takes the object out of any surrounding
            // words, so asking plainly is enough.
            prompt.push_str("\nReply with the JSON object only.");
        }
        let message = Message::builder()
            .role(ConversationRole::User)
            .content(ContentBlock::Text(prompt))
            .build()
            .map_err(SdkError::construction_failure)?;
        let config = InferenceConfiguration::builder()
            .max_tokens(i32::try_from(request.max_tokens).unwrap_or(i32::MAX))
            .temperature(0.7)
            .build();
        let output_config = match schema {
            Some(schema) => Some(
                OutputConfig::builder()
                    .text_format(
                        OutputFormat::builder()
                            .r#type(OutputFormatType::JsonSchema)
                            .structure(OutputFormatStructure::JsonSchema(
                                JsonSchemaDefinition::builder()
                                    .name("reply")
                                    .schema(schema)
                                    .build()
                                    .map_err(SdkError::construction_failure)?,
                            ))
                            .build()
                            .map_err(SdkError::construction_failure)?,
                    )
                    .build(),
            ),
            None => None,
        };
        self.client
            .converse()
            .model_id(&self.model)
            .system(SystemContentBlock::Text(request.system.clone()))
            .messages(message)
            .inference_config(config)
            .set_output_config(output_config)
            .send()
            .await
    }
}

/// Classifies a Bedrock error: what is transient for every AWS service is transient; a
/// content filter's refusal is a policy block; the rest is permanent.
pub(crate) fn classify<E>(model: &str, e: SdkError<E, HttpResponse>) -> Error
where
    E: aws_sdk_bedrockruntime::error::ProvideErrorMetadata
        + std::error::Error
        + Send
        + Sync
        + 'static,
{
    let detail = format!("Bedrock {model}: {}", DisplayErrorContext(&e));
    if is_transient(&e) {
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
        let schema = self.schemas.schema_for(request);
        let output = match self.converse(request, schema).await {
            // Not every Bedrock model takes a schema, and the refusal is a validation
            // error (as is a content filter's, which stands); asked again in words, a
            // model that works is remembered as such.
            Err(e)
                if schema.is_some()
                    && e.as_service_error()
                        .is_some_and(ConverseError::is_validation_exception) =>
            {
                let refused = classify(&self.model, e);
                if matches!(refused, Error::PolicyBlocked(_)) {
                    return Err(refused);
                }
                let output = self
                    .converse(request, None)
                    .await
                    .map_err(|e| classify(&self.model, e))?;
                tracing::warn!(model = %self.model, %refused, "the model takes no JSON Schema; asking in words from now on");
                self.schemas.refused();
                output
            }
            other => other.map_err(|e| classify(&self.model, e))?,
        };
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
