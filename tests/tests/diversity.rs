//! Two books from one owner on the same premise: review compares the second with
//! the first (even one finished before fingerprints were kept), sends it back while it is
//! too alike, and reports the diversity in the API; an owner's edit refreshes what later
//! books are compared with.

mod common;
use common::*;
use serde_json::{Value, json};
use std::time::Duration;
use storyloom_domain::BookId;
use storyloom_domain::diversity::Fingerprint;

async fn book(http: &reqwest::Client, base: &str, premise: &str, cast: &[String]) -> Value {
    let (status, book) = post(
        http,
        &format!("{base}/v1/books"),
        &json!({"premise": premise, "age_band": "3-5", "page_count": 6, "art_style": "watercolour", "cast": cast, "seed": 3}),
    )
    .await;
    assert_eq!(status, 202, "{book}");
    let id = book["id"].as_str().expect("id").to_owned();
    wait_for(http, base, &id, Duration::from_secs(300), |p| {
        p["status"] == "ready"
    })
    .await;
    let (status, book) = get(http, &format!("{base}/v1/books/{id}")).await;
    assert_eq!(status, 200, "{book}");
    book
}

fn gate<'a>(round: &'a Value, name: &str) -> &'a Value {
    round["gates"]
        .as_array()
        .expect("gates")
        .iter()
        .find(|g| g["gate"] == name)
        .expect("the gate ran")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_book_on_the_same_premise_is_told_anew() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let http = client(&stack);
    let mut cast = Vec::new();
    for c in [
        json!({"name": "Hazel", "kind": "hedgehog", "traits": ["brave"], "visual_description": "a small brown hedgehog", "voice": "asks questions"}),
        json!({"name": "Otto", "kind": "owl", "traits": ["wise"], "visual_description": "a grey owl", "voice": "grand"}),
    ] {
        let (status, body) = post(&http, &format!("{base}/v1/characters"), &c).await;
        assert_eq!(status, 201, "{body}");
        cast.push(body["id"].as_str().unwrap().to_owned());
    }

    let first = book(
        &http,
        &base,
        "A brave hedgehog who is afraid of the dark",
        &cast,
    )
    .await;
    let review = &first["review"];
    assert_eq!(review["diversity"]["compared"], 0, "{review}");
    assert_eq!(review["diversity"]["score"], 1.0, "{review}");
    let rounds = review["rounds"].as_array().expect("rounds");
    assert_eq!(
        rounds.len() as u64,
        review["rewrites"].as_u64().unwrap() + 1
    );
    let last = rounds.last().unwrap();
    assert_eq!(last["passed"], true, "{last}");
    assert_eq!(last["gates"].as_array().unwrap().len(), 8, "{last}");
    // Made as if before fingerprints were kept: review reads this book's pages instead.
    let store = &stack.ports.store;
    let first_id = BookId::parse(first["id"].as_str().unwrap()).unwrap();
    let mut stored = store.get_book(&first_id).await.unwrap().unwrap();
    let printed = std::mem::take(&mut stored.review.fingerprint);
    assert!(!printed.is_empty());
    store.update_book(&stored).await.unwrap();

    let second = book(
        &http,
        &base,
        "A brave hedgehog who is afraid of the dark",
        &cast,
    )
    .await;
    let review = &second["review"];
    let rounds = review["rounds"].as_array().expect("rounds");
    eprintln!("{review:#}");
    // The first book's fingerprint, taken from its pages, is stored with it again.
    let refound = store.get_book(&first_id).await.unwrap().unwrap();
    assert_eq!(refound.review.fingerprint, printed);
    // The first draft retold the first book, so review sent it back, naming the book.
    let opening = &rounds[0];
    assert_eq!(opening["diversity"]["compared"], 1, "{opening}");
    assert_eq!(
        opening["diversity"]["closest_book"], first["id"],
        "{opening}"
    );
    assert_eq!(gate(opening, "diversity")["passed"], false, "{opening}");
    assert!(
        opening["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["gate"] == "diversity"
                && f["message"]
                    .as_str()
                    .unwrap()
                    .contains(first["title"].as_str().unwrap())),
        "{opening}"
    );
    assert!(review["rewrites"].as_u64().unwrap() >= 1, "{review}");
    // The story that went on to be drawn is measurably different.
    let last = rounds.last().unwrap();
    assert_eq!(gate(last, "diversity")["passed"], true, "{last}");
    let before = opening["diversity"]["similarity"].as_f64().unwrap();
    let after = review["diversity"]["similarity"].as_f64().unwrap();
    assert!(after <= 0.35 && after < before, "{before} -> {after}");
    assert_eq!(
        review["diversity"]["score"].as_f64().unwrap(),
        1.0 - after,
        "{review}"
    );

    // The owner rewrites a page: later books are compared with the story as it now reads.
    let id = second["id"].as_str().unwrap();
    let second_id = BookId::parse(id).unwrap();
    let unedited = store.get_book(&second_id).await.unwrap().unwrap();
    let page_url = format!("{base}/v1/books/{id}/pages/1");
    let (status, page) = get(&http, &page_url).await;
    assert_eq!(status, 200, "{page}");
    let r = http
        .put(&page_url)
        .header("if-match", page["etag"].as_str().unwrap())
        .json(&json!({"text": "Far away, a purple kite sang songs to the sleepy moon above the sea."}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    wait_for(&http, &base, id, Duration::from_secs(120), |p| {
        p["status"] == "ready"
    })
    .await;
    let edited = store.get_book(&second_id).await.unwrap().unwrap();
    let pages = store.list_pages(&second_id).await.unwrap();
    assert!(pages[0].text.contains("purple kite"));
    assert_eq!(
        edited.review.fingerprint,
        Fingerprint::of_pages(pages.iter().map(|p| p.text.as_str()))
    );
    assert_ne!(edited.review.fingerprint, unedited.review.fingerprint);
    stack.stop().await;
}
