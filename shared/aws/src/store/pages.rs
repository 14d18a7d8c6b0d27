//! [`PageStore`] on the DynamoDB table: pages and their pictures.

use super::*;

#[async_trait]
impl PageStore for DynamoStore {
    async fn put_page(&self, page: &Page) -> Result<()> {
        let item = to_item(page, book_pk(&page.book_id), page_sk(page.number))?;
        self.put_plain(item, "saving a page").await
    }

    async fn get_page(&self, book: &BookId, number: u32) -> Result<Option<Page>> {
        self.get_item(book_pk(book), page_sk(number))
            .await?
            .map(from_item)
            .transpose()
    }

    async fn list_pages(&self, book: &BookId) -> Result<Vec<Page>> {
        self.query_prefix(book_pk(book), "PAGE#", true)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    async fn start_illustration(&self, book: &BookId, number: u32, now: u64) -> Result<()> {
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(book_pk(book), page_sk(number))))
            .update_expression("SET #since = :now")
            .condition_expression("attribute_exists(#pk) AND #status = :pending")
            .expression_attribute_names("#since", "drawing_since")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#status", "illustration")
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":pending", attribute(IllustrationStatus::Pending)?)
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            // Already finished (a redelivery): nothing to note.
            Err(e) if code(&e) == Some(CONDITION_FAILED) => {
                match self.get_page(book, number).await? {
                    Some(_) => Ok(()),
                    None => Err(Error::NotFound(format!("page {number} of book {book}"))),
                }
            }
            Err(e) => Err(classify("noting a picture in progress", e)),
        }
    }

    async fn finish_illustration(
        &self,
        book: &BookId,
        number: u32,
        outcome: &IllustrationOutcome,
    ) -> Result<(bool, IllustrationTally)> {
        let counter = IllustrationTally::counter(outcome.status)?;
        let opt = |v: &Option<String>| v.clone().map_or(AttributeValue::Null(true), s);
        // The page moves out of pending and the book's counter rises in one transaction:
        // never one without the other, and never twice for one page.
        let page = Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(book_pk(book), page_sk(number))))
            .update_expression("SET #status = :status, #key = :key, #note = :note, #since = :null")
            .condition_expression("attribute_exists(#pk) AND #status = :pending")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#status", "illustration")
            .expression_attribute_names("#key", "image_key")
            .expression_attribute_names("#note", "illustration_note")
            .expression_attribute_names("#since", "drawing_since")
            .expression_attribute_values(":status", attribute(outcome.status)?)
            .expression_attribute_values(":pending", attribute(IllustrationStatus::Pending)?)
            .expression_attribute_values(":key", opt(&outcome.image_key))
            .expression_attribute_values(":note", opt(&outcome.note))
            .expression_attribute_values(":null", AttributeValue::Null(true))
            .build()
            .map_err(|e| Error::Permanent(format!("page update: {e}")))?;
        let count = Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(book_pk(book), META.into())))
            .update_expression(
                "SET #tally.#counter = #tally.#counter + :one, \
                 #tally.#cost = if_not_exists(#tally.#cost, :zero) + :cost",
            )
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#tally", "tally")
            .expression_attribute_names("#counter", counter)
            .expression_attribute_names("#cost", "picture_micros")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":cost", n(outcome.cost_micros))
            .build()
            .map_err(|e| Error::Permanent(format!("tally update: {e}")))?;
        if self.page_and_tally(page, count).await? {
            return Ok((true, self.tally(book).await?));
        }
        match self.get_page(book, number).await? {
            None => Err(Error::NotFound(format!("page {number} of book {book}"))),
            Some(p) if p.illustration != IllustrationStatus::Pending => {
                Ok((false, self.tally(book).await?))
            }
            Some(_) => Err(Error::NotFound(format!("book {book}"))),
        }
    }

    async fn reopen_failed_illustrations(&self, book: &BookId) -> Result<Vec<u32>> {
        let mut reopened = Vec::new();
        for page in self.list_pages(book).await? {
            if page.illustration != IllustrationStatus::Failed {
                continue;
            }
            let reset = Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(book_pk(book), page_sk(page.number))))
                .update_expression("SET #status = :pending, #key = :null, #note = :null")
                .condition_expression("#status = :failed")
                .expression_attribute_names("#status", "illustration")
                .expression_attribute_names("#key", "image_key")
                .expression_attribute_names("#note", "illustration_note")
                .expression_attribute_values(":pending", attribute(IllustrationStatus::Pending)?)
                .expression_attribute_values(":failed", attribute(IllustrationStatus::Failed)?)
                .expression_attribute_values(":null", AttributeValue::Null(true))
                .build()
                .map_err(|e| Error::Permanent(format!("page update: {e}")))?;
            let uncount = Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(book_pk(book), META.into())))
                .update_expression("SET #tally.#failed = #tally.#failed - :one")
                .condition_expression("attribute_exists(#pk)")
                .expression_attribute_names("#pk", PK)
                .expression_attribute_names("#tally", "tally")
                .expression_attribute_names(
                    "#failed",
                    IllustrationTally::counter(IllustrationStatus::Failed)?,
                )
                .expression_attribute_values(":one", n(1))
                .build()
                .map_err(|e| Error::Permanent(format!("tally update: {e}")))?;
            if self.page_and_tally(reset, uncount).await? {
                reopened.push(page.number);
            }
        }
        Ok(reopened)
    }
}
