//! [`BookStore`] in the store's redb file: books (and the index of books in flight).

use super::*;

#[async_trait]
impl BookStore for FileStore {
    async fn create_book(&self, book: &Book) -> Result<()> {
        let id = book.id.to_string();
        let index = format!("{}#{:020}#{}", book.owner, book.created_at, book.id);
        let json = to_json(book)?;
        self.write(move |tx| {
            let mut books = tx.open_table(BOOKS).map_err(err)?;
            if books.get(id.as_str()).map_err(err)?.is_some() {
                return Err(Error::Conflict(format!("book {id} exists")));
            }
            books.insert(id.as_str(), json.as_str()).map_err(err)?;
            tx.open_table(OWNER_BOOKS)
                .map_err(err)?
                .insert(index.as_str(), "")
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn get_book(&self, id: &BookId) -> Result<Option<Book>> {
        let key = id.to_string();
        self.read_cached(&self.books, key.clone(), move |tx| {
            get_json(&tx.open_table(BOOKS).map_err(err)?, &key)
        })
        .await
    }

    async fn list_books(&self, owner: &OwnerId) -> Result<Vec<Book>> {
        let prefix = format!("{owner}#");
        self.read(move |tx| {
            let index = tx.open_table(OWNER_BOOKS).map_err(err)?;
            let books = tx.open_table(BOOKS).map_err(err)?;
            let end = format!("{prefix}\u{7f}");
            let mut out = Vec::new();
            for row in index
                .range(prefix.as_str()..end.as_str())
                .map_err(err)?
                .rev()
            {
                let (k, _) = row.map_err(err)?;
                let id = k.value().rsplit('#').next().unwrap_or_default().to_owned();
                if let Some(book) = get_json::<Book>(&books, &id)? {
                    out.push(book);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn update_book(&self, book: &Book) -> Result<Book> {
        let mut next = book.clone();
        self.write(move |tx| {
            let mut t = tx.open_table(BOOKS).map_err(err)?;
            let key = next.id.to_string();
            let current: Book =
                get_json(&t, &key)?.ok_or_else(|| Error::NotFound(format!("book {key}")))?;
            if current.version != next.version {
                return Err(Error::Conflict(format!(
                    "book {key} is at version {}, not {}",
                    current.version, next.version
                )));
            }
            next.version += 1;
            next.tally = current.tally;
            t.insert(key.as_str(), to_json(&next)?.as_str())
                .map_err(err)?;
            Ok(next)
        })
        .await
    }

    async fn delete_book(&self, id: &BookId) -> Result<()> {
        let id = id.to_string();
        self.write(move |tx| {
            let mut books = tx.open_table(BOOKS).map_err(err)?;
            let Some(book) = get_json::<Book>(&books, &id)? else {
                return Ok(());
            };
            let prefix = format!("{id}#");
            let mut shares = tx.open_table(SHARES).map_err(err)?;
            let granted: Vec<Share> = prefix_values(&shares, &prefix)?;
            let mut shared_with = tx.open_table(SHARED_WITH).map_err(err)?;
            for share in &granted {
                shares
                    .remove(share_key(&share.book_id, &share.user).as_str())
                    .map_err(err)?;
                shared_with
                    .remove(shared_key(&share.user, &share.book_id).as_str())
                    .map_err(err)?;
            }
            // Pages and their revision history share the `<book>#` key prefix.
            let end = format!("{prefix}\u{7f}");
            for table in [PAGES, REVISIONS] {
                tx.open_table(table)
                    .map_err(err)?
                    .retain_in(prefix.as_str()..end.as_str(), |_, _| false)
                    .map_err(err)?;
            }
            let index = format!("{}#{:020}#{}", book.owner, book.created_at, book.id);
            tx.open_table(OWNER_BOOKS)
                .map_err(err)?
                .remove(index.as_str())
                .map_err(err)?;
            books.remove(id.as_str()).map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn in_flight_books(&self, started_before: u64, limit: u32) -> Result<Vec<Book>> {
        // One machine holds few books: a scan stands in for DynamoDB's sparse index.
        self.read(move |tx| {
            let t = tx.open_table(BOOKS).map_err(err)?;
            let mut out = Vec::new();
            for row in t.iter().map_err(err)? {
                let (_, v) = row.map_err(err)?;
                let book: Book = from_json(v.value())?;
                if book.status.in_flight() && book.stage_started_at < started_before {
                    out.push(book);
                }
            }
            out.sort_by_key(|b| (b.stage_started_at, b.id.to_string()));
            out.truncate(limit as usize);
            Ok(out)
        })
        .await
    }
}
