//! [`ShareStore`] in the store's redb file: shares.

use super::*;

#[async_trait]
impl ShareStore for FileStore {
    async fn put_share(&self, share: &Share) -> Result<()> {
        let json = to_json(share)?;
        let key = share_key(&share.book_id, &share.user);
        let index = shared_key(&share.user, &share.book_id);
        self.write(move |tx| {
            tx.open_table(SHARES)
                .map_err(err)?
                .insert(key.as_str(), json.as_str())
                .map_err(err)?;
            tx.open_table(SHARED_WITH)
                .map_err(err)?
                .insert(index.as_str(), json.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn get_share(&self, book: &BookId, user: &OwnerId) -> Result<Option<Share>> {
        let key = share_key(book, user);
        self.read(move |tx| get_json(&tx.open_table(SHARES).map_err(err)?, &key))
            .await
    }

    async fn list_shares(&self, book: &BookId) -> Result<Vec<Share>> {
        let prefix = format!("{book}#");
        let mut all: Vec<Share> = self
            .read(move |tx| prefix_values(&tx.open_table(SHARES).map_err(err)?, &prefix))
            .await?;
        all.sort_by(|a, b| (a.granted_at, &a.user).cmp(&(b.granted_at, &b.user)));
        Ok(all)
    }

    async fn shared_with(&self, user: &OwnerId) -> Result<Vec<Share>> {
        let prefix = format!("{user}#");
        let mut all: Vec<Share> = self
            .read(move |tx| prefix_values(&tx.open_table(SHARED_WITH).map_err(err)?, &prefix))
            .await?;
        all.sort_by(|a, b| (b.granted_at, &b.book_id).cmp(&(a.granted_at, &a.book_id)));
        Ok(all)
    }

    async fn delete_share(&self, book: &BookId, user: &OwnerId) -> Result<bool> {
        let key = share_key(book, user);
        let index = shared_key(user, book);
        self.write(move |tx| {
            let removed = tx
                .open_table(SHARES)
                .map_err(err)?
                .remove(key.as_str())
                .map_err(err)?
                .is_some();
            tx.open_table(SHARED_WITH)
                .map_err(err)?
                .remove(index.as_str())
                .map_err(err)?;
            Ok(removed)
        })
        .await
    }
}
