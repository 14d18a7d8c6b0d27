//! [`BookStore`] on the DynamoDB table: books (and the index of books in flight).

use super::*;

#[async_trait]
impl BookStore for DynamoStore {
    async fn create_book(&self, book: &Book) -> Result<()> {
        let meta = Put::builder()
            .table_name(&self.table)
            .set_item(Some(book_item(book)?))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .build()
            .map_err(|e| Error::Permanent(format!("book put: {e}")))?;
        let mut listing = Self::key(user_pk(&book.owner), listing_sk(book));
        listing.insert("book_id".into(), s(book.id.to_string()));
        let listing = Put::builder()
            .table_name(&self.table)
            .set_item(Some(listing))
            .build()
            .map_err(|e| Error::Permanent(format!("listing put: {e}")))?;
        match self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(meta).build())
            .transact_items(TransactWriteItem::builder().put(listing).build())
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if code(&e) == Some("TransactionCanceledException") => {
                match self.get_book(&book.id).await? {
                    Some(_) => Err(Error::Conflict(format!("book {} exists", book.id))),
                    None => Err(classify("creating a book", e)),
                }
            }
            Err(e) => Err(classify("creating a book", e)),
        }
    }

    async fn get_book(&self, id: &BookId) -> Result<Option<Book>> {
        self.get_item(book_pk(id), META.into())
            .await?
            .map(from_item)
            .transpose()
    }

    async fn list_books(&self, owner: &OwnerId) -> Result<Vec<Book>> {
        let ids = self
            .query_prefix(user_pk(owner), "BOOK#", false)
            .await?
            .into_iter()
            .filter_map(|mut item| match item.remove("book_id") {
                Some(AttributeValue::S(id)) => Some(id),
                _ => None,
            })
            .collect();
        self.get_books(ids).await
    }

    async fn update_book(&self, book: &Book) -> Result<Book> {
        let mut next = book.clone();
        next.version += 1;
        let mut item = book_item(&next)?;
        item.remove(PK);
        item.remove(SK);
        // The tally belongs to `finish_illustration`'s counters.
        item.remove("tally");
        let in_flight = item.contains_key(IN_FLIGHT_PK);
        let SetClauses {
            mut expression,
            mut names,
            mut values,
        } = set_all(item);
        if !in_flight {
            // Leaving the pipeline drops the book out of the sparse in-flight index.
            expression.push_str(" REMOVE #ipk, #isk");
            names.insert("#ipk".into(), IN_FLIGHT_PK.into());
            names.insert("#isk".into(), IN_FLIGHT_SK.into());
        }
        names.insert("#pk".into(), PK.into());
        names.insert("#version".into(), "version".into());
        values.insert(":expected".into(), n(book.version));
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(book_pk(&book.id), META.into())))
            .update_expression(expression)
            .condition_expression("attribute_exists(#pk) AND #version = :expected")
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match out {
            Ok(out) => from_item(out.attributes.unwrap_or_default()),
            Err(e) if code(&e) == Some(CONDITION_FAILED) => Err(self.book_conflict(book).await),
            Err(e) => Err(classify("updating a book", e)),
        }
    }

    async fn delete_book(&self, id: &BookId) -> Result<()> {
        let Some(book) = self.get_book(id).await? else {
            return Ok(());
        };
        let mut keys = Vec::new();
        for share in self.list_shares(id).await? {
            keys.push((user_pk(&share.user), shared_sk(id)));
            keys.push((book_pk(id), share_sk(&share.user)));
        }
        for prefix in ["PAGE#", "REV#"] {
            for item in self.query_prefix(book_pk(id), prefix, true).await? {
                if let Some(AttributeValue::S(sk)) = item.get(SK) {
                    keys.push((book_pk(id), sk.clone()));
                }
            }
        }
        keys.push((user_pk(&book.owner), listing_sk(&book)));
        // The book goes last: until then a repeat finds it and finishes the job.
        keys.push((book_pk(id), META.into()));
        for (pk, sk) in keys {
            self.delete_plain(pk, sk, "deleting a book").await?;
        }
        Ok(())
    }

    async fn in_flight_books(&self, started_before: u64, limit: u32) -> Result<Vec<Book>> {
        let mut books = Vec::new();
        for shard in in_flight_shards() {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(IN_FLIGHT_INDEX)
                .key_condition_expression("#pk = :shard AND #sk < :before")
                .expression_attribute_names("#pk", IN_FLIGHT_PK)
                .expression_attribute_names("#sk", IN_FLIGHT_SK)
                .expression_attribute_values(":shard", s(shard))
                .expression_attribute_values(":before", n(started_before))
                .limit(limit.max(1) as i32)
                .send()
                .await
                .map_err(|e| classify("querying in-flight books", e))?;
            for item in out.items.unwrap_or_default() {
                books.push(from_item::<Book>(item)?);
            }
        }
        books.sort_by(|a, b| {
            a.stage_started_at
                .cmp(&b.stage_started_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        books.truncate(limit as usize);
        Ok(books)
    }
}
