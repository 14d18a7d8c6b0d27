//! [`CharacterStore`] on the DynamoDB table: characters.

use super::*;

#[async_trait]
impl CharacterStore for DynamoStore {
    async fn put_character(&self, character: &Character) -> Result<()> {
        self.write_character(character, false).await
    }

    async fn get_character(&self, owner: &OwnerId, id: &CharacterId) -> Result<Option<Character>> {
        self.get_item(user_pk(owner), char_sk(id))
            .await?
            .map(from_item)
            .transpose()
    }

    async fn list_characters(&self, owner: &OwnerId) -> Result<Vec<Character>> {
        let mut all: Vec<Character> = self
            .query_prefix(user_pk(owner), "CHAR#", true)
            .await?
            .into_iter()
            .map(from_item)
            .collect::<Result<_>>()?;
        Character::sort_oldest_first(&mut all);
        Ok(all)
    }

    async fn update_character(&self, character: &Character) -> Result<()> {
        self.write_character(character, true).await
    }

    async fn delete_character(&self, owner: &OwnerId, id: &CharacterId) -> Result<bool> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(user_pk(owner), char_sk(id))))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(|e| classify("deleting a character", e))?;
        Ok(out.attributes.is_some_and(|a| !a.is_empty()))
    }
}
