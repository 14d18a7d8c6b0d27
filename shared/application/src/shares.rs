//! Sharing a book with other users, and the books shared with the caller.

use crate::access::open;
use storyloom_domain::ports::{BookStore, Clock, ShareStore};
use storyloom_domain::share::{Access, Need, Role, Share};
use storyloom_domain::{Book, BookId, Error, OwnerId, Result};

/// Shares the caller's book with `user` as `role` (replacing an earlier role).
pub async fn grant<S>(
    store: &S,
    clock: &dyn Clock,
    caller: &OwnerId,
    id: &BookId,
    user: OwnerId,
    role: Role,
) -> Result<Share>
where
    S: BookStore + ShareStore + ?Sized,
{
    let (book, _) = open(store, caller, id, Need::Manage).await?;
    if user == book.owner {
        return Err(Error::invalid(
            "user",
            "is the book's owner, who has every right already",
        ));
    }
    let share = Share {
        book_id: id.clone(),
        owner: book.owner,
        user,
        role,
        granted_at: clock.now_ms(),
    };
    store.put_share(&share).await?;
    tracing::info!(book_id = %id, role = ?role, "book shared");
    Ok(share)
}

/// Revokes `user`'s share of the caller's book (revoking a share that is not there is not
/// an error: the outcome is the same).
pub async fn revoke<S>(store: &S, caller: &OwnerId, id: &BookId, user: &OwnerId) -> Result<()>
where
    S: BookStore + ShareStore + ?Sized,
{
    open(store, caller, id, Need::Manage).await?;
    store.delete_share(id, user).await?;
    Ok(())
}

/// Everyone the caller's book is shared with.
pub async fn list<S>(store: &S, caller: &OwnerId, id: &BookId) -> Result<Vec<Share>>
where
    S: BookStore + ShareStore + ?Sized,
{
    open(store, caller, id, Need::Manage).await?;
    store.list_shares(id).await
}

/// The books shared with the caller, newest share first, with the caller's access to each.
pub async fn shared_with_me<S>(store: &S, caller: &OwnerId) -> Result<Vec<(Book, Access)>>
where
    S: BookStore + ShareStore + ?Sized,
{
    let mut out = Vec::new();
    for share in store.shared_with(caller).await? {
        // A book deleted meanwhile simply drops out.
        if let Some(book) = store.get_book(&share.book_id).await?
            && let Some(access) = Access::of(&book.owner, caller, Some(&share))
        {
            out.push((book, access));
        }
    }
    Ok(out)
}
