//! Read-modify-write of a book under optimistic concurrency, in one place.

use storyloom_domain::ports::BookStore;
use storyloom_domain::{Book, BookId, Error, Result};

/// Applies `change` to the stored book and saves it, reading the book again and re-applying
/// the change whenever another writer saved first. `change` returns `false` to leave the
/// book as it is. Returns the book as it is afterwards (saved or left), `None` if there is
/// no such book.
pub(crate) async fn modify_book<S: BookStore + ?Sized>(
    store: &S,
    id: &BookId,
    mut change: impl FnMut(&mut Book) -> Result<bool>,
) -> Result<Option<Book>> {
    loop {
        let Some(mut book) = store.get_book(id).await? else {
            return Ok(None);
        };
        if !change(&mut book)? {
            return Ok(Some(book));
        }
        match store.update_book(&book).await {
            Ok(saved) => return Ok(Some(saved)),
            Err(Error::Conflict(_)) => continue,
            Err(e) => return Err(e),
        }
    }
}
