//! The `RevisionStore` contract.

use super::*;

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
