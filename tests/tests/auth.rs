//! Every `/v1` request needs a bearer token the local stack verifies: each way a token can
//! be wrong is a 401 problem, and nothing else (a header, the body) can name the caller.

mod common;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use serde_json::{Value, json};
use storyloom_http::auth::{AUDIENCE, LOCAL_ISSUER};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_bad_token_is_a_401_problem() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), false).await;
    let key = signing_key(&stack).await;
    let key = key.as_slice();
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims(json!({})).to_string())
    );
    let cases: Vec<(&str, Option<String>)> = vec![
        ("no token", None),
        ("garbage", Some("not-a-jwt".into())),
        (
            "expired",
            Some(signed(
                key,
                &claims(json!({"exp": now() - 3600, "nbf": now() - 7200})),
            )),
        ),
        (
            "not yet valid",
            Some(signed(
                key,
                &claims(json!({"nbf": now() + 3600, "exp": now() + 7200})),
            )),
        ),
        (
            "wrongly signed",
            Some(signed(
                b"another-key-another-key-another-k",
                &claims(json!({})),
            )),
        ),
        ("alg none", Some(unsigned)),
        (
            "wrong audience",
            Some(signed(key, &claims(json!({"aud": "someone-else"})))),
        ),
        (
            "wrong issuer",
            Some(signed(key, &claims(json!({"iss": "https://evil.example"})))),
        ),
        (
            "no subject",
            Some(signed(
                key,
                &json!({"iss": LOCAL_ISSUER, "aud": AUDIENCE, "nbf": now(), "exp": now() + 600}),
            )),
        ),
        (
            "unusable subject",
            Some(signed(key, &claims(json!({"sub": "../etc"})))),
        ),
    ];
    let http = storyloom_tests::http();
    for (case, token) in cases {
        let mut request = http
            .get(format!("{base}/v1/characters"))
            .header("x-owner-id", OWNER);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 401, "{case}");
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{case}"
        );
        assert!(r.headers().contains_key("www-authenticate"), "{case}");
        let body: Value = r.json().await.unwrap();
        assert!(
            body["detail"].as_str().is_some_and(|d| d.len() > 10),
            "{case}: {body}"
        );
    }
    // A good token signed with the same key passes, and names its own subject only.
    let good = signed(key, &claims(json!({})));
    let r = http
        .get(format!("{base}/v1/characters"))
        .bearer_auth(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_signing_key_survives_a_restart_so_tokens_stay_valid() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, _) = start(dir.path(), false).await;
    let token = stack.token(OWNER).unwrap();
    stack.stop().await;
    let (stack, base) = start(dir.path(), false).await;
    let r = storyloom_tests::http()
        .get(format!("{base}/v1/books"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    stack.stop().await;
}
