//! The HTTPS client the adapters share: reqwest over rustls with aws-lc-rs (the TLS stack
//! the AWS SDKs already link) and the system's roots, every call bounded by a timeout.

use std::sync::{Arc, OnceLock};
use std::time::Duration;
use storyloom_domain::{Error, Result};

/// A JSON-over-HTTPS client (plain HTTP too, for a local vLLM or Ollama).
#[derive(Clone)]
pub(crate) struct Https {
    client: reqwest::Client,
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
        let client = http_client()
            .timeout(timeout)
            .user_agent(concat!("storyloom/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Permanent(format!("cannot set up the HTTPS client: {e}")))?;
        Ok(Https { client })
    }

    /// POSTs `body` as JSON to `url`, with `key` as a bearer token when given.
    pub(crate) async fn post_json(
        &self,
        url: &str,
        key: Option<&str>,
        body: &serde_json::Value,
    ) -> std::result::Result<Answer, NoAnswer> {
        let mut request = self.client.post(url).json(body);
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.map_err(no_answer)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(no_answer)?;
        Ok(Answer {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }
}

/// The workspace's HTTP client, to build on: reqwest over rustls with aws-lc-rs and the
/// system's trusted roots. Every reqwest client in a process that links this crate must
/// come from here (or bring its own TLS configuration): reqwest's TLS is switched on for
/// all of them, and it would otherwise look for a process-wide crypto provider, which a
/// library should not install for its host.
#[allow(clippy::disallowed_methods)] // the one place clients are built from
pub fn http_client() -> reqwest::ClientBuilder {
    static TLS: OnceLock<rustls::ClientConfig> = OnceLock::new();
    reqwest::Client::builder().use_preconfigured_tls(TLS.get_or_init(tls).clone())
}

/// TLS with aws-lc-rs and the system's trusted roots.
fn tls() -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for cert in native.certs {
        // A system store can hold certificates rustls cannot parse; skip those, not all.
        let _ = roots.add(cert);
    }
    if roots.is_empty() {
        tracing::warn!(errors = ?native.errors, "no trusted root certificates found; HTTPS providers will fail");
    }
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap_or_else(|e| unreachable!("aws-lc-rs supports rustls's default versions: {e}"))
        .with_root_certificates(roots)
        .with_no_client_auth()
}

/// A transport failure as the adapters classify it.
fn no_answer(e: reqwest::Error) -> NoAnswer {
    if e.is_timeout() {
        NoAnswer::Timeout
    } else {
        NoAnswer::Unreachable(error_chain(&e))
    }
}

/// The error with its causes: reqwest's own message alone ("error sending request") does
/// not say what went wrong.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
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
