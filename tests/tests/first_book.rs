//! The first book end to end through HTTP on the embedded stack, plus the API's errors.

mod common;
use common::*;
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_twelve_page_book_reaches_ready_with_a_print_ready_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let http = client(&stack);
    let id = order_book(&http, &base, 12).await;
    let p = wait_for(&http, &base, &id, Duration::from_secs(300), |p| {
        p["status"] == "ready"
    })
    .await;
    assert_eq!(p["illustrations"]["done"], 12);
    assert_eq!(p["illustrations"]["failed"], 0);
    assert_eq!(p["writing"]["pages_written"], 12);
    assert_eq!(p["percent"], 100);
    check_pdf(&download_pdf(&http, &base, &id).await, 12);
    let (_, pages) = get(&http, &format!("{base}/v1/books/{id}/pages")).await;
    assert_eq!(pages["items"].as_array().unwrap().len(), 12);
    let r = http
        .get(format!("{base}/v1/books/{id}/pages/5/picture"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(&r.bytes().await.unwrap()[1..4], b"PNG");
    // Another owner sees nothing of it.
    let r = client_as(&stack, "someone-else")
        .get(format!("{base}/v1/books/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_problem_details_never_a_500() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), false).await;
    let http = client(&stack);
    let problem = |r: reqwest::Response| async move {
        let status = r.status().as_u16();
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
        (status, body)
    };
    let url = format!("{base}/v1/books");
    let (s, _) = problem(storyloom_tests::http().get(&url).send().await.unwrap()).await;
    assert_eq!(s, 401);
    let (s, b) = problem(
        http.post(&url)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 400, "{b}");
    let (s, b) = problem(
        http.post(&url)
            .json(&json!({"premise": 3}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    let (s, b) = problem(
        http.post(&url)
            .json(&json!({"premise": "tiny", "age_band": "1-2", "page_count": 99, "art_style": "oil", "cast": ["nobody"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    assert!(
        b["detail"].as_str().unwrap().contains("no saved character"),
        "{b}"
    );
    let (s, _) = problem(
        http.post(&url)
            .json(&json!({"x": "y".repeat(100_000)}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 413);
    let (s, _) = problem(
        http.get(format!("{base}/v1/books/..%2Fetc"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = problem(http.get(format!("{base}/v2/nothing")).send().await.unwrap()).await;
    assert_eq!(s, 404);
    let (s, _) = problem(http.put(&url).send().await.unwrap()).await;
    assert_eq!(s, 405);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idempotency_key_replays_the_first_response() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), false).await;
    let http = client(&stack);
    let send =
        |owner: &'static str, path: &'static str, key: &'static str, body: serde_json::Value| {
            let http = http.clone();
            let url = format!("{base}{path}");
            let token = stack.token(owner).unwrap();
            async move {
                http.post(url)
                    .bearer_auth(token)
                    .header("idempotency-key", key)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
            }
        };
    let hazel = json!({"name": "Hazel", "kind": "hedgehog", "traits": ["brave"], "visual_description": "a small brown hedgehog", "voice": "asks questions"});
    let first = send(OWNER, "/v1/characters", "key-1", hazel.clone()).await;
    assert_eq!(first.status(), 201);
    let first: serde_json::Value = first.json().await.unwrap();
    let again = send(OWNER, "/v1/characters", "key-1", hazel.clone()).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<serde_json::Value>().await.unwrap(), first);
    let (_, listed) = get(&http, &format!("{base}/v1/characters")).await;
    assert_eq!(
        listed["items"].as_array().unwrap().len(),
        1,
        "the work was done twice"
    );

    // The same key with another body is refused; another owner's key is their own.
    let otto = json!({"name": "Otto", "kind": "owl", "traits": ["wise"], "visual_description": "a grey owl", "voice": "grand"});
    let reused = send(OWNER, "/v1/characters", "key-1", otto).await;
    assert_eq!(reused.status(), 422);
    assert_eq!(reused.headers()["content-type"], "application/problem+json");
    let theirs = send("someone-else", "/v1/characters", "key-1", hazel).await;
    assert_eq!(theirs.status(), 201);
    assert_ne!(
        theirs.json::<serde_json::Value>().await.unwrap()["id"],
        first["id"]
    );

    // A repeated order makes one book and queues one write.
    let order = json!({"premise": "A hedgehog who is afraid of the dark", "age_band": "3-5", "page_count": 4, "art_style": "ink", "cast": [first["id"]]});
    let a = send(OWNER, "/v1/books", "order-1", order.clone()).await;
    let b = send(OWNER, "/v1/books", "order-1", order.clone()).await;
    let order_again = order;
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (202, 202));
    assert_eq!(a.headers()["location"], b.headers()["location"]);
    let (_, books) = get(&http, &format!("{base}/v1/books")).await;
    assert_eq!(books["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        stack
            .queue
            .depth(storyloom_domain::message::QueueName::Story)
            .await
            .unwrap(),
        1
    );
    // The first holder died after saving the book, and its claim lapsed: the retry finds the
    // book saved first instead of making a second one (and, the book being still queued,
    // hands it to the writer again in case the first holder died before it could).
    stack
        .ports
        .store
        .release_idempotency(&format!("{OWNER}:POST /v1/books:order-1"))
        .await
        .unwrap();
    let c = send(OWNER, "/v1/books", "order-1", order_again).await;
    assert_eq!(c.status(), 202);
    assert_eq!(c.headers()["location"], a.headers()["location"]);
    let (_, books) = get(&http, &format!("{base}/v1/books")).await;
    assert_eq!(
        books["items"].as_array().unwrap().len(),
        1,
        "the order was made twice"
    );

    // A failed request releases its key; a malformed key is a 400.
    let bad =
        json!({"premise": "", "age_band": "3-5", "page_count": 4, "art_style": "ink", "cast": []});
    assert_eq!(send(OWNER, "/v1/books", "order-2", bad).await.status(), 422);
    let fixed = json!({"premise": "A hedgehog who finds the moon", "age_band": "3-5", "page_count": 4, "art_style": "ink", "cast": [first["id"]]});
    assert_eq!(
        send(OWNER, "/v1/books", "order-2", fixed).await.status(),
        202
    );
    assert_eq!(
        send(OWNER, "/v1/books", "has space", json!({}))
            .await
            .status(),
        400
    );
    stack.stop().await;
}

/// A picture book's front matter: a cover made from the opening picture, the title page,
/// and the dedication the order asked for, in the PDF, the e-book and the API alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dedicated_book_has_a_cover_a_title_page_and_its_dedication() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let http = client(&stack);
    let (status, hazel) = post(
        &http,
        &format!("{base}/v1/characters"),
        &json!({"name": "Hazel", "kind": "hedgehog", "traits": ["brave"],
                "visual_description": "a small brown hedgehog with a red scarf"}),
    )
    .await;
    assert_eq!(status, 201, "{hazel}");
    let dedication = "For Ada, who asks \"why?\" & <always> listens";
    let (status, book) = post(
        &http,
        &format!("{base}/v1/books"),
        &json!({"premise": "A brave hedgehog who is afraid of the dark", "age_band": "3-5",
                "page_count": 4, "art_style": "crayon", "cast": [hazel["id"]],
                "dedication": dedication}),
    )
    .await;
    assert_eq!(status, 202, "{book}");
    assert_eq!(book["dedication"], dedication);
    let id = book["id"].as_str().unwrap();
    wait_for(&http, &base, id, Duration::from_secs(120), |p| {
        p["status"] == "ready"
    })
    .await;
    storyloom_tests::pdf::check_pdf_with_front(&download_pdf(&http, &base, id).await, 4, 3);
    let epub = http
        .get(format!("{base}/v1/books/{id}/book.epub"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&epub);
    assert!(
        text.contains("properties=\"cover-image\""),
        "no cover image"
    );
    assert!(
        text.contains("For Ada, who asks &quot;why?&quot; &amp; &lt;always&gt; listens"),
        "no dedication page"
    );
    // Too long a dedication is refused, naming the field.
    let (status, problem) = post(
        &http,
        &format!("{base}/v1/books"),
        &json!({"premise": "A brave hedgehog who is afraid of the dark", "age_band": "3-5",
                "page_count": 4, "art_style": "crayon", "cast": [hazel["id"]],
                "dedication": "x".repeat(201)}),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "dedication");
    stack.stop().await;
}
