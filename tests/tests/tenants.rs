//! Tenant isolation, sharing and per-user limits through the HTTP API of the local stack.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;
use storyloom_cli::stack::StackOptions;
use storyloom_domain::Limits;
use storyloom_http::Endpoint;

async fn send(
    http: &reqwest::Client,
    method: Method,
    url: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = http.request(method, url);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let r = request.send().await.expect("request");
    let status = r.status().as_u16();
    if status >= 400 {
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{url}"
        );
    }
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The request for `endpoint` against alice's character `c` and book `b`, and what a
/// stranger must get back.
fn stranger_request(
    endpoint: Endpoint,
    base: &str,
    c: &str,
    b: &str,
) -> (Method, String, Option<Value>, u16) {
    let path = endpoint
        .path()
        .replace(
            "{id}",
            if endpoint.path().starts_with("/v1/characters") {
                c
            } else {
                b
            },
        )
        .replace("{n}", "1")
        .replace("{r}", "1")
        .replace("{user}", "mallory");
    let body = match endpoint {
        Endpoint::CreateCharacter | Endpoint::UpdateCharacter => Some(
            json!({"name": "Mal", "kind": "cat", "traits": ["sly"], "visual_description": "a black cat", "voice": "purrs"}),
        ),
        // Alice's character in the cast: not found for the stranger.
        Endpoint::CreateBook => Some(
            json!({"premise": "A cat who wants to fly", "age_band": "3-5", "page_count": 4, "art_style": "crayon", "cast": [c]}),
        ),
        Endpoint::PutShare => Some(json!({"role": "editor"})),
        Endpoint::EditPage => Some(json!({"text": "Mallory was here."})),
        Endpoint::SetBookCap => Some(json!({"max_usd": 0})),
        Endpoint::PutBudget => Some(json!({"monthly_usd": 1})),
        _ => None,
    };
    let expected = match endpoint {
        // Their own collections: served, and empty of alice's things (checked below).
        Endpoint::ListCharacters
        | Endpoint::ListBooks
        | Endpoint::ListSharedBooks
        | Endpoint::GetBudget
        | Endpoint::PutBudget => 200,
        // A ticket names its holder only; what it may follow is checked on subscribe (the
        // live-progress test shows a stranger refused there).
        Endpoint::CreateCharacter | Endpoint::CreateLiveTicket => 201,
        Endpoint::CreateBook => 422,
        _ => 404,
    };
    (endpoint.method(), format!("{base}{path}"), body, expected)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_user_sees_nothing_of_alices_in_any_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let alice = client(&stack);
    let id = order_book(&alice, &base, 4).await;
    wait_for(&alice, &base, &id, Duration::from_secs(120), |p| {
        p["status"] == "ready"
    })
    .await;
    let (_, chars) = get(&alice, &format!("{base}/v1/characters")).await;
    let c = chars["items"][0]["id"].as_str().unwrap().to_owned();

    let mallory = client_as(&stack, "mallory");
    for endpoint in Endpoint::ALL {
        let (method, url, body, expected) = stranger_request(endpoint, &base, &c, &id);
        let (status, answer) = send(&mallory, method, &url, body).await;
        assert_eq!(status, expected, "{endpoint:?} {url}: {answer}");
        let text = answer.to_string();
        assert!(
            !text.contains("Hazel") && !text.contains("hedgehog"),
            "{endpoint:?} leaks: {text}"
        );
        assert!(!text.contains(OWNER), "{endpoint:?} names alice: {text}");
        if status < 400 {
            assert!(
                !text.contains(&c) && !text.contains(&id),
                "{endpoint:?} leaks alice's things: {text}"
            );
        } else if status == 404 {
            // Word for word what an id that never existed gets: no existence leak.
            let (_, url, body, _) = stranger_request(endpoint, &base, "c-never", "b-never");
            let (_, never) = send(&mallory, endpoint.method(), &url, body).await;
            let detail = |v: &Value| {
                v["detail"]
                    .as_str()
                    .unwrap()
                    .replace(&c, "X")
                    .replace(&id, "X")
                    .replace("c-never", "X")
                    .replace("b-never", "X")
            };
            assert_eq!(detail(&answer), detail(&never), "{endpoint:?}");
        }
    }
    // Alice's things are untouched by all of that.
    let (status, book) = get(&alice, &format!("{base}/v1/books/{id}")).await;
    assert_eq!((status, book["status"].as_str()), (200, Some("ready")));
    let (_, shares) = get(&alice, &format!("{base}/v1/books/{id}/shares")).await;
    assert_eq!(shares["items"], json!([]));
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewers_read_editors_change_and_only_the_owner_shares_or_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut stack, base) = start(dir.path(), false).await;
    let alice = client(&stack);
    let (viewer, editor) = (client_as(&stack, "vera"), client_as(&stack, "eddie"));
    let id = order_book(&alice, &base, 4).await;
    let book = format!("{base}/v1/books/{id}");
    for (user, role) in [("vera", "viewer"), ("eddie", "editor")] {
        let (status, share) = send(
            &alice,
            Method::PUT,
            &format!("{book}/shares/{user}"),
            Some(json!({"role": role})),
        )
        .await;
        assert_eq!(status, 200, "{share}");
        assert_eq!(share["role"], role);
    }
    let (_, shares) = get(&alice, &format!("{book}/shares")).await;
    assert_eq!(shares["items"].as_array().unwrap().len(), 2);

    // Both can read; the book is listed for them with their access.
    for (who, http, access) in [("viewer", &viewer, "viewer"), ("editor", &editor, "editor")] {
        for path in ["", "/progress", "/pages"] {
            let (status, body) = get(http, &format!("{book}{path}")).await;
            assert_eq!(status, 200, "{who} GET {path}: {body}");
        }
        let (_, shared) = get(http, &format!("{base}/v1/shared-books")).await;
        assert_eq!(shared["items"][0]["book"]["id"], id.as_str());
        assert_eq!(shared["items"][0]["access"], access);
        // Neither may share it on, nor delete it, nor see who else has it.
        let (status, _) = send(
            http,
            Method::PUT,
            &format!("{book}/shares/zed"),
            Some(json!({"role": "viewer"})),
        )
        .await;
        assert_eq!(status, 403, "{who} shared");
        let (status, _) = send(http, Method::DELETE, &book, None).await;
        assert_eq!(status, 403, "{who} deleted");
        let (status, _) = get(http, &format!("{book}/shares")).await;
        assert_eq!(status, 403, "{who} listed shares");
    }
    // A viewer cannot change it; an editor can (cancel is a change).
    let (status, problem) = send(&viewer, Method::POST, &format!("{book}/cancel"), None).await;
    assert_eq!(status, 403, "{problem}");
    let (status, cancelled) = send(&editor, Method::POST, &format!("{book}/cancel"), None).await;
    assert_eq!(
        (status, cancelled["status"].as_str()),
        (200, Some("cancelled"))
    );

    // Revoked: the book is gone for the viewer, as if it never existed.
    let (status, _) = send(&alice, Method::DELETE, &format!("{book}/shares/vera"), None).await;
    assert_eq!(status, 204);
    let (status, _) = get(&viewer, &book).await;
    assert_eq!(status, 404);
    let (_, shared) = get(&viewer, &format!("{base}/v1/shared-books")).await;
    assert_eq!(shared["items"], json!([]));
    // Sharing with yourself is refused, naming the field.
    let (status, problem) = send(
        &alice,
        Method::PUT,
        &format!("{book}/shares/reader-1"),
        Some(json!({"role": "viewer"})),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "user");

    // The owner deletes it: gone for everyone, pictures and all.
    let (status, _) = send(&alice, Method::DELETE, &book, None).await;
    assert_eq!(status, 204);
    for http in [&alice, &editor] {
        let (status, _) = get(http, &book).await;
        assert_eq!(status, 404);
    }
    let (_, shared) = get(&editor, &format!("{base}/v1/shared-books")).await;
    assert_eq!(shared["items"], json!([]));
    let left = stack
        .ports
        .blobs
        .list(&format!("books/{id}/"))
        .await
        .unwrap();
    assert!(left.is_empty(), "{left:?}");
    // A book still being made cannot be deleted until it is cancelled.
    let busy = order_book(&alice, &base, 4).await;
    let (status, problem) = send(
        &alice,
        Method::DELETE,
        &format!("{base}/v1/books/{busy}"),
        None,
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    stack.start_workers();
    stack.stop().await;
}

fn tight(limits: Limits) -> StackOptions {
    StackOptions {
        limits: Some(limits),
        ..options()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_race_for_the_last_tokens_and_exactly_the_burst_gets_through() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        requests_per_minute: 1,
        burst: 8,
        books_per_day: 20,
        concurrent_books: 3,
    };
    let (stack, base) = start_with(dir.path(), false, &tight(limits)).await;
    let alice = client(&stack);
    let attempts = (0..30).map(|i| {
        let http = alice.clone();
        let url = format!("{base}/v1/characters");
        async move {
            let body = json!({"name": format!("Cat {i}"), "kind": "cat", "traits": ["sly"], "visual_description": "a cat", "voice": "purrs"});
            let r = http.post(url).json(&body).send().await.unwrap();
            let retry_after = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
            (r.status().as_u16(), retry_after)
        }
    });
    let results = futures::future::join_all(attempts).await;
    let created = results.iter().filter(|(s, _)| *s == 201).count();
    let refused: Vec<_> = results.iter().filter(|(s, _)| *s == 429).collect();
    assert_eq!(created, 8, "{results:?}");
    assert_eq!(refused.len(), 22, "{results:?}");
    assert!(
        refused
            .iter()
            .all(|(_, r)| r.as_deref().is_some_and(|s| s.parse::<u64>().unwrap() >= 1))
    );
    // The refused requests left no trace: exactly the admitted ones were saved. (Reading
    // the list directly: the bucket is empty.)
    let owner = storyloom_domain::OwnerId::parse(OWNER).unwrap();
    assert_eq!(
        stack
            .ports
            .store
            .list_characters(&owner)
            .await
            .unwrap()
            .len(),
        8
    );
    // Another user has a bucket of their own.
    let (status, _) = get(&client_as(&stack, "bob"), &format!("{base}/v1/books")).await;
    assert_eq!(status, 200);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn books_are_capped_at_once_and_per_day_and_a_refused_order_leaves_no_book() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        requests_per_minute: 10_000,
        burst: 1_000,
        books_per_day: 2,
        concurrent_books: 1,
    };
    let (stack, base) = start_with(dir.path(), false, &tight(limits)).await;
    let alice = client(&stack);
    let first = order_book(&alice, &base, 4).await;
    let (_, chars) = get(&alice, &format!("{base}/v1/characters")).await;
    let cast: Vec<Value> = chars["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    let order = json!({"premise": "A brave hedgehog who is afraid of the dark", "age_band": "3-5", "page_count": 4, "art_style": "crayon", "cast": cast});
    let r = alice
        .post(format!("{base}/v1/books"))
        .json(&order)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "30");
    let problem: Value = r.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("being made"),
        "{problem}"
    );
    let (_, listed) = get(&alice, &format!("{base}/v1/books")).await;
    assert_eq!(
        listed["items"].as_array().unwrap().len(),
        1,
        "a refused order made a book"
    );

    // The first one finishing (here: cancelled) frees its place.
    let (status, _) = post(
        &alice,
        &format!("{base}/v1/books/{first}/cancel"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, second) = post(&alice, &format!("{base}/v1/books"), &order).await;
    assert_eq!(status, 202, "{second}");
    let (status, _) = post(
        &alice,
        &format!("{base}/v1/books/{}/cancel", second["id"].as_str().unwrap()),
        &json!({}),
    )
    .await;
    assert_eq!(status, 200);
    // Two today: the third waits for tomorrow.
    let r = alice
        .post(format!("{base}/v1/books"))
        .json(&order)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 30 && wait <= 86_400, "{wait}");
    stack.stop().await;
}
