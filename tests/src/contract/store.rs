//! The `BookStore` contract.

use super::{book, character, page, unique};
use crate::fixture::Fixture;
use std::collections::BTreeSet;
use storyloom_domain::book::IllustrationTally;
use storyloom_domain::ports::IllustrationOutcome;
use storyloom_domain::{BookStatus, Error, IllustrationStatus, OwnerId};

fn owner() -> OwnerId {
    OwnerId::parse(&unique("owner")).expect("valid owner")
}

fn ok(key: &str) -> IllustrationOutcome {
    IllustrationOutcome {
        status: IllustrationStatus::Ok,
        image_key: Some(key.to_owned()),
        note: None,
        cost_micros: 1500,
    }
}

/// Characters are saved once, listed oldest first, and only ever visible to their owner.
pub async fn characters_round_trip_per_owner(f: &Fixture) {
    let (me, you) = (owner(), owner());
    let older = character(&me, "Hazel", 1_000);
    let newer = character(&me, "Otto", 2_000);
    f.store.put_character(&newer).await.unwrap();
    f.store.put_character(&older).await.unwrap();
    assert!(matches!(
        f.store.put_character(&older).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(
        f.store.get_character(&me, &older.id).await.unwrap(),
        Some(older.clone())
    );
    assert_eq!(f.store.get_character(&you, &older.id).await.unwrap(), None);
    assert_eq!(
        f.store.list_characters(&me).await.unwrap(),
        vec![older.clone(), newer.clone()]
    );
    assert!(f.store.list_characters(&you).await.unwrap().is_empty());
    let mut edited = older.clone();
    edited.visual_description = "a small brown hedgehog with a blue scarf".into();
    edited.portrait = 1;
    f.store.update_character(&edited).await.unwrap();
    assert_eq!(
        f.store.get_character(&me, &older.id).await.unwrap(),
        Some(edited.clone())
    );
    let mut stranger = edited.clone();
    stranger.owner = you.clone();
    assert!(matches!(
        f.store.update_character(&stranger).await,
        Err(Error::NotFound(_))
    ));
    assert!(
        f.store
            .get_character(&you, &older.id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(!f.store.delete_character(&you, &older.id).await.unwrap());
    assert!(f.store.delete_character(&me, &older.id).await.unwrap());
    assert!(!f.store.delete_character(&me, &older.id).await.unwrap());
    assert_eq!(f.store.list_characters(&me).await.unwrap(), vec![newer]);
}

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

/// An idempotency key is claimed once; the claim is seen by a second request; a completed
/// record replays until it expires; an abandoned in-progress claim can be taken over after
/// its in-progress expiry; a released key is free again; expired records can be purged.
pub async fn idempotency_keys_are_claimed_once_and_expire(f: &Fixture) {
    use storyloom_domain::idempotency::{
        Claim, IN_PROGRESS_TTL_MS, IdempotencyRecord, IdempotencyStatus, RECORD_TTL_MS,
        StoredResponse,
    };
    let now = 1_800_000_000_000;
    let key = unique("owner:POST /v1/books:key");
    let first = IdempotencyRecord::claim(key.clone(), "hash-a".into(), now);
    assert_eq!(
        f.store.claim_idempotency(&first, now).await.unwrap(),
        Claim::Started
    );
    let second = IdempotencyRecord::claim(key.clone(), "hash-b".into(), now + 10);
    match f.store.claim_idempotency(&second, now + 10).await.unwrap() {
        Claim::Existing(r) => {
            assert_eq!(r.status, IdempotencyStatus::InProgress);
            assert_eq!(r.payload_hash, "hash-a");
        }
        Claim::Started => panic!("a held key was claimed twice"),
    }
    let response = StoredResponse {
        status: 202,
        content_type: Some("application/json".into()),
        location: Some("/v1/books/b-1".into()),
        body: "{\"id\":\"b-1\"}".into(),
    };
    f.store.complete_idempotency(&key, &response).await.unwrap();
    // Completed records outlive the in-progress expiry.
    let later = now + IN_PROGRESS_TTL_MS + 1;
    match f
        .store
        .claim_idempotency(
            &IdempotencyRecord::claim(key.clone(), "hash-a".into(), later),
            later,
        )
        .await
        .unwrap()
    {
        Claim::Existing(r) => {
            assert_eq!(r.status, IdempotencyStatus::Completed);
            assert_eq!(r.response, Some(response.clone()));
        }
        Claim::Started => panic!("a completed record was overwritten"),
    }
    // ... until the record itself expires.
    let expired = now + RECORD_TTL_MS;
    assert_eq!(
        f.store
            .claim_idempotency(
                &IdempotencyRecord::claim(key.clone(), "hash-c".into(), expired),
                expired
            )
            .await
            .unwrap(),
        Claim::Started
    );

    // A crashed holder blocks only until its in-progress expiry.
    let stuck = unique("owner:POST /v1/books:stuck");
    let claim = |at: u64| IdempotencyRecord::claim(stuck.clone(), "h".into(), at);
    f.store.claim_idempotency(&claim(now), now).await.unwrap();
    assert!(matches!(
        f.store
            .claim_idempotency(&claim(now + 1), now + 1)
            .await
            .unwrap(),
        Claim::Existing(_)
    ));
    let takeover = now + IN_PROGRESS_TTL_MS;
    assert_eq!(
        f.store
            .claim_idempotency(&claim(takeover), takeover)
            .await
            .unwrap(),
        Claim::Started
    );
    // A released key is free at once.
    f.store.release_idempotency(&stuck).await.unwrap();
    assert_eq!(
        f.store
            .claim_idempotency(&claim(takeover + 1), takeover + 1)
            .await
            .unwrap(),
        Claim::Started
    );
    assert!(
        f.store
            .complete_idempotency(&unique("missing"), &response)
            .await
            .is_err()
    );
    // Purging never removes a live record (stores with native expiry purge nothing).
    f.store.purge_expired(now).await.unwrap();
    assert!(matches!(
        f.store
            .claim_idempotency(&claim(takeover + 2), takeover + 2)
            .await
            .unwrap(),
        Claim::Existing(_)
    ));
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

/// A breaker reads closed until stored, and is stored only at the version it was read at.
pub async fn breakers_are_shared_and_versioned(f: &Fixture) {
    use storyloom_domain::breaker::Breaker;
    let provider = unique("provider");
    let fresh = f.store.get_breaker(&provider).await.unwrap();
    assert_eq!(fresh, Breaker::closed(&provider));
    let mut failing = fresh.clone();
    failing.on_failure(1_000);
    let stored = f.store.put_breaker(&failing).await.unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(f.store.get_breaker(&provider).await.unwrap(), stored);
    // A second instance that read the breaker before loses its write.
    assert!(matches!(
        f.store.put_breaker(&failing).await,
        Err(Error::Conflict(_))
    ));
    let mut next = stored.clone();
    next.on_failure(2_000);
    assert_eq!(
        f.store
            .put_breaker(&next)
            .await
            .unwrap()
            .consecutive_failures,
        2
    );
}

/// Shares are kept per user, listed both ways, replaced by a new role and revoked once.
pub async fn shares_are_listed_both_ways_and_revoked(f: &Fixture) {
    use storyloom_domain::{Role, Share};
    let alice = owner();
    let (bob, carol) = (owner(), owner());
    let b = book(&alice, 2, 1_000);
    f.store.create_book(&b).await.unwrap();
    let share = |user: &OwnerId, role, at| Share {
        book_id: b.id.clone(),
        owner: alice.clone(),
        user: user.clone(),
        role,
        granted_at: at,
    };
    f.store
        .put_share(&share(&bob, Role::Viewer, 10))
        .await
        .unwrap();
    f.store
        .put_share(&share(&carol, Role::Editor, 20))
        .await
        .unwrap();
    // A new role replaces the old one.
    f.store
        .put_share(&share(&bob, Role::Editor, 30))
        .await
        .unwrap();
    let all = f.store.list_shares(&b.id).await.unwrap();
    let users: Vec<_> = all.iter().map(|s| (&s.user, s.role)).collect();
    assert_eq!(users, [(&carol, Role::Editor), (&bob, Role::Editor)]);
    assert_eq!(
        f.store
            .get_share(&b.id, &bob)
            .await
            .unwrap()
            .map(|s| s.role),
        Some(Role::Editor)
    );
    assert_eq!(f.store.get_share(&b.id, &alice).await.unwrap(), None);
    let bobs = f.store.shared_with(&bob).await.unwrap();
    assert_eq!(bobs.len(), 1);
    assert_eq!((&bobs[0].book_id, &bobs[0].owner), (&b.id, &alice));
    assert!(f.store.delete_share(&b.id, &bob).await.unwrap());
    assert!(!f.store.delete_share(&b.id, &bob).await.unwrap());
    assert!(f.store.shared_with(&bob).await.unwrap().is_empty());
    assert_eq!(f.store.get_share(&b.id, &bob).await.unwrap(), None);
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

/// An allowance is absent until stored, then stored only at the version it was read at.
pub async fn allowances_are_versioned_per_user(f: &Fixture) {
    use storyloom_domain::{Allowance, Limits};
    let alice = owner();
    assert_eq!(f.store.get_allowance(&alice).await.unwrap(), None);
    let mut first = Allowance::new(alice.clone(), &Limits::default(), 1_000);
    first.take_request(&Limits::default(), 1_000).unwrap();
    let stored = f.store.put_allowance(&first).await.unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(
        f.store.get_allowance(&alice).await.unwrap(),
        Some(stored.clone())
    );
    // A racer that also started from nothing loses.
    assert!(matches!(
        f.store.put_allowance(&first).await,
        Err(Error::Conflict(_))
    ));
    let mut next = stored.clone();
    next.take_request(&Limits::default(), 2_000).unwrap();
    assert_eq!(f.store.put_allowance(&next).await.unwrap().version, 2);
    assert!(matches!(
        f.store.put_allowance(&stored).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(f.store.get_allowance(&owner()).await.unwrap(), None);
}

/// A page revision is stored with the superseded state in one step, only from the state the
/// caller read: a stale revision is `Stale`, a picture that landed meanwhile a `Conflict`.
/// A redraw takes the picture out of the tally and a restore brings it back; deleting the
/// book removes the history.
pub async fn page_revisions_are_guarded_and_move_the_tally(f: &Fixture) {
    use storyloom_domain::revision;
    let b = book(&owner(), 2, 1_000);
    f.store.create_book(&b).await.unwrap();
    for n in 1..=2 {
        f.store.put_page(&page(&b.id, n)).await.unwrap();
    }
    f.store
        .finish_illustration(&b.id, 1, &ok("books/x/1-a.png"))
        .await
        .unwrap();
    let drawn = f.store.get_page(&b.id, 1).await.unwrap().unwrap();

    let edited = revision::edit(&b, &drawn, "Hazel waved at the moon.".into(), 2_000);
    f.store.revise_page(&drawn, &edited).await.unwrap();
    let again = revision::edit(&b, &drawn, "A lost edit.".into(), 2_001);
    assert!(
        matches!(
            f.store.revise_page(&drawn, &again).await,
            Err(Error::Stale(_))
        ),
        "a second change from the same revision is stale"
    );
    let stored = f.store.get_page(&b.id, 1).await.unwrap().unwrap();
    assert_eq!(
        (stored.revision, stored.text.as_str()),
        (2, "Hazel waved at the moon.")
    );

    let redrawn = revision::redraw(&stored, Some("a stormy sky".into()), 3_000);
    f.store.revise_page(&stored, &redrawn).await.unwrap();
    let tally = f.store.get_book(&b.id).await.unwrap().unwrap().tally;
    assert_eq!(tally.done, 0, "a picture being redrawn is not counted");
    let pending = f.store.get_page(&b.id, 1).await.unwrap().unwrap();
    assert_eq!(pending.illustration, IllustrationStatus::Pending);
    assert_eq!(
        pending.image_key.as_deref(),
        Some("books/x/1-a.png"),
        "still shown"
    );

    // The new picture lands after an editor read the page: their change must re-read.
    f.store
        .finish_illustration(&b.id, 1, &ok("books/x/1-b.png"))
        .await
        .unwrap();
    let late = revision::edit(&b, &pending, "Too late.".into(), 3_500);
    assert!(matches!(
        f.store.revise_page(&pending, &late).await,
        Err(Error::Conflict(_))
    ));

    let history = f.store.list_revisions(&b.id, 1).await.unwrap();
    let numbers: Vec<u32> = history.iter().map(|r| r.revision).collect();
    assert_eq!(numbers, vec![1, 2]);
    assert_eq!(history[0].text, drawn.text);
    assert_eq!(history[0].image_key.as_deref(), Some("books/x/1-a.png"));
    assert!(f.store.list_revisions(&b.id, 2).await.unwrap().is_empty());

    let current = f.store.get_page(&b.id, 1).await.unwrap().unwrap();
    assert_eq!(current.image_key.as_deref(), Some("books/x/1-b.png"));
    let back = revision::restore(&current, &history[0], 4_000);
    f.store.revise_page(&current, &back).await.unwrap();
    let restored = f.store.get_page(&b.id, 1).await.unwrap().unwrap();
    assert_eq!(restored.text, drawn.text);
    assert_eq!(restored.image_key.as_deref(), Some("books/x/1-a.png"));
    assert_eq!(restored.revision, 4);
    assert_eq!(
        f.store.get_book(&b.id).await.unwrap().unwrap().tally.done,
        1
    );
    assert_eq!(f.store.list_revisions(&b.id, 1).await.unwrap().len(), 3);

    f.store.delete_book(&b.id).await.unwrap();
    assert!(f.store.list_revisions(&b.id, 1).await.unwrap().is_empty());
}

/// Budgets (per owner) and stage timings (one record) are compare-and-swap records.
pub async fn budgets_and_timings_are_versioned(f: &Fixture) {
    let me = owner();
    let fresh = f.store.get_budget(&me).await.unwrap();
    assert_eq!((fresh.version, fresh.monthly_micros), (0, None));
    let mut budget = fresh.clone();
    budget.monthly_micros = Some(2_000_000);
    budget.charge(1_500, 1_795_435_200_000);
    let saved = f.store.put_budget(&budget).await.unwrap();
    assert_eq!(saved.version, 1);
    assert!(matches!(
        f.store.put_budget(&budget).await,
        Err(Error::Conflict(_))
    ));
    let read = f.store.get_budget(&me).await.unwrap();
    assert_eq!(read, saved);
    assert_eq!(f.store.get_budget(&owner()).await.unwrap().version, 0);

    // Timings are shared by every test on this store: work from what is there.
    let before = f.store.get_timings().await.unwrap();
    let mut next = before.clone();
    next.record(BookStatus::Assembling, 1_234, 4);
    let stored = f.store.put_timings(&next).await.unwrap();
    assert_eq!(stored.version, before.version + 1);
    assert!(matches!(
        f.store.put_timings(&next).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(
        f.store.get_timings().await.unwrap().samples["assembling"].last(),
        Some(&1_234)
    );
}
