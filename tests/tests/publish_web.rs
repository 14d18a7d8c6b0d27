//! `storyloom publish-web` against a real AWS API server (moto): the web app's
//! `config.json` comes from a CloudFormation stack's outputs, and the app's files land in
//! the stack's web bucket, byte for byte the ones the local stack serves.

use std::collections::BTreeMap;
use storyloom_aws::AwsClients;
use storyloom_http::web_app::FILES;
use storyloom_tests::fixture::aws::endpoint;

/// A stack with a real web bucket and the outputs the template declares (moto's
/// CloudFormation cannot build the user pool or the distribution, so their outputs are
/// stand-ins with the same shape).
const STACK: &str = r#"{
  "Resources": { "WebBucket": { "Type": "AWS::S3::Bucket" } },
  "Outputs": {
    "WebUrl": { "Value": "https://d111111abcdef8.cloudfront.net/" },
    "WebBucketName": { "Value": { "Ref": "WebBucket" } },
    "ApiUrl": { "Value": "https://abc123.execute-api.us-east-1.amazonaws.com" },
    "LiveUrl": { "Value": "wss://def456.execute-api.us-east-1.amazonaws.com/dev" },
    "SignInDomain": { "Value": "https://storyloom-dev-123456789012.auth.us-east-1.amazoncognito.com" },
    "UserPoolClientId": { "Value": "5abcdefghijklmnopqrstuvwx" }
  }
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_is_published_with_a_configuration_from_the_stacks_outputs() {
    let clients = AwsClients::for_local_endpoint(&endpoint()).await;
    let cloudformation = aws_sdk_cloudformation::Client::new(clients.sdk_config());
    let stack = format!("storyloom-web-{}", uuid::Uuid::new_v4().simple());
    cloudformation
        .create_stack()
        .stack_name(&stack)
        .template_body(STACK)
        .send()
        .await
        .expect("moto creates the stack");

    let published = storyloom_cli::publish_web::publish(&clients, &stack)
        .await
        .expect("published");
    assert_eq!(published.url, "https://d111111abcdef8.cloudfront.net/");
    assert_eq!(published.files, FILES.len() + 1);

    let get = |key: &'static str| {
        let s3 = clients.s3.clone();
        let bucket = published.bucket.clone();
        async move {
            let object = s3
                .get_object()
                .bucket(bucket)
                .key(key)
                .send()
                .await
                .expect(key);
            let kind = object.content_type().map(str::to_owned);
            let cache = object.cache_control().map(str::to_owned);
            let body = object
                .body
                .collect()
                .await
                .expect("body")
                .into_bytes()
                .to_vec();
            (kind, cache, body)
        }
    };
    let (kind, cache, body) = get("config.json").await;
    assert_eq!(kind.as_deref(), Some("application/json"));
    assert_eq!(cache.as_deref(), Some("no-cache"));
    let config: BTreeMap<String, serde_json::Value> = serde_json::from_slice(&body).unwrap();
    assert_eq!(config["auth"], "cognito");
    assert_eq!(
        config["api"],
        "https://abc123.execute-api.us-east-1.amazonaws.com"
    );
    assert_eq!(
        config["live"],
        "wss://def456.execute-api.us-east-1.amazonaws.com/dev"
    );
    assert_eq!(config["cognito"]["client_id"], "5abcdefghijklmnopqrstuvwx");
    assert_eq!(
        config["cognito"]["redirect_uri"],
        "https://d111111abcdef8.cloudfront.net/"
    );
    assert_eq!(
        config["cognito"]["domain"],
        "https://storyloom-dev-123456789012.auth.us-east-1.amazoncognito.com"
    );

    let (kind, _, body) = get("index.html").await;
    assert_eq!(kind.as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(
        body, FILES[0].2,
        "the same index.html as the local stack serves"
    );
    let (kind, _, body) = get("js/screens/reader.js").await;
    assert_eq!(kind.as_deref(), Some("text/javascript; charset=utf-8"));
    assert!(String::from_utf8(body).unwrap().contains("speechSynthesis"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stack_without_the_apps_outputs_is_refused_with_what_is_missing() {
    let clients = AwsClients::for_local_endpoint(&endpoint()).await;
    let cloudformation = aws_sdk_cloudformation::Client::new(clients.sdk_config());
    let stack = format!("storyloom-old-{}", uuid::Uuid::new_v4().simple());
    cloudformation
        .create_stack()
        .stack_name(&stack)
        .template_body(r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}, "Outputs": {"ApiUrl": {"Value": "https://x"}}}"#)
        .send()
        .await
        .expect("moto creates the stack");
    let error = storyloom_cli::publish_web::publish(&clients, &stack)
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("LiveUrl"), "{error}");
    let missing = storyloom_cli::publish_web::publish(&clients, "no-such-stack")
        .await
        .expect_err("refused");
    assert!(missing.to_string().contains("no-such-stack"), "{missing}");
}
