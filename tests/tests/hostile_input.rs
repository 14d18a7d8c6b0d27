//! Hostile input, class by class, against the running API: each gets a 4xx problem that
//! names what is wrong, nothing is stored, and nothing answers 500.

mod common;
use common::*;
use serde_json::{Value, json};

fn character() -> Value {
    json!({"name": "Hazel", "kind": "hedgehog", "traits": ["brave"],
           "visual_description": "a small brown hedgehog", "voice": "asks questions"})
}

fn with(mut body: Value, field: &str, value: Value) -> Value {
    body[field] = value;
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_class_of_hostile_input_is_refused_with_the_field_named() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), false).await;
    let http = client(&stack);
    let characters = format!("{base}/v1/characters");

    // (what, body, status, field named)
    let cases: Vec<(&str, Value, u16, Option<&str>)> = vec![
        (
            "unknown field",
            with(character(), "owner", json!("someone-else")),
            422,
            Some("owner"),
        ),
        (
            "wrong type",
            with(character(), "traits", json!("brave")),
            422,
            Some("traits"),
        ),
        (
            "wrong inner type",
            with(character(), "traits", json!([1])),
            422,
            Some("traits[0]"),
        ),
        (
            "overlong string",
            with(character(), "name", json!("H".repeat(41))),
            422,
            Some("name"),
        ),
        (
            "control characters",
            with(character(), "name", json!("Ha\u{0}zel\u{1b}[2J")),
            422,
            Some("name"),
        ),
        (
            "too many items",
            with(
                character(),
                "traits",
                json!(["a", "b", "c", "d", "e", "f", "g"]),
            ),
            422,
            Some("traits"),
        ),
        (
            "unsafe words",
            with(
                character(),
                "visual_description",
                json!("a hedgehog holding a bloody knife"),
            ),
            422,
            None,
        ),
    ];
    for (what, body, status, field) in cases {
        let (got, problem) = post(&http, &characters, &body).await;
        assert_eq!(got, status, "{what}: {problem}");
        assert!(
            problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{what}"
        );
        if let Some(field) = field {
            let named: Vec<&str> = problem["errors"]
                .as_array()
                .unwrap_or_else(|| panic!("{what}: no errors in {problem}"))
                .iter()
                .filter_map(|e| e["field"].as_str())
                .collect();
            assert!(named.contains(&field), "{what}: {problem}");
        }
    }

    // Books: numbers out of range, and a premise the safety gate refuses.
    let (_, hazel) = post(&http, &characters, &character()).await;
    let order = json!({"premise": "A brave hedgehog who is afraid of the dark", "age_band": "3-5",
                       "page_count": 4, "art_style": "crayon", "cast": [hazel["id"]]});
    for (what, body, field) in [
        (
            "pages too many",
            with(order.clone(), "page_count", json!(1000)),
            "page_count",
        ),
        (
            "pages negative",
            with(order.clone(), "page_count", json!(-4)),
            "page_count",
        ),
        (
            "pages not a number",
            with(order.clone(), "page_count", json!("four")),
            "page_count",
        ),
        (
            "seed overflow",
            with(order.clone(), "seed", json!(1e40)),
            "seed",
        ),
        (
            "unknown age band",
            with(order.clone(), "age_band", json!("0-1")),
            "age_band",
        ),
        (
            "cast id with a separator",
            with(order.clone(), "cast", json!(["a#b"])),
            "cast[0]",
        ),
    ] {
        let (got, problem) = post(&http, &format!("{base}/v1/books"), &body).await;
        assert_eq!(got, 422, "{what}: {problem}");
        let fields = problem["errors"].to_string();
        assert!(fields.contains(field), "{what}: {problem}");
    }
    let unsafe_premise = with(
        order.clone(),
        "premise",
        json!("A hedgehog finds a gun and blood in the woods"),
    );
    let (got, problem) = post(&http, &format!("{base}/v1/books"), &unsafe_premise).await;
    assert_eq!(got, 422, "{problem}");
    assert_eq!(problem["title"], "Content not allowed");

    // Size, media type and syntax.
    let huge = with(character(), "voice", json!("x".repeat(100_000)));
    let (got, _) = post(&http, &characters, &huge).await;
    assert_eq!(got, 413);
    let r = http
        .post(&characters)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let r = http
        .post(&characters)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    // Path ids are checked before any lookup.
    for path in [
        "/v1/books/a%23b".to_owned(),
        format!("/v1/books/{}", "b".repeat(65)),
        "/v1/books/..%2F..%2Fsecrets.json/progress".to_owned(),
        "/v1/characters/%00".to_owned(),
        "/v1/books/b-1/pages/-1/picture".to_owned(),
    ] {
        let (got, problem) = get(&http, &format!("{base}{path}")).await;
        assert_eq!(got, 404, "{path}: {problem}");
    }
    let (got, problem) = post(&http, &format!("{base}/v1/books"), &order).await;
    assert_eq!(got, 202, "{problem}");
    let id = problem["id"].as_str().unwrap();
    let r = http
        .put(format!("{base}/v1/books/{id}/shares/bad%23user"))
        .json(&json!({"role": "viewer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = http
        .put(format!("{base}/v1/books/{id}/shares/bob"))
        .json(&json!({"role": "admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);

    // Nothing refused above was stored: one character, one book.
    let (_, listed) = get(&http, &characters).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let (_, books) = get(&http, &format!("{base}/v1/books")).await;
    assert_eq!(books["items"].as_array().unwrap().len(), 1);
    stack.stop().await;
}
