//! The HTTPS client the adapters share.

use std::time::Duration;
use storyloom_domain::{Error, Result};

/// How long a connection may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client whose whole request (connect, send, read) is bounded by `timeout`.
pub(crate) fn client(timeout: Duration) -> Result<reqwest::Client> {
    // reqwest is built without a crypto provider of its own: the process uses aws-lc-rs,
    // the one the AWS SDKs already link. Installing it twice is harmless.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(CONNECT_TIMEOUT.min(timeout))
        .user_agent(concat!("storyloom/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::Permanent(format!("cannot build the HTTPS client: {e}")))
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
