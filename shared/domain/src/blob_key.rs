//! Blob keys (`books/<id>/pictures/<n>-<attempt>.png`, `books/<id>/book.pdf`): checked the
//! same way by every blob store, so a key valid in one is valid in all and none can escape a
//! directory or smuggle URL syntax into an object key.

use crate::error::{Error, Result};

/// Accepts `/`-separated segments of `[A-Za-z0-9-_.@]`, none empty or starting with a dot.
pub fn check(key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && key.len() <= 512
        && key.split('/').all(|seg| {
            !seg.is_empty()
                && !seg.starts_with('.')
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'))
        });
    if ok {
        Ok(())
    } else {
        Err(Error::Permanent(format!("invalid blob key {key:?}")))
    }
}

/// Where a book's blobs live; everything of one book shares this prefix.
pub fn book_prefix(book: &crate::BookId) -> String {
    format!("books/{book}/")
}

/// Where a character's portrait (the drawing numbered `portrait`) is kept.
pub fn portrait(character: &crate::Character) -> String {
    format!(
        "{}{}.png",
        portrait_prefix(&character.owner, &character.id),
        character.portrait
    )
}

/// Where every drawing of a character's portrait is kept.
pub fn portrait_prefix(owner: &crate::OwnerId, id: &crate::CharacterId) -> String {
    format!("portraits/{owner}/{id}/")
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn keys_cannot_escape_or_smuggle() {
        assert!(check("books/b-1/pictures/3-abc.png").is_ok());
        assert!(check("books/b-1/book.pdf").is_ok());
        for bad in [
            "",
            "/abs",
            "books//x",
            "books/../etc",
            "books/.hidden",
            "a b",
            "a?b",
            "a\\b",
        ] {
            assert!(check(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
