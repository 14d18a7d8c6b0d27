//! One OpenAI-compatible API as both adapters call it: where it is, which model, which
//! key; a call posts JSON and returns a 2xx body, or the failure classified.

use crate::failure::{from_status, from_transport};
use crate::https::{Answer, Https, bearer};
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::Result;
use storyloom_domain::ports::{ModelInfo, Secrets};

pub(crate) struct Api {
    http: Https,
    /// The API root, e.g. `https://api.openai.com/v1` (no trailing slash).
    base: String,
    pub(crate) model: String,
    secrets: Arc<dyn Secrets>,
    key_secret: String,
}

impl Api {
    pub(crate) fn new(
        base: &str,
        model: &str,
        secrets: Arc<dyn Secrets>,
        key_secret: &str,
        timeout: Duration,
    ) -> Result<Self> {
        Ok(Api {
            http: Https::new(timeout)?,
            base: base.trim_end_matches('/').to_owned(),
            model: model.to_owned(),
            secrets,
            key_secret: key_secret.to_owned(),
        })
    }

    /// The model as readers see it.
    pub(crate) fn info(&self) -> ModelInfo {
        ModelInfo {
            id: self.model.clone(),
            offline: false,
            description: format!(
                "{} via the OpenAI-compatible API at {}",
                self.model, self.base
            ),
        }
    }

    /// POSTs `body` to `{base}/{path}` with the key from the secrets port (none when the
    /// secret is not set); the body of a 2xx answer, else the failure classified.
    pub(crate) async fn post(&self, path: &str, body: &serde_json::Value) -> Result<String> {
        let answer = self.call(path, body).await?;
        self.accept(answer)
    }

    /// POSTs like [`Api::post`], handing back any answer the server gave; only a call
    /// that got none is an error.
    pub(crate) async fn call(&self, path: &str, body: &serde_json::Value) -> Result<Answer> {
        let key = bearer(self.secrets.as_ref(), &self.key_secret).await?;
        let url = format!("{}/{path}", self.base);
        self.http
            .post_json(&url, key.as_deref(), body)
            .await
            .map_err(|e| from_transport(&self.model, e))
    }

    /// The body of a 2xx answer, else the failure classified.
    pub(crate) fn accept(&self, answer: Answer) -> Result<String> {
        if !(200..300).contains(&answer.status) {
            return Err(from_status(
                &self.model,
                answer.status,
                &answer.body,
                &self.key_secret,
            ));
        }
        Ok(answer.body)
    }
}
