//! [`ShareStore`] on the DynamoDB table: shares.

use super::*;

#[async_trait]
impl ShareStore for DynamoStore {
    async fn put_share(&self, share: &Share) -> Result<()> {
        let put = |item: Item| {
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .build()
                .map(|p| TransactWriteItem::builder().put(p).build())
                .map_err(|e| Error::Permanent(format!("share put: {e}")))
        };
        let on_book = to_item(share, book_pk(&share.book_id), share_sk(&share.user))?;
        let for_user = to_item(share, user_pk(&share.user), shared_sk(&share.book_id))?;
        self.client
            .transact_write_items()
            .transact_items(put(on_book)?)
            .transact_items(put(for_user)?)
            .send()
            .await
            .map_err(|e| classify("sharing a book", e))?;
        Ok(())
    }

    async fn get_share(&self, book: &BookId, user: &OwnerId) -> Result<Option<Share>> {
        self.get_item(book_pk(book), share_sk(user))
            .await?
            .map(from_item)
            .transpose()
    }

    async fn list_shares(&self, book: &BookId) -> Result<Vec<Share>> {
        let mut all: Vec<Share> = self
            .query_prefix(book_pk(book), "SHARE#", true)
            .await?
            .into_iter()
            .map(from_item)
            .collect::<Result<_>>()?;
        all.sort_by(|a, b| (a.granted_at, &a.user).cmp(&(b.granted_at, &b.user)));
        Ok(all)
    }

    async fn shared_with(&self, user: &OwnerId) -> Result<Vec<Share>> {
        let mut all: Vec<Share> = self
            .query_prefix(user_pk(user), "SHARED#", true)
            .await?
            .into_iter()
            .map(from_item)
            .collect::<Result<_>>()?;
        all.sort_by(|a, b| (b.granted_at, &b.book_id).cmp(&(a.granted_at, &a.book_id)));
        Ok(all)
    }

    async fn delete_share(&self, book: &BookId, user: &OwnerId) -> Result<bool> {
        let existed = self.get_share(book, user).await?.is_some();
        let delete = |pk: String, sk: String| {
            Delete::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(pk, sk)))
                .build()
                .map(|d| TransactWriteItem::builder().delete(d).build())
                .map_err(|e| Error::Permanent(format!("share delete: {e}")))
        };
        self.client
            .transact_write_items()
            .transact_items(delete(book_pk(book), share_sk(user))?)
            .transact_items(delete(user_pk(user), shared_sk(book))?)
            .send()
            .await
            .map_err(|e| classify("revoking a share", e))?;
        Ok(existed)
    }
}
