//! Each endpoint with its handler, as a constant: a function binary names only its own
//! route, so it links only its own handler; the local stack's router takes them all.

use crate::endpoint::Endpoint;
use crate::{book_routes, budget_routes, character_routes, live_routes, page_routes, share_routes};
use axum::routing::{MethodRouter, delete, get, post, put};
use storyloom_application::Ports;

/// One endpoint and the handler that serves it.
#[derive(Clone, Copy)]
pub struct Route {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// Builds its handler (a function pointer, so naming a route links no other handler).
    handler: fn() -> MethodRouter<Ports>,
}

impl Route {
    /// The handler, for a router.
    pub fn method_router(&self) -> MethodRouter<Ports> {
        (self.handler)()
    }
}

/// `CreateCharacter`.
pub const CREATE_CHARACTER: Route = Route {
    endpoint: Endpoint::CreateCharacter,
    handler: || post(character_routes::create_character),
};

/// `ListCharacters`.
pub const LIST_CHARACTERS: Route = Route {
    endpoint: Endpoint::ListCharacters,
    handler: || get(character_routes::list_characters),
};

/// `GetCharacter`.
pub const GET_CHARACTER: Route = Route {
    endpoint: Endpoint::GetCharacter,
    handler: || get(character_routes::get_character),
};

/// `DeleteCharacter`.
pub const DELETE_CHARACTER: Route = Route {
    endpoint: Endpoint::DeleteCharacter,
    handler: || delete(character_routes::delete_character),
};

/// `UpdateCharacter`.
pub const UPDATE_CHARACTER: Route = Route {
    endpoint: Endpoint::UpdateCharacter,
    handler: || put(character_routes::update_character),
};

/// `GetPortrait`.
pub const GET_PORTRAIT: Route = Route {
    endpoint: Endpoint::GetPortrait,
    handler: || get(character_routes::portrait),
};

/// `RedrawPortrait`.
pub const REDRAW_PORTRAIT: Route = Route {
    endpoint: Endpoint::RedrawPortrait,
    handler: || post(character_routes::redraw_portrait),
};

/// `CreateBook`.
pub const CREATE_BOOK: Route = Route {
    endpoint: Endpoint::CreateBook,
    handler: || post(book_routes::create_book),
};

/// `ListBooks`.
pub const LIST_BOOKS: Route = Route {
    endpoint: Endpoint::ListBooks,
    handler: || get(book_routes::list_books),
};

/// `GetBook`.
pub const GET_BOOK: Route = Route {
    endpoint: Endpoint::GetBook,
    handler: || get(book_routes::get_book),
};

/// `CancelBook`.
pub const CANCEL_BOOK: Route = Route {
    endpoint: Endpoint::CancelBook,
    handler: || post(book_routes::cancel_book),
};

/// `RetryBook`.
pub const RETRY_BOOK: Route = Route {
    endpoint: Endpoint::RetryBook,
    handler: || post(book_routes::retry_book),
};

/// `GetProgress`.
pub const GET_PROGRESS: Route = Route {
    endpoint: Endpoint::GetProgress,
    handler: || get(book_routes::progress),
};

/// `ListPages`.
pub const LIST_PAGES: Route = Route {
    endpoint: Endpoint::ListPages,
    handler: || get(book_routes::pages),
};

/// `GetPagePicture`.
pub const GET_PAGE_PICTURE: Route = Route {
    endpoint: Endpoint::GetPagePicture,
    handler: || get(book_routes::picture),
};

/// `DownloadPdf`.
pub const DOWNLOAD_PDF: Route = Route {
    endpoint: Endpoint::DownloadPdf,
    handler: || get(book_routes::pdf),
};

/// `DeleteBook`.
pub const DELETE_BOOK: Route = Route {
    endpoint: Endpoint::DeleteBook,
    handler: || delete(book_routes::delete_book),
};

/// `ListSharedBooks`.
pub const LIST_SHARED_BOOKS: Route = Route {
    endpoint: Endpoint::ListSharedBooks,
    handler: || get(share_routes::list_shared_books),
};

/// `ListShares`.
pub const LIST_SHARES: Route = Route {
    endpoint: Endpoint::ListShares,
    handler: || get(share_routes::list_shares),
};

/// `PutShare`.
pub const PUT_SHARE: Route = Route {
    endpoint: Endpoint::PutShare,
    handler: || put(share_routes::put_share),
};

/// `DeleteShare`.
pub const DELETE_SHARE: Route = Route {
    endpoint: Endpoint::DeleteShare,
    handler: || delete(share_routes::delete_share),
};

/// `GetPage`.
pub const GET_PAGE: Route = Route {
    endpoint: Endpoint::GetPage,
    handler: || get(page_routes::get_page),
};

/// `EditPage`.
pub const EDIT_PAGE: Route = Route {
    endpoint: Endpoint::EditPage,
    handler: || put(page_routes::edit_page),
};

/// `ListRevisions`.
pub const LIST_REVISIONS: Route = Route {
    endpoint: Endpoint::ListRevisions,
    handler: || get(page_routes::list_revisions),
};

/// `RestoreRevision`.
pub const RESTORE_REVISION: Route = Route {
    endpoint: Endpoint::RestoreRevision,
    handler: || post(page_routes::restore_revision),
};

/// `GetRevisionPicture`.
pub const GET_REVISION_PICTURE: Route = Route {
    endpoint: Endpoint::GetRevisionPicture,
    handler: || get(page_routes::revision_picture),
};

/// `RedrawPicture`.
pub const REDRAW_PICTURE: Route = Route {
    endpoint: Endpoint::RedrawPicture,
    handler: || post(page_routes::redraw),
};

/// `SetBookCap`.
pub const SET_BOOK_CAP: Route = Route {
    endpoint: Endpoint::SetBookCap,
    handler: || put(budget_routes::set_cap),
};

/// `GetBudget`.
pub const GET_BUDGET: Route = Route {
    endpoint: Endpoint::GetBudget,
    handler: || get(budget_routes::get_budget),
};

/// `PutBudget`.
pub const PUT_BUDGET: Route = Route {
    endpoint: Endpoint::PutBudget,
    handler: || put(budget_routes::put_budget),
};

/// `DownloadEpub`.
pub const DOWNLOAD_EPUB: Route = Route {
    endpoint: Endpoint::DownloadEpub,
    handler: || get(book_routes::epub),
};

/// `CreateLiveTicket`.
pub const CREATE_LIVE_TICKET: Route = Route {
    endpoint: Endpoint::CreateLiveTicket,
    handler: || post(live_routes::create_ticket),
};
