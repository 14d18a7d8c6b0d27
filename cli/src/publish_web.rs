//! `storyloom publish-web --stack NAME`: puts the web app on a deployed stack. Reads the
//! stack's outputs, writes the app's `config.json` from them (the API, the live URL and
//! the user pool's sign-in; nothing typed by hand), and uploads it with the same files the
//! local stack serves to the stack's web bucket, behind CloudFront.

use anyhow::Context;
use aws_sdk_s3::primitives::ByteStream;
use std::collections::BTreeMap;
use storyloom_aws::AwsClients;
use storyloom_http::web_app::{FILES, WebConfig};

/// What was published.
#[derive(Debug)]
pub struct Published {
    /// Where people open the app.
    pub url: String,
    pub bucket: String,
    /// The `config.json` written.
    pub config: WebConfig,
    /// Objects uploaded, `config.json` included.
    pub files: usize,
}

/// A stack's outputs by name.
pub async fn outputs(
    cloudformation: &aws_sdk_cloudformation::Client,
    stack: &str,
) -> anyhow::Result<BTreeMap<String, String>> {
    let described = cloudformation
        .describe_stacks()
        .stack_name(stack)
        .send()
        .await
        .with_context(|| format!("reading stack {stack}"))?;
    let found = described
        .stacks()
        .first()
        .with_context(|| format!("there is no stack {stack}"))?;
    Ok(found
        .outputs()
        .iter()
        .filter_map(|o| Some((o.output_key()?.to_owned(), o.output_value()?.to_owned())))
        .collect())
}

/// Publishes the app to `stack`, with the AWS clients given (the real account, or a local
/// AWS API server in tests).
pub async fn publish(clients: &AwsClients, stack: &str) -> anyhow::Result<Published> {
    let cloudformation = aws_sdk_cloudformation::Client::new(clients.sdk_config());
    let outputs = outputs(&cloudformation, stack).await?;
    let config = WebConfig::from_stack_outputs(&outputs)?;
    let bucket = outputs
        .get("WebBucketName")
        .context("the stack has no output WebBucketName; was it deployed from this template?")?
        .clone();
    let config_json = config.to_json().into_bytes();
    let all = FILES
        .iter()
        .map(|&(path, kind, body)| (path, kind, body.to_vec()))
        .chain([("config.json", "application/json", config_json)]);
    let mut files = 0;
    for (path, kind, body) in all {
        clients
            .s3
            .put_object()
            .bucket(&bucket)
            .key(path)
            .content_type(kind)
            // Revalidated on every load, so a publish is seen at once through CloudFront.
            .cache_control("no-cache")
            .body(ByteStream::from(body))
            .send()
            .await
            .with_context(|| format!("uploading {path} to {bucket}"))?;
        files += 1;
    }
    Ok(Published {
        url: outputs.get("WebUrl").cloned().unwrap_or_default(),
        bucket,
        config,
        files,
    })
}
