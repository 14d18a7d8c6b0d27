//! [`PageStore`] in the store's redb file: pages and their pictures.

use super::*;

#[async_trait]
impl PageStore for FileStore {
    async fn put_page(&self, page: &Page) -> Result<()> {
        let key = page_key(&page.book_id, page.number);
        let json = to_json(page)?;
        self.write(move |tx| {
            tx.open_table(PAGES)
                .map_err(err)?
                .insert(key.as_str(), json.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn get_page(&self, book: &BookId, number: u32) -> Result<Option<Page>> {
        let key = page_key(book, number);
        self.read(move |tx| get_json(&tx.open_table(PAGES).map_err(err)?, &key))
            .await
    }

    async fn list_pages(&self, book: &BookId) -> Result<Vec<Page>> {
        let prefix = format!("{book}#");
        self.read_cached(&self.pages, prefix.clone(), move |tx| {
            prefix_values(&tx.open_table(PAGES).map_err(err)?, &prefix)
        })
        .await
    }

    async fn start_illustration(&self, book: &BookId, number: u32, now: u64) -> Result<()> {
        let key = page_key(book, number);
        self.write(move |tx| {
            let mut t = tx.open_table(PAGES).map_err(err)?;
            let Some(mut page) = get_json::<Page>(&t, &key)? else {
                return Err(Error::NotFound(format!("page {key}")));
            };
            if page.illustration == IllustrationStatus::Pending {
                page.drawing_since = Some(now);
                t.insert(key.as_str(), to_json(&page)?.as_str())
                    .map_err(err)?;
            }
            Ok(())
        })
        .await
    }

    async fn finish_illustration(
        &self,
        book: &BookId,
        number: u32,
        outcome: &IllustrationOutcome,
    ) -> Result<(bool, IllustrationTally)> {
        let page_key = page_key(book, number);
        let book_key = book.to_string();
        let outcome = outcome.clone();
        self.write(move |tx| {
            let mut books = tx.open_table(BOOKS).map_err(err)?;
            let mut b: Book = get_json(&books, &book_key)?
                .ok_or_else(|| Error::NotFound(format!("book {book_key}")))?;
            let mut pages = tx.open_table(PAGES).map_err(err)?;
            let mut page: Page = get_json(&pages, &page_key)?
                .ok_or_else(|| Error::NotFound(format!("page {page_key}")))?;
            if page.illustration != IllustrationStatus::Pending {
                return Ok((false, b.tally));
            }
            page.illustration = outcome.status;
            page.image_key = outcome.image_key.clone();
            page.illustration_note = outcome.note.clone();
            page.drawing_since = None;
            b.tally.count(outcome.status)?;
            b.tally.picture_micros += outcome.cost_micros;
            pages
                .insert(page_key.as_str(), to_json(&page)?.as_str())
                .map_err(err)?;
            books
                .insert(book_key.as_str(), to_json(&b)?.as_str())
                .map_err(err)?;
            Ok((true, b.tally))
        })
        .await
    }

    async fn reopen_failed_illustrations(&self, book: &BookId) -> Result<Vec<u32>> {
        let book_key = book.to_string();
        let prefix = format!("{book}#");
        self.write(move |tx| {
            let mut books = tx.open_table(BOOKS).map_err(err)?;
            let mut b: Book = get_json(&books, &book_key)?
                .ok_or_else(|| Error::NotFound(format!("book {book_key}")))?;
            let mut pages = tx.open_table(PAGES).map_err(err)?;
            let failed: Vec<Page> = prefix_values::<Page>(&pages, &prefix)?
                .into_iter()
                .filter(|p| p.illustration == IllustrationStatus::Failed)
                .collect();
            let mut reopened = Vec::new();
            for mut page in failed {
                page.illustration = IllustrationStatus::Pending;
                page.image_key = None;
                page.illustration_note = None;
                b.tally.failed = b.tally.failed.saturating_sub(1);
                pages
                    .insert(
                        page_key(&page.book_id, page.number).as_str(),
                        to_json(&page)?.as_str(),
                    )
                    .map_err(err)?;
                reopened.push(page.number);
            }
            books
                .insert(book_key.as_str(), to_json(&b)?.as_str())
                .map_err(err)?;
            Ok(reopened)
        })
        .await
    }
}
