//! Who may do what with a book: its owner everything, a user it is shared with what their
//! role allows, anyone else nothing — and for them the book does not exist (404, never 403,
//! so ids cannot be probed).

use storyloom_domain::ports::{BookStore, ShareStore};
use storyloom_domain::share::{Access, Need};
use storyloom_domain::{Book, BookId, Error, OwnerId, Result};

/// The book `id` as `caller` may use it for `need`, with the caller's access.
pub async fn open<S>(store: &S, caller: &OwnerId, id: &BookId, need: Need) -> Result<(Book, Access)>
where
    S: BookStore + ShareStore + ?Sized,
{
    let not_found = || Error::NotFound(format!("book {id}"));
    let book = store.get_book(id).await?.ok_or_else(not_found)?;
    let share = if &book.owner == caller {
        None
    } else {
        store.get_share(id, caller).await?
    };
    let access = Access::of(&book.owner, caller, share.as_ref()).ok_or_else(not_found)?;
    if !access.allows(need) {
        return Err(Error::Forbidden(match need {
            Need::Manage => format!("only the owner of book {id} can delete or share it"),
            _ => format!("book {id} is shared with you to read, not to change"),
        }));
    }
    Ok((book, access))
}
