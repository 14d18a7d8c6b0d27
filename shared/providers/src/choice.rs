//! Which models a process uses, from its configuration:
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `TEXT_MODEL` | `offline`, `openai`, `bedrock` or `local-llm` (the local stack only) | `offline` |
//! | `IMAGE_MODEL` | `offline`, `openai` or `bedrock` | `offline` |
//! | `BEDROCK_TEXT_MODEL` | the Bedrock text model (Converse) | `amazon.nova-lite-v1:0` |
//! | `BEDROCK_IMAGE_MODEL` | the Bedrock image model (Nova Canvas or Titan v2) | `amazon.nova-canvas-v1:0` |
//! | `OPENAI_BASE_URL` | the OpenAI-compatible API root | `https://api.openai.com/v1` |
//! | `OPENAI_TEXT_MODEL` | the chat model | `gpt-4o-mini` |
//! | `OPENAI_IMAGE_MODEL` | the image model | `gpt-image-1` |
//! | `MODEL_TIMEOUT_SECS` | the longest one call may take | `120` |
//!
//! The OpenAI key is the secret [`KEY_SECRET`], read through the secrets port, never a
//! variable; Bedrock is reached with the function's own role. Bedrock's adapters live with
//! the other AWS adapters, so [`ModelChoice::text_model`] leaves them to the AWS wiring.

use crate::{OpenAiImages, OpenAiText};
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::Result;
use storyloom_domain::config::{ConfigErrors, ConfigProblem, ConfigSource, Problems, check_url};
use storyloom_domain::ports::{ImageModel, Secrets, TextModel};

/// The secret holding the managed provider's API key (`storyloom/<stage>/model-provider`
/// on AWS, `model-provider` in the local secrets file).
pub const KEY_SECRET: &str = "model-provider";

/// Where a kind of model comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Storyloom's built-in offline models.
    Offline,
    /// An OpenAI-compatible server.
    OpenAi,
    /// Amazon Bedrock, with the process's AWS credentials.
    Bedrock,
    /// SmolLM2 on this machine's CPU (text only; the local stack built with the
    /// `local-llm` feature loads it).
    LocalLlm,
}

impl Provider {
    fn parse(key: &str, raw: &str) -> std::result::Result<Provider, ConfigProblem> {
        match raw.trim() {
            "offline" => Ok(Provider::Offline),
            "openai" => Ok(Provider::OpenAi),
            "bedrock" => Ok(Provider::Bedrock),
            "local-llm" if key == "TEXT_MODEL" => Ok(Provider::LocalLlm),
            other => Err(ConfigProblem::new(
                key,
                if key == "TEXT_MODEL" {
                    format!("must be `offline`, `openai`, `bedrock` or `local-llm`, not {other:?}")
                } else {
                    format!("must be `offline`, `openai` or `bedrock`, not {other:?}")
                },
            )),
        }
    }
}

/// The models a process uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelChoice {
    pub text: Provider,
    pub image: Provider,
    pub base_url: String,
    pub text_model: String,
    pub image_model: String,
    pub bedrock_text_model: String,
    pub bedrock_image_model: String,
    pub timeout: Duration,
}

impl Default for ModelChoice {
    /// The offline models.
    fn default() -> Self {
        ModelChoice {
            text: Provider::Offline,
            image: Provider::Offline,
            base_url: "https://api.openai.com/v1".into(),
            text_model: "gpt-4o-mini".into(),
            image_model: "gpt-image-1".into(),
            bedrock_text_model: "amazon.nova-lite-v1:0".into(),
            bedrock_image_model: "amazon.nova-canvas-v1:0".into(),
            timeout: Duration::from_secs(120),
        }
    }
}

impl ModelChoice {
    /// Reads the variables in the module's table; every problem is reported at once.
    pub fn from_config(source: &ConfigSource) -> std::result::Result<Self, ConfigErrors> {
        let mut choice = ModelChoice::default();
        let mut problems = Problems::default();
        for (key, slot) in [
            ("TEXT_MODEL", &mut choice.text),
            ("IMAGE_MODEL", &mut choice.image),
        ] {
            if let Some(raw) = source.get(key) {
                match Provider::parse(key, &raw) {
                    Ok(p) => *slot = p,
                    Err(p) => problems.push(p),
                }
            }
        }
        if let Some(url) = source.get("OPENAI_BASE_URL") {
            match check_url("OPENAI_BASE_URL", &url) {
                Ok(()) => choice.base_url = url,
                Err(p) => problems.push(p),
            }
        }
        for (key, slot) in [
            ("OPENAI_TEXT_MODEL", &mut choice.text_model),
            ("OPENAI_IMAGE_MODEL", &mut choice.image_model),
            ("BEDROCK_TEXT_MODEL", &mut choice.bedrock_text_model),
            ("BEDROCK_IMAGE_MODEL", &mut choice.bedrock_image_model),
        ] {
            if let Some(raw) = source.get(key) {
                if raw.trim().is_empty() {
                    problems.push(ConfigProblem::new(key, "must name a model"));
                } else {
                    *slot = raw.trim().to_owned();
                }
            }
        }
        if let Some(raw) = source.get("MODEL_TIMEOUT_SECS") {
            match raw.trim().parse::<u64>() {
                Ok(s) if (1..=900).contains(&s) => choice.timeout = Duration::from_secs(s),
                _ => problems.push(ConfigProblem::new(
                    "MODEL_TIMEOUT_SECS",
                    format!("must be a whole number of seconds from 1 to 900, not {raw:?}"),
                )),
            }
        }
        problems.finish(|| Some(choice))
    }

    /// The text model, in words (for `storyloom doctor`).
    pub fn describe_text(&self) -> String {
        self.describe(self.text, &self.text_model, &self.bedrock_text_model)
    }

    /// The image model, in words.
    pub fn describe_image(&self) -> String {
        self.describe(self.image, &self.image_model, &self.bedrock_image_model)
    }

    fn describe(&self, provider: Provider, openai: &str, bedrock: &str) -> String {
        match provider {
            Provider::Offline => "offline (built in)".into(),
            Provider::OpenAi => format!("{openai} at {}", self.base_url),
            Provider::Bedrock => format!("{bedrock} on Amazon Bedrock"),
            Provider::LocalLlm => "SmolLM2-135M-Instruct on this machine's CPU".into(),
        }
    }

    /// The managed text model chosen, or `None` for the offline one.
    pub fn text_model(&self, secrets: Arc<dyn Secrets>) -> Result<Option<Arc<dyn TextModel>>> {
        Ok(match self.text {
            Provider::Offline => None,
            Provider::LocalLlm => {
                return Err(storyloom_domain::Error::Permanent(
                    "TEXT_MODEL=local-llm runs only in the local stack built with the \
                     `local-llm` feature"
                        .into(),
                ));
            }
            Provider::Bedrock => return Err(bedrock_elsewhere()),
            Provider::OpenAi => Some(Arc::new(OpenAiText::new(
                &self.base_url,
                &self.text_model,
                secrets,
                KEY_SECRET,
                self.timeout,
            )?)),
        })
    }

    /// The managed image model chosen, or `None` for the offline one.
    pub fn image_model(&self, secrets: Arc<dyn Secrets>) -> Result<Option<Arc<dyn ImageModel>>> {
        Ok(match self.image {
            Provider::Offline | Provider::LocalLlm => None,
            Provider::Bedrock => return Err(bedrock_elsewhere()),
            Provider::OpenAi => Some(Arc::new(OpenAiImages::new(
                &self.base_url,
                &self.image_model,
                secrets,
                KEY_SECRET,
                self.timeout,
            )?)),
        })
    }
}

fn bedrock_elsewhere() -> storyloom_domain::Error {
    storyloom_domain::Error::Permanent(
        "Bedrock models are built by the AWS wiring (storyloom_aws::BedrockText and \
         BedrockImages), which has the AWS clients"
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_unless_told_otherwise_and_every_mistake_at_once() {
        assert_eq!(
            ModelChoice::from_config(&ConfigSource::of(&[])).expect("valid"),
            ModelChoice::default()
        );
        let chosen = ModelChoice::from_config(&ConfigSource::of(&[
            ("TEXT_MODEL", "openai"),
            ("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1"),
            ("OPENAI_TEXT_MODEL", "llama3.2"),
        ]))
        .expect("valid");
        assert_eq!(chosen.text, Provider::OpenAi);
        assert_eq!(chosen.image, Provider::Offline);
        assert_eq!(chosen.text_model, "llama3.2");
        let e = ModelChoice::from_config(&ConfigSource::of(&[
            ("TEXT_MODEL", "gpt"),
            ("OPENAI_BASE_URL", "api.openai.com"),
            ("MODEL_TIMEOUT_SECS", "0"),
        ]))
        .expect_err("three mistakes");
        let keys: Vec<_> = e.0.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            ["TEXT_MODEL", "OPENAI_BASE_URL", "MODEL_TIMEOUT_SECS"]
        );
    }
}
