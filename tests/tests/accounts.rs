//! Local accounts through the HTTP API: sign up, cookie sessions with CSRF protection,
//! throttled sign-in, sign out, password change revoking other sessions, a stranger seeing
//! nothing, and closing an account with its characters and books.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};

/// A browser: one session cookie and the CSRF token that came with it.
struct Browser {
    http: reqwest::Client,
    base: String,
    cookie: Option<String>,
    csrf: Option<String>,
}

impl Browser {
    fn new(base: &str) -> Self {
        Browser {
            http: storyloom_tests::http(),
            base: base.to_owned(),
            cookie: None,
            csrf: None,
        }
    }

    async fn send(&mut self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        if let Some(csrf) = &self.csrf {
            request = request.header("x-csrf-token", csrf);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let r = request.send().await.expect("request");
        let status = r.status().as_u16();
        if status >= 400 {
            assert_eq!(
                r.headers()["content-type"],
                "application/problem+json",
                "{path}"
            );
        }
        if let Some(set) = r.headers().get("set-cookie") {
            let set = set.to_str().expect("text");
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
                assert!(set.contains(attribute), "{set} lacks {attribute}");
            }
            let pair = set.split(';').next().expect("a name=value pair").to_owned();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
        let body: Value = r.json().await.unwrap_or(Value::Null);
        if let Some(csrf) = body["csrf"].as_str() {
            self.csrf = Some(csrf.to_owned());
        }
        (status, body)
    }
}

fn character(name: &str) -> Value {
    json!({"name": name, "kind": "hedgehog", "visual_description": "a small brown hedgehog with a red scarf", "traits": ["brave"]})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_signs_up_works_signs_out_and_signs_back_in() {
    let dir = tempfile::tempdir().unwrap();
    let (_stack, base) = start(dir.path(), false).await;
    let mut ana = Browser::new(&base);

    let (status, body) = ana
        .send(
            Method::POST,
            "/v1/account",
            Some(json!({"login": "Ana@Example.org", "password": "short"})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["field"], "password");

    let (status, body) = ana
        .send(
            Method::POST,
            "/v1/account",
            Some(json!({"login": "Ana@Example.org", "password": "correct horse battery"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["login"], "ana@example.org");
    let owner = body["owner"].as_str().unwrap().to_owned();
    assert_eq!(
        owner, "ana@example.org",
        "the login is the owner id others share with"
    );

    // The session is the same verified owner the API already knows.
    let (status, _) = ana
        .send(Method::POST, "/v1/characters", Some(character("Hazel")))
        .await;
    assert_eq!(status, 201);
    let (status, body) = ana.send(Method::GET, "/v1/characters", None).await;
    assert_eq!(status, 200);
    assert_eq!(body["items"][0]["owner"], owner.as_str());

    // A forged cross-site request carries the cookie but not the CSRF token.
    let csrf = ana.csrf.take();
    let (status, body) = ana
        .send(Method::POST, "/v1/characters", Some(character("Moss")))
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("X-CSRF-Token"));
    let (status, _) = ana.send(Method::GET, "/v1/characters", None).await;
    assert_eq!(status, 200, "reads need no CSRF token");
    ana.csrf = csrf;

    // The login is taken.
    let mut other = Browser::new(&base);
    let (status, body) = other
        .send(
            Method::POST,
            "/v1/account",
            Some(json!({"login": "ana@example.org", "password": "another password"})),
        )
        .await;
    assert_eq!(status, 409, "{body}");

    let (status, _) = ana.send(Method::DELETE, "/v1/session", None).await;
    assert_eq!(status, 204);
    assert!(ana.cookie.is_none(), "signing out clears the cookie");
    let (status, _) = ana.send(Method::GET, "/v1/characters", None).await;
    assert_eq!(status, 401);

    let (status, body) = ana
        .send(
            Method::POST,
            "/v1/session",
            Some(json!({"login": "ana@example.org", "password": "wrong password"})),
        )
        .await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = ana
        .send(
            Method::POST,
            "/v1/session",
            Some(json!({"login": "ANA@example.org", "password": "correct horse battery"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = ana.send(Method::GET, "/v1/session", None).await;
    assert_eq!(
        (status, body["owner"].as_str()),
        (200, Some(owner.as_str()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_throttled_per_account() {
    let dir = tempfile::tempdir().unwrap();
    let (_stack, base) = start(dir.path(), false).await;
    let mut ana = Browser::new(&base);
    ana.send(
        Method::POST,
        "/v1/account",
        Some(json!({"login": "ana", "password": "correct horse battery"})),
    )
    .await;
    let mut guesser = Browser::new(&base);
    for _ in 0..5 {
        let (status, _) = guesser
            .send(
                Method::POST,
                "/v1/session",
                Some(json!({"login": "ana", "password": "guess guess"})),
            )
            .await;
        assert_eq!(status, 401);
    }
    let r = storyloom_tests::http()
        .post(format!("{base}/v1/session"))
        .json(&json!({"login": "ana", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429, "even the right password waits");
    assert!(r.headers().contains_key("retry-after"));
    let (status, _) = Browser::new(&base)
        .send(
            Method::POST,
            "/v1/session",
            Some(json!({"login": "bob", "password": "whatever 123"})),
        )
        .await;
    assert_eq!(status, 401, "another account is not held up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_ends_other_sessions_and_a_stranger_sees_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_stack, base) = start(dir.path(), false).await;
    let mut laptop = Browser::new(&base);
    laptop
        .send(
            Method::POST,
            "/v1/account",
            Some(json!({"login": "ana", "password": "correct horse battery"})),
        )
        .await;
    let mut phone = Browser::new(&base);
    let (status, _) = phone
        .send(
            Method::POST,
            "/v1/session",
            Some(json!({"login": "ana", "password": "correct horse battery"})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, c) = laptop
        .send(Method::POST, "/v1/characters", Some(character("Hazel")))
        .await;
    let c = c["id"].as_str().unwrap().to_owned();

    let mut stranger = Browser::new(&base);
    stranger
        .send(
            Method::POST,
            "/v1/account",
            Some(json!({"login": "sam", "password": "another password"})),
        )
        .await;
    let (status, _) = stranger
        .send(Method::GET, &format!("/v1/characters/{c}"), None)
        .await;
    assert_eq!(status, 404);
    let (_, listed) = stranger.send(Method::GET, "/v1/characters", None).await;
    assert_eq!(listed["items"], json!([]));

    let (status, body) = laptop
        .send(
            Method::PUT,
            "/v1/account/password",
            Some(json!({"current_password": "wrong one!", "new_password": "a new long password"})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = laptop
        .send(Method::PUT, "/v1/account/password", Some(json!({"current_password": "correct horse battery", "new_password": "a new long password"})))
        .await;
    assert_eq!(status, 200);
    let (status, _) = laptop.send(Method::GET, "/v1/characters", None).await;
    assert_eq!(status, 200, "the session that changed it goes on");
    let (status, _) = phone.send(Method::GET, "/v1/characters", None).await;
    assert_eq!(status, 401, "every other session ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_an_account_deletes_its_books_and_characters() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let mut ana = Browser::new(&base);
    let (_, me) = ana
        .send(
            Method::POST,
            "/v1/account",
            Some(json!({"login": "ana", "password": "correct horse battery"})),
        )
        .await;
    let (_, c) = ana
        .send(Method::POST, "/v1/characters", Some(character("Hazel")))
        .await;
    let (status, book) = ana
        .send(Method::POST, "/v1/books", Some(json!({"premise": "A brave hedgehog who is afraid of the dark", "age_band": "3-5", "page_count": 4, "art_style": "watercolour", "cast": [c["id"]]})))
        .await;
    assert_eq!(status, 202, "{book}");

    let (status, _) = ana
        .send(
            Method::DELETE,
            "/v1/account",
            Some(json!({"password": "not it at all"})),
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = ana
        .send(
            Method::DELETE,
            "/v1/account",
            Some(json!({"password": "correct horse battery"})),
        )
        .await;
    assert_eq!(status, 204);

    let owner = storyloom_domain::OwnerId::parse(me["owner"].as_str().unwrap()).unwrap();
    assert!(
        stack
            .ports
            .store
            .list_characters(&owner)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        stack
            .ports
            .store
            .list_books(&owner)
            .await
            .unwrap()
            .is_empty()
    );
    let (status, _) = ana
        .send(
            Method::POST,
            "/v1/session",
            Some(json!({"login": "ana", "password": "correct horse battery"})),
        )
        .await;
    assert_eq!(status, 401, "the account is gone");
    let (status, _) = Browser::new(&base)
        .send(
            Method::POST,
            "/v1/account",
            Some(json!({"login": "ana", "password": "a fresh start 1"})),
        )
        .await;
    assert_eq!(status, 201, "the login is free again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_secure_when_the_browser_came_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let (_stack, base) = start(dir.path(), false).await;
    let http = storyloom_tests::http();
    let plain = http
        .post(format!("{base}/v1/account"))
        .json(&json!({"login": "ana", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    let cookie = plain.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        !cookie.contains("Secure"),
        "plain http cannot keep a Secure cookie: {cookie}"
    );
    let behind_tls = http
        .post(format!("{base}/v1/session"))
        .header("x-forwarded-proto", "https")
        .json(&json!({"login": "ana", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(behind_tls.status(), 200);
    let cookie = behind_tls.headers()["set-cookie"].to_str().unwrap();
    for attribute in ["Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
}
