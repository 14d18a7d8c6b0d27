//! The `BookStore` contract.

use super::*;

/// A book id is taken once; an owner's books list newest first and nobody else's.
pub async fn books_are_created_once_and_listed_newest_first(f: &Fixture) {
    let (me, you) = (owner(), owner());
    let first = book(&me, 4, 1_000);
    let second = book(&me, 4, 2_000);
    let theirs = book(&you, 4, 1_500);
    for b in [&first, &second, &theirs] {
        f.store.create_book(b).await.unwrap();
    }
    assert!(matches!(
        f.store.create_book(&first).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(
        f.store.get_book(&first.id).await.unwrap(),
        Some(first.clone())
    );
    let ids: Vec<_> = f
        .store
        .list_books(&me)
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(ids, vec![second.id, first.id]);
}

/// `update_book` applies only on the version it was read at, bumps it, and never touches
/// the illustration tally (which only `finish_illustration` moves).
pub async fn book_updates_are_optimistic_and_keep_the_tally(f: &Fixture) {
    let me = owner();
    let mut b = book(&me, 2, 1_000);
    f.store.create_book(&b).await.unwrap();
    f.store.put_page(&page(&b.id, 1)).await.unwrap();
    f.store.put_page(&page(&b.id, 2)).await.unwrap();

    b.transition(BookStatus::Writing, 2_000).unwrap();
    let stored = f.store.update_book(&b).await.unwrap();
    assert_eq!(stored.version, b.version + 1);
    assert_eq!(f.store.get_book(&b.id).await.unwrap(), Some(stored.clone()));

    // A writer holding the old version loses.
    b.title = "Stale".into();
    assert!(matches!(
        f.store.update_book(&b).await,
        Err(Error::Conflict(_))
    ));

    let (applied, tally) = f
        .store
        .finish_illustration(&b.id, 1, &ok("books/x/1.png"))
        .await
        .unwrap();
    assert!(applied);
    assert_eq!(tally.done, 1);
    // The book read before the picture finished still carries the old tally; saving it
    // must not wind the counter back.
    let mut carried = stored.clone();
    carried.title = "Hazel and the Moon".into();
    let saved = f.store.update_book(&carried).await.unwrap();
    assert_eq!(saved.tally.done, 1);
    let reread = f.store.get_book(&b.id).await.unwrap().unwrap();
    assert_eq!(reread.title, "Hazel and the Moon");
    assert_eq!(reread.tally.done, 1);
    assert_eq!(reread.version, stored.version + 1);

    let mut missing = book(&me, 2, 3_000);
    missing.title = "never created".into();
    assert!(matches!(
        f.store.update_book(&missing).await,
        Err(Error::NotFound(_))
    ));
}

/// The sweeper's index: in-flight books whose stage started before the cut-off, oldest
/// first; finished books never appear.
pub async fn in_flight_books_are_indexed_by_stage_start(f: &Fixture) {
    // Stage starts far in the past keep other cases' books (started "now") out of view.
    let me = owner();
    let old = book(&me, 4, 10);
    let older = book(&me, 4, 5);
    let recent = book(&me, 4, 50);
    let mut done = book(&me, 4, 1);
    for b in [&old, &older, &recent, &done] {
        f.store.create_book(b).await.unwrap();
    }
    for (status, at) in [
        (BookStatus::Writing, 2),
        (BookStatus::Reviewing, 3),
        (BookStatus::Illustrating, 3),
        (BookStatus::Assembling, 4),
        (BookStatus::Ready, 4),
    ] {
        done.transition(status, at).unwrap();
        done = f.store.update_book(&done).await.unwrap();
    }
    let ids = |books: Vec<storyloom_domain::Book>| -> Vec<_> {
        books
            .into_iter()
            .filter(|b| b.owner == me)
            .map(|b| b.id)
            .collect()
    };
    let found = ids(f.store.in_flight_books(20, 100).await.unwrap());
    assert_eq!(found, vec![older.id.clone(), old.id.clone()]);

    // Moving to a new stage restarts its clock.
    let mut moved = f.store.get_book(&older.id).await.unwrap().unwrap();
    moved.transition(BookStatus::Writing, 60).unwrap();
    f.store.update_book(&moved).await.unwrap();
    let found = ids(f.store.in_flight_books(20, 100).await.unwrap());
    assert_eq!(found, vec![old.id.clone()]);
    let found = ids(f.store.in_flight_books(100, 100).await.unwrap());
    assert_eq!(
        found,
        vec![old.id.clone(), recent.id.clone(), older.id.clone()]
    );
    assert_eq!(f.store.in_flight_books(100, 1).await.unwrap().len(), 1);
}

/// Deleting a book removes it, its listing entry, its pages and its shares; a repeat is
/// harmless, and other books are untouched.
pub async fn deleting_a_book_removes_everything_of_it(f: &Fixture) {
    use storyloom_domain::{Role, Share};
    let alice = owner();
    let bob = owner();
    let gone = book(&alice, 2, 1_000);
    let kept = book(&alice, 2, 2_000);
    for b in [&gone, &kept] {
        f.store.create_book(b).await.unwrap();
        for n in 1..=2 {
            f.store.put_page(&page(&b.id, n)).await.unwrap();
        }
        f.store
            .put_share(&Share {
                book_id: b.id.clone(),
                owner: alice.clone(),
                user: bob.clone(),
                role: Role::Viewer,
                granted_at: b.created_at,
            })
            .await
            .unwrap();
    }
    f.store.delete_book(&gone.id).await.unwrap();
    f.store.delete_book(&gone.id).await.unwrap();
    assert_eq!(f.store.get_book(&gone.id).await.unwrap(), None);
    assert!(f.store.list_pages(&gone.id).await.unwrap().is_empty());
    assert!(f.store.list_shares(&gone.id).await.unwrap().is_empty());
    let listed: Vec<_> = f
        .store
        .list_books(&alice)
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(listed, std::slice::from_ref(&kept.id));
    let shared: Vec<_> = f
        .store
        .shared_with(&bob)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.book_id)
        .collect();
    assert_eq!(shared, std::slice::from_ref(&kept.id));
    assert_eq!(f.store.list_pages(&kept.id).await.unwrap().len(), 2);
}
