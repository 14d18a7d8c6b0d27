//! The book report over a small premise set, made through the HTTP API on the offline
//! models: every book keeps what its premise names, in words and pictures; every picture
//! shows what its page names; no grammar problems; everyone drawn with all they wear; the
//! framings and places vary.

use serde_json::json;
use storyloom_cli::review_book::{PremiseSet, make_and_review};

fn premises() -> PremiseSet {
    serde_json::from_value(json!({
        "characters": [
            {"name": "Mila", "kind": "fox", "traits": ["curious", "kind"],
             "visual_description": "a small orange fox with a green backpack", "voice": "asks lots of questions"},
            {"name": "Bram", "kind": "bear", "traits": ["shy", "strong"],
             "visual_description": "a big brown bear in a blue raincoat", "voice": "speaks softly"},
            {"name": "Pip", "kind": "mouse", "traits": ["cheerful"],
             "visual_description": "a tiny white mouse with a yellow bow", "voice": "sings in rhymes"},
            {"name": "Ava", "kind": "girl", "traits": ["determined"],
             "visual_description": "a girl in a yellow raincoat and red boots", "voice": "asks questions"}
        ],
        "books": [
            {"premise": "A curious fox and a shy bear build a raft to cross the river and find the lost kite",
             "cast": ["Mila", "Bram"], "age_band": "6-8", "page_count": 8},
            {"premise": "A tiny mouse who wants to reach the top of the mountain",
             "cast": ["Pip"], "age_band": "3-5", "page_count": 8},
            {"premise": "Four friends put up a tent by the sea and watch the stars",
             "cast": ["Mila", "Bram", "Pip", "Ava"], "age_band": "9-12", "page_count": 8}
        ]
    }))
    .expect("a premise set")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_books_keep_their_premise_and_their_pictures_follow_their_words() {
    let out = tempfile::tempdir().unwrap();
    let books = make_and_review(&premises(), Some(out.path()), false)
        .await
        .unwrap();
    assert_eq!(books.len(), 3);
    for b in &books {
        let r = &b.report;
        let title = &r.title;
        assert!(!r.premise_things.is_empty(), "{title}");
        assert_eq!(r.absent_from_text, Vec::<String>::new(), "{title}");
        assert_eq!(r.absent_from_pictures, Vec::<String>::new(), "{title}");
        for page in &r.pages {
            assert!(
                page.missing.is_empty(),
                "{title} page {}: {:?}",
                page.number,
                page.missing
            );
        }
        assert_eq!(b.grammar.as_deref(), Some(&[][..]), "{title}");
        let (seen, dressed) = b.appearances.expect("offline pictures are recorded");
        assert!(seen >= 8, "{title}: {seen}");
        assert_eq!(
            dressed, seen,
            "{title}: someone drawn without what they wear"
        );
        assert!(r.compositions >= 3, "{title}: {} framings", r.compositions);
        assert!(r.settings >= 2, "{title}: {} settings", r.settings);
        assert!(r.distinct_2 >= 0.8, "{title}: distinct-2 {}", r.distinct_2);
        assert!(r.mean_grade() <= r.age_band.max_grade(), "{title}");
    }
    assert_eq!(books[0].report.title, "Mila and the Lost Kite");
    assert_eq!(
        books[0].report.premise_things,
        vec!["raft", "river", "kite"]
    );
    // Each book's PDF was saved, named for its band and title.
    let saved = std::fs::read_dir(out.path()).unwrap().count();
    assert_eq!(saved, 3);
    assert!(out.path().join("6-8-mila-and-the-lost-kite.pdf").exists());
}
