//! The HTTPS client the adapters share: hyper over rustls with aws-lc-rs and the system's
//! roots (the stack the AWS SDKs already link), every call bounded by a timeout.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::{Error, Result};

/// A JSON-over-HTTPS client (plain HTTP too, for a local vLLM or Ollama).
#[derive(Clone)]
pub(crate) struct Https {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    timeout: Duration,
}

/// An answer: its status and body.
pub(crate) struct Answer {
    pub status: u16,
    pub body: String,
}

/// Why a call got no answer.
#[derive(Debug)]
pub(crate) enum NoAnswer {
    /// Nothing within the timeout.
    Timeout,
    /// The connection failed or dropped.
    Unreachable(String),
}

impl Https {
    /// A client whose every call (connect, send, read) is bounded by `timeout`.
    pub(crate) fn new(timeout: Duration) -> Result<Self> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(provider)
            .map_err(|e| Error::Permanent(format!("cannot set up TLS: {e}")))?
            .https_or_http()
            .enable_http1()
            .build();
        Ok(Https {
            client: Client::builder(TokioExecutor::new()).build(connector),
            timeout,
        })
    }

    /// POSTs `body` as JSON to `url`, with `key` as a bearer token when given.
    pub(crate) async fn post_json(
        &self,
        url: &str,
        key: Option<&str>,
        body: &serde_json::Value,
    ) -> std::result::Result<Answer, NoAnswer> {
        let mut request = http::Request::post(url)
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(
                http::header::USER_AGENT,
                concat!("storyloom/", env!("CARGO_PKG_VERSION")),
            );
        if let Some(key) = key {
            request = request.header(http::header::AUTHORIZATION, format!("Bearer {key}"));
        }
        let request = request
            .body(Full::new(Bytes::from(body.to_string())))
            .map_err(|e| NoAnswer::Unreachable(format!("the request could not be built: {e}")))?;
        let call = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| NoAnswer::Unreachable(e.to_string()))?;
            let status = response.status().as_u16();
            let bytes = response
                .into_body()
                .collect()
                .await
                .map_err(|e| NoAnswer::Unreachable(e.to_string()))?
                .to_bytes();
            Ok(Answer {
                status,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            })
        };
        tokio::time::timeout(self.timeout, call)
            .await
            .unwrap_or(Err(NoAnswer::Timeout))
    }
}

/// The key to send, from the secrets port: `None` for a server that needs none (a local
/// vLLM or Ollama) when the secret is not set.
pub(crate) async fn bearer(
    secrets: &dyn storyloom_domain::ports::Secrets,
    name: &str,
) -> Result<Option<String>> {
    Ok(secrets
        .get(name)
        .await?
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty()))
}
