//! Saving, editing, listing and deleting characters, and drawing their portraits.

use crate::books::{Download, download};
use storyloom_domain::gates::safety;
use storyloom_domain::ports::{BlobStore, CharacterStore, Clock, ImageModel};
use storyloom_domain::{ArtStyle, Character, CharacterId, Error, NewCharacter, OwnerId, Result};
use storyloom_domain::{blob_key, prompt};

/// Every field of a character goes into model prompts, so each is screened by the safety
/// gate before it is saved.
fn screen(character: &Character) -> Result<()> {
    let fields = [
        ("name", character.name.clone()),
        ("kind", character.kind.clone()),
        ("traits", character.traits.join(" ")),
        ("visual_description", character.visual_description.clone()),
        ("voice", character.voice.clone()),
    ];
    for (field, text) in fields {
        if let Some(problem) = safety(&text).into_iter().next() {
            return Err(Error::PolicyBlocked(format!(
                "the character's {field} {problem}"
            )));
        }
    }
    Ok(())
}

/// Saves a new character for `owner`. Everything about it goes into model prompts, so it
/// is screened by the safety gate first, field by field.
pub async fn create(
    store: &dyn CharacterStore,
    clock: &dyn Clock,
    owner: &OwnerId,
    id: CharacterId,
    input: NewCharacter,
) -> Result<Character> {
    let character = input.validate(id, owner.clone(), clock.now_ms())?;
    screen(&character)?;
    match store.put_character(&character).await {
        Ok(()) => Ok(character),
        // An idempotent retry whose first attempt saved it: the first one stands.
        Err(Error::Conflict(why)) => store
            .get_character(owner, &character.id)
            .await?
            .ok_or(Error::Conflict(why)),
        Err(e) => Err(e),
    }
}

/// The owner's characters.
pub async fn list(store: &dyn CharacterStore, owner: &OwnerId) -> Result<Vec<Character>> {
    store.list_characters(owner).await
}

/// One of the owner's characters; another owner's is simply not found.
pub async fn get(
    store: &dyn CharacterStore,
    owner: &OwnerId,
    id: &CharacterId,
) -> Result<Character> {
    store
        .get_character(owner, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("character {id}")))
}

/// Edits one of the owner's characters: every field a person fills in, screened as a new
/// one is. The reference sheet and portrait are drawn again from the new description;
/// books already made keep their copy of the cast.
pub async fn update(
    store: &dyn CharacterStore,
    owner: &OwnerId,
    id: &CharacterId,
    edit: NewCharacter,
) -> Result<Character> {
    let current = get(store, owner, id).await?;
    let next = current.edited(edit)?;
    screen(&next)?;
    store.update_character(&next).await?;
    Ok(next)
}

/// Deletes one of the owner's characters with their portraits. Books already made keep
/// their copy of the cast.
pub async fn delete<S: CharacterStore + ?Sized>(
    store: &S,
    blobs: &dyn BlobStore,
    owner: &OwnerId,
    id: &CharacterId,
) -> Result<()> {
    // Portraits first: a crash midway leaves the character, so the delete can be repeated.
    for blob in blobs.list(&blob_key::portrait_prefix(owner, id)).await? {
        blobs.delete(&blob.key).await?;
    }
    if store.delete_character(owner, id).await? {
        Ok(())
    } else {
        Err(Error::NotFound(format!("character {id}")))
    }
}

/// The art style portraits are drawn in: the one a new book starts with.
pub const PORTRAIT_STYLE: ArtStyle = ArtStyle::Watercolour;

/// A character's portrait, drawn by the configured image model with the look every book
/// draws them with. Drawn on first request and kept; a redraw or an edit draws a new one.
pub async fn portrait(
    store: &dyn CharacterStore,
    blobs: &dyn BlobStore,
    image: &dyn ImageModel,
    owner: &OwnerId,
    id: &CharacterId,
) -> Result<Download> {
    let character = get(store, owner, id).await?;
    let key = blob_key::portrait(&character);
    let what = format!("the portrait of {}", character.name);
    let kept = blobs.list(&blob_key::portrait_prefix(owner, id)).await?;
    if !kept.iter().any(|b| b.key == key) {
        let drawn = image
            .draw(&prompt::portrait_request(&character, PORTRAIT_STYLE))
            .await?;
        blobs.put(&key, drawn.png, "image/png").await?;
        // Earlier drawings are no longer shown anywhere.
        for old in kept {
            blobs.delete(&old.key).await?;
        }
    }
    download(blobs, &key, &what).await
}

/// Asks for a new drawing of a character's portrait (a new seed); it is drawn when next
/// requested.
pub async fn redraw_portrait(
    store: &dyn CharacterStore,
    owner: &OwnerId,
    id: &CharacterId,
) -> Result<Character> {
    let mut character = get(store, owner, id).await?;
    character.portrait += 1;
    store.update_character(&character).await?;
    Ok(character)
}
