//! The `CharacterStore` contract.

use super::*;

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
