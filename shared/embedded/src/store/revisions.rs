//! [`RevisionStore`] in the store's redb file: page revisions.

use super::*;

#[async_trait]
impl RevisionStore for FileStore {
    async fn revise_page(&self, current: &Page, next: &Page) -> Result<()> {
        let current = current.clone();
        let next = next.clone();
        self.write(move |tx| {
            let key = page_key(&current.book_id, current.number);
            let mut pages = tx.open_table(PAGES).map_err(err)?;
            let stored: Page = get_json(&pages, &key)?
                .ok_or_else(|| Error::NotFound(format!("page {}", current.number)))?;
            if stored.revision != current.revision {
                return Err(Error::Stale(format!(
                    "page {} is at revision {}, not {}",
                    current.number, stored.revision, current.revision
                )));
            }
            if (stored.illustration, &stored.image_key)
                != (current.illustration, &current.image_key)
            {
                return Err(Error::Conflict(format!(
                    "the picture of page {} changed meanwhile",
                    current.number
                )));
            }
            let history = revision_key(&current.book_id, current.number, current.revision);
            tx.open_table(REVISIONS)
                .map_err(err)?
                .insert(history.as_str(), to_json(&Revision::of(&current))?.as_str())
                .map_err(err)?;
            if current.illustration != next.illustration {
                let mut books = tx.open_table(BOOKS).map_err(err)?;
                let book_key = current.book_id.to_string();
                let mut b: Book = get_json(&books, &book_key)?
                    .ok_or_else(|| Error::NotFound(format!("book {book_key}")))?;
                b.tally.uncount(current.illustration);
                if next.illustration.is_terminal() {
                    b.tally.count(next.illustration)?;
                }
                books
                    .insert(book_key.as_str(), to_json(&b)?.as_str())
                    .map_err(err)?;
            }
            pages
                .insert(key.as_str(), to_json(&next)?.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn list_revisions(&self, book: &BookId, number: u32) -> Result<Vec<Revision>> {
        let prefix = format!("{book}#{number:04}#");
        self.read(move |tx| prefix_values(&tx.open_table(REVISIONS).map_err(err)?, &prefix))
            .await
    }
}
