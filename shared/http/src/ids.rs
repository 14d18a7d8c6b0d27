//! The ids and numbers a path names: a segment that does not parse names nothing, so it
//! is answered 404 like any other unknown thing.

use crate::problem::Problem;
use axum::http::StatusCode;
use storyloom_domain::{BookId, CharacterId};

type Result<T> = std::result::Result<T, Problem>;

/// A page or revision number from the path; anything else names nothing there.
pub(crate) fn number(raw: &str, what: &str) -> Result<u32> {
    raw.parse().map_err(|_| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "Not found",
            format!("{what} {raw} was not found"),
        )
    })
}

/// The book a path names.
pub(crate) fn book_id(raw: &str) -> Result<BookId> {
    BookId::parse(raw).map_err(|_| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "Not found",
            format!("book {raw} was not found"),
        )
    })
}

/// The character a path names.
pub(crate) fn character_id(raw: &str) -> Result<CharacterId> {
    CharacterId::parse(raw).map_err(|_| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "Not found",
            format!("character {raw} was not found"),
        )
    })
}
