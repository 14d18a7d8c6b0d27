//! [`RevisionStore`] on the DynamoDB table: page revisions.

use super::*;

#[async_trait]
impl RevisionStore for DynamoStore {
    async fn revise_page(&self, current: &Page, next: &Page) -> Result<()> {
        let book = &current.book_id;
        let page = to_item(next, book_pk(book), page_sk(next.number))?;
        let picture = match &current.image_key {
            Some(key) => ("#key = :key", s(key.clone())),
            None => ("attribute_type(#key, :nulltype)", s("NULL")),
        };
        let page = Put::builder()
            .table_name(&self.table)
            .set_item(Some(page))
            .condition_expression(format!(
                "#rev = :rev AND #status = :status AND {}",
                picture.0
            ))
            .expression_attribute_names("#rev", "revision")
            .expression_attribute_names("#status", "illustration")
            .expression_attribute_names("#key", "image_key")
            .expression_attribute_values(":rev", n(current.revision))
            .expression_attribute_values(":status", attribute(current.illustration)?)
            .expression_attribute_values(
                if current.image_key.is_some() {
                    ":key"
                } else {
                    ":nulltype"
                },
                picture.1,
            )
            .build()
            .map_err(|e| Error::Permanent(format!("page revision: {e}")))?;
        let history = Put::builder()
            .table_name(&self.table)
            .set_item(Some(to_item(
                &Revision::of(current),
                book_pk(book),
                revision_sk(current.number, current.revision),
            )?))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .build()
            .map_err(|e| Error::Permanent(format!("revision record: {e}")))?;
        let mut items = vec![
            TransactWriteItem::builder().put(page).build(),
            TransactWriteItem::builder().put(history).build(),
        ];
        if current.illustration != next.illustration {
            let mut clauses = Vec::new();
            let mut update = Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(book_pk(book), META.into())))
                .condition_expression("attribute_exists(#pk)")
                .expression_attribute_names("#pk", PK)
                .expression_attribute_names("#tally", "tally")
                .expression_attribute_values(":one", n(1));
            if current.illustration.is_terminal() {
                clauses.push("#tally.#was = #tally.#was - :one");
                update = update.expression_attribute_names(
                    "#was",
                    IllustrationTally::counter(current.illustration)?,
                );
            }
            if next.illustration.is_terminal() {
                clauses.push("#tally.#now = #tally.#now + :one");
                update = update.expression_attribute_names(
                    "#now",
                    IllustrationTally::counter(next.illustration)?,
                );
            }
            let update = update
                .update_expression(format!("SET {}", clauses.join(", ")))
                .build()
                .map_err(|e| Error::Permanent(format!("tally update: {e}")))?;
            items.push(TransactWriteItem::builder().update(update).build());
        }
        if self.transact(items, "revising a page").await? {
            return Ok(());
        }
        match self.get_page(book, current.number).await? {
            None => Err(Error::NotFound(format!("page {}", current.number))),
            Some(stored) if stored.revision != current.revision => Err(Error::Stale(format!(
                "page {} is at revision {}, not {}",
                current.number, stored.revision, current.revision
            ))),
            Some(_) => Err(Error::Conflict(format!(
                "the picture of page {} changed meanwhile",
                current.number
            ))),
        }
    }

    async fn list_revisions(&self, book: &BookId, number: u32) -> Result<Vec<Revision>> {
        self.query_prefix(book_pk(book), &revisions_prefix(number), true)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }
}
