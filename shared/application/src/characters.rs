//! Saving, listing and deleting characters.

use crate::Ports;
use storyloom_domain::gates::safety;
use storyloom_domain::{Character, CharacterId, Error, NewCharacter, OwnerId, Result};

/// Saves a new character for `owner`. Everything about it goes into model prompts, so it
/// is screened by the safety gate first, field by field.
pub async fn create(
    ports: &Ports,
    owner: &OwnerId,
    id: CharacterId,
    input: NewCharacter,
) -> Result<Character> {
    let character = input.validate(id, owner.clone(), ports.clock.now_ms())?;
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
    match ports.store.put_character(&character).await {
        Ok(()) => Ok(character),
        // An idempotent retry whose first attempt saved it: the first one stands.
        Err(Error::Conflict(why)) => ports
            .store
            .get_character(owner, &character.id)
            .await?
            .ok_or(Error::Conflict(why)),
        Err(e) => Err(e),
    }
}

/// The owner's characters.
pub async fn list(ports: &Ports, owner: &OwnerId) -> Result<Vec<Character>> {
    ports.store.list_characters(owner).await
}

/// One of the owner's characters; another owner's is simply not found.
pub async fn get(ports: &Ports, owner: &OwnerId, id: &CharacterId) -> Result<Character> {
    ports
        .store
        .get_character(owner, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("character {id}")))
}

/// Deletes one of the owner's characters. Books already made keep their copy of the cast.
pub async fn delete(ports: &Ports, owner: &OwnerId, id: &CharacterId) -> Result<()> {
    if ports.store.delete_character(owner, id).await? {
        Ok(())
    } else {
        Err(Error::NotFound(format!("character {id}")))
    }
}
