//! What the `storyloom` command runs: the local stack (the API and every pipeline worker
//! in one process, over the embedded adapters and the offline models) and the operator's
//! tools. The command's arguments are in the binary's `commands/`, one module each.

#[cfg(feature = "aws")]
pub mod aws_mode;
pub mod backup;
pub mod bench;
pub mod chaos;
pub mod client;
pub mod demo;
pub mod doctor;
#[cfg(feature = "aws")]
pub mod driver;
pub mod local_llm;
#[cfg(feature = "aws")]
pub mod publish_web;
pub mod review_book;
pub mod runtime_api;
pub mod schedule;
pub mod stack;

pub use stack::LocalStack;

/// The token authority of the stack named after `prefix` on the AWS API `endpoint` (its
/// signing key is created in Secrets Manager on first use).
#[cfg(feature = "aws")]
pub async fn aws_authority(
    endpoint: &str,
    prefix: &str,
) -> anyhow::Result<storyloom_http::TokenAuthority> {
    aws_mode::authority(endpoint, prefix).await
}

/// Without the AWS adapters there is no AWS stack to sign for.
#[cfg(not(feature = "aws"))]
pub async fn aws_authority(
    _endpoint: &str,
    _prefix: &str,
) -> anyhow::Result<storyloom_http::TokenAuthority> {
    anyhow::bail!(WITHOUT_AWS)
}

/// What every AWS-only command answers in a build without the AWS adapters.
#[cfg(not(feature = "aws"))]
pub const WITHOUT_AWS: &str = "this storyloom was built without the AWS adapters; build it \
     with `cargo run -p storyloom-cli --features aws -- ...`";
