//! The `PageStore` contract.

use super::*;

/// Pages come back in page order (not key order: page 10 after page 9) and a rewrite
/// replaces a page.
pub async fn pages_list_in_order_and_are_replaced(f: &Fixture) {
    let b = book(&owner(), 12, 1_000);
    f.store.create_book(&b).await.unwrap();
    for n in (1..=12).rev() {
        f.store.put_page(&page(&b.id, n)).await.unwrap();
    }
    let mut rewritten = page(&b.id, 10);
    rewritten.text = "A second draft.".into();
    rewritten.revision = 2;
    f.store.put_page(&rewritten).await.unwrap();
    let pages = f.store.list_pages(&b.id).await.unwrap();
    assert_eq!(
        pages.iter().map(|p| p.number).collect::<Vec<_>>(),
        (1..=12).collect::<Vec<_>>()
    );
    assert_eq!(pages[9], rewritten);
    assert_eq!(f.store.get_page(&b.id, 10).await.unwrap(), Some(rewritten));
    assert_eq!(f.store.get_page(&b.id, 13).await.unwrap(), None);
}

/// Finishing a picture applies once: a redelivery changes neither the page nor the tally.
pub async fn an_illustration_is_counted_once(f: &Fixture) {
    let b = book(&owner(), 3, 1_000);
    f.store.create_book(&b).await.unwrap();
    for n in 1..=3 {
        f.store.put_page(&page(&b.id, n)).await.unwrap();
    }
    f.store.start_illustration(&b.id, 1, 5_000).await.unwrap();
    assert_eq!(
        f.store
            .get_page(&b.id, 1)
            .await
            .unwrap()
            .unwrap()
            .drawing_since,
        Some(5_000)
    );
    let first = f
        .store
        .finish_illustration(&b.id, 1, &ok("books/x/1-a.png"))
        .await
        .unwrap();
    assert_eq!(
        first,
        (
            true,
            IllustrationTally {
                done: 1,
                failed: 0,
                flagged: 0,
                picture_micros: 1500,
            }
        )
    );
    let again = f
        .store
        .finish_illustration(&b.id, 1, &ok("books/x/1-b.png"))
        .await
        .unwrap();
    assert_eq!(again, (false, first.1));
    let p1 = f.store.get_page(&b.id, 1).await.unwrap().unwrap();
    assert_eq!(p1.illustration, IllustrationStatus::Ok);
    assert_eq!(p1.image_key.as_deref(), Some("books/x/1-a.png"));
    assert_eq!(p1.drawing_since, None);

    let failed = IllustrationOutcome {
        status: IllustrationStatus::Failed,
        image_key: None,
        note: Some("the model kept timing out".into()),
        cost_micros: 0,
    };
    let flagged = IllustrationOutcome {
        status: IllustrationStatus::Flagged,
        image_key: None,
        note: Some("refused by the safety filter".into()),
        cost_micros: 0,
    };
    f.store
        .finish_illustration(&b.id, 2, &failed)
        .await
        .unwrap();
    let (_, tally) = f
        .store
        .finish_illustration(&b.id, 3, &flagged)
        .await
        .unwrap();
    assert_eq!(
        tally,
        IllustrationTally {
            done: 1,
            failed: 1,
            flagged: 1,
            picture_micros: 1500,
        }
    );
    assert_eq!(f.store.get_book(&b.id).await.unwrap().unwrap().tally, tally);
    let p2 = f.store.get_page(&b.id, 2).await.unwrap().unwrap();
    assert_eq!(
        p2.illustration_note.as_deref(),
        Some("the model kept timing out")
    );
    assert!(
        f.store
            .finish_illustration(&b.id, 4, &failed)
            .await
            .is_err(),
        "a page that does not exist cannot be finished"
    );
}

/// Pictures finishing at once (and each twice) still count exactly once each. The tally a
/// finish reports includes its own picture (it may include later ones too: the fan-in is
/// decided by a conditional status change, not by who saw the last count).
pub async fn concurrent_illustrations_count_exactly(f: &Fixture) {
    const PAGES: u32 = 12;
    let b = book(&owner(), PAGES, 1_000);
    f.store.create_book(&b).await.unwrap();
    for n in 1..=PAGES {
        f.store.put_page(&page(&b.id, n)).await.unwrap();
    }
    let mut tasks = Vec::new();
    for n in (1..=PAGES).chain(1..=PAGES) {
        let store = f.store.clone();
        let id = b.id.clone();
        tasks.push(tokio::spawn(async move {
            let key = format!("books/{id}/{n}.png");
            (
                n,
                store.finish_illustration(&id, n, &ok(&key)).await.unwrap(),
            )
        }));
    }
    let mut applied = BTreeSet::new();
    let mut saw_all = false;
    for t in tasks {
        let (n, (did, tally)) = t.await.unwrap();
        assert!(
            (1..=PAGES).contains(&tally.done),
            "tally {tally:?} out of range"
        );
        if did {
            assert!(applied.insert(n), "page {n} was applied twice");
            saw_all |= tally.done == PAGES;
        }
    }
    assert_eq!(applied.len() as u32, PAGES);
    assert_eq!(
        f.store.get_book(&b.id).await.unwrap().unwrap().tally.done,
        PAGES
    );
    assert!(saw_all, "no finisher saw the book complete");
}

/// Failed pictures (only those) go back to pending, uncounted, once.
pub async fn failed_illustrations_reopen_once(f: &Fixture) {
    let b = book(&owner(), 3, 1_000);
    f.store.create_book(&b).await.unwrap();
    for n in 1..=3 {
        f.store.put_page(&page(&b.id, n)).await.unwrap();
    }
    let outcome = |status, note: Option<&str>| IllustrationOutcome {
        status,
        image_key: None,
        note: note.map(str::to_owned),
        cost_micros: 0,
    };
    f.store
        .finish_illustration(&b.id, 1, &ok("books/x/1.png"))
        .await
        .unwrap();
    f.store
        .finish_illustration(
            &b.id,
            2,
            &outcome(IllustrationStatus::Failed, Some("timed out")),
        )
        .await
        .unwrap();
    f.store
        .finish_illustration(
            &b.id,
            3,
            &outcome(IllustrationStatus::Flagged, Some("refused")),
        )
        .await
        .unwrap();
    assert_eq!(
        f.store.reopen_failed_illustrations(&b.id).await.unwrap(),
        vec![2]
    );
    assert_eq!(
        f.store.get_book(&b.id).await.unwrap().unwrap().tally,
        IllustrationTally {
            done: 1,
            failed: 0,
            flagged: 1,
            picture_micros: 1500,
        }
    );
    let p2 = f.store.get_page(&b.id, 2).await.unwrap().unwrap();
    assert_eq!(p2.illustration, IllustrationStatus::Pending);
    assert_eq!(p2.illustration_note, None);
    assert!(
        f.store
            .reopen_failed_illustrations(&b.id)
            .await
            .unwrap()
            .is_empty()
    );
    let (applied, tally) = f
        .store
        .finish_illustration(&b.id, 2, &ok("books/x/2.png"))
        .await
        .unwrap();
    assert!(applied);
    assert_eq!(tally.done, 2);
}

/// A book and its pages read again after any write that touches them are the written
/// ones, however often they were read before (a cache in front of the store must see
/// every write).
pub async fn reads_follow_every_write(f: &Fixture) {
    let b = book(&owner(), 2, 1_000);
    f.store.create_book(&b).await.unwrap();
    let read_twice = || async {
        let first = (
            f.store.get_book(&b.id).await.unwrap(),
            f.store.list_pages(&b.id).await.unwrap(),
        );
        let again = (
            f.store.get_book(&b.id).await.unwrap(),
            f.store.list_pages(&b.id).await.unwrap(),
        );
        assert_eq!(first, again);
        first
    };
    assert_eq!(read_twice().await, (Some(b.clone()), vec![]));

    f.store.put_page(&page(&b.id, 1)).await.unwrap();
    assert_eq!(read_twice().await.1, vec![page(&b.id, 1)]);

    let mut writing = b.clone();
    writing.transition(BookStatus::Writing, 2_000).unwrap();
    let stored = f.store.update_book(&writing).await.unwrap();
    assert_eq!(read_twice().await.0, Some(stored));

    f.store.start_illustration(&b.id, 1, 3_000).await.unwrap();
    let (_, pages) = read_twice().await;
    assert_eq!(pages[0].drawing_since, Some(3_000));

    f.store
        .finish_illustration(&b.id, 1, &ok("books/x/1.png"))
        .await
        .unwrap();
    let (book, pages) = read_twice().await;
    assert_eq!(book.map(|b| b.tally.done), Some(1));
    assert_eq!(pages[0].image_key.as_deref(), Some("books/x/1.png"));

    f.store.delete_book(&b.id).await.unwrap();
    assert_eq!(read_twice().await, (None, vec![]));
}
