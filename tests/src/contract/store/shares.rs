//! The `ShareStore` contract.

use super::*;

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
