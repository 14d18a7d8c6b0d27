//! [`CharacterStore`] in the store's redb file: characters.

use super::*;

#[async_trait]
impl CharacterStore for FileStore {
    async fn put_character(&self, character: &Character) -> Result<()> {
        self.write_character(character, false).await
    }

    async fn get_character(&self, owner: &OwnerId, id: &CharacterId) -> Result<Option<Character>> {
        let key = char_key(owner, id);
        self.read(move |tx| get_json(&tx.open_table(CHARACTERS).map_err(err)?, &key))
            .await
    }

    async fn list_characters(&self, owner: &OwnerId) -> Result<Vec<Character>> {
        let prefix = format!("{owner}#");
        let mut all: Vec<Character> = self
            .read(move |tx| prefix_values(&tx.open_table(CHARACTERS).map_err(err)?, &prefix))
            .await?;
        Character::sort_oldest_first(&mut all);
        Ok(all)
    }

    async fn update_character(&self, character: &Character) -> Result<()> {
        self.write_character(character, true).await
    }

    async fn delete_character(&self, owner: &OwnerId, id: &CharacterId) -> Result<bool> {
        let key = char_key(owner, id);
        self.write(move |tx| {
            Ok(tx
                .open_table(CHARACTERS)
                .map_err(err)?
                .remove(key.as_str())
                .map_err(err)?
                .is_some())
        })
        .await
    }
}
