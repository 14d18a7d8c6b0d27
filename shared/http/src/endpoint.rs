//! The API's endpoints, each a named unit: the local stack serves them all from one router,
//! and on AWS each runs as its own Lambda function with a router of just that endpoint.

use crate::caller::{Identity, authenticate, rate_limit};
use crate::problem::{Problem, ensure_problem};
use crate::route::{self, Route};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode};
use axum::middleware;
use axum::routing::get;
use storyloom_application::Ports;
use storyloom_application::needs::Needs;

/// Liveness, public.
pub const HEALTH_PATH: &str = "/v1/health";
/// Readiness, public.
pub const READY_PATH: &str = "/v1/ready";
/// The local stack's metrics view.
pub const METRICS_PATH: &str = "/v1/metrics";

/// Request bodies larger than this are refused with 413.
pub const BODY_LIMIT: usize = 64 * 1024;

/// One endpoint of `/v1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    CreateCharacter,
    ListCharacters,
    GetCharacter,
    DeleteCharacter,
    UpdateCharacter,
    GetPortrait,
    RedrawPortrait,
    CreateBook,
    ListBooks,
    GetBook,
    CancelBook,
    RetryBook,
    GetProgress,
    ListPages,
    GetPagePicture,
    DownloadPdf,
    DeleteBook,
    ListSharedBooks,
    ListShares,
    PutShare,
    DeleteShare,
    GetPage,
    EditPage,
    ListRevisions,
    RestoreRevision,
    GetRevisionPicture,
    RedrawPicture,
    SetBookCap,
    GetBudget,
    PutBudget,
    DownloadEpub,
    CreateLiveTicket,
}

impl Endpoint {
    /// Every endpoint.
    pub const ALL: [Endpoint; 32] = [
        Endpoint::CreateCharacter,
        Endpoint::ListCharacters,
        Endpoint::GetCharacter,
        Endpoint::DeleteCharacter,
        Endpoint::UpdateCharacter,
        Endpoint::GetPortrait,
        Endpoint::RedrawPortrait,
        Endpoint::CreateBook,
        Endpoint::ListBooks,
        Endpoint::GetBook,
        Endpoint::CancelBook,
        Endpoint::RetryBook,
        Endpoint::GetProgress,
        Endpoint::ListPages,
        Endpoint::GetPagePicture,
        Endpoint::DownloadPdf,
        Endpoint::DeleteBook,
        Endpoint::ListSharedBooks,
        Endpoint::ListShares,
        Endpoint::PutShare,
        Endpoint::DeleteShare,
        Endpoint::GetPage,
        Endpoint::EditPage,
        Endpoint::ListRevisions,
        Endpoint::RestoreRevision,
        Endpoint::GetRevisionPicture,
        Endpoint::RedrawPicture,
        Endpoint::SetBookCap,
        Endpoint::GetBudget,
        Endpoint::PutBudget,
        Endpoint::DownloadEpub,
        Endpoint::CreateLiveTicket,
    ];

    /// The function that serves it on AWS (also its binary's name).
    pub fn function_name(self) -> &'static str {
        match self {
            Endpoint::CreateCharacter => "create-character",
            Endpoint::ListCharacters => "list-characters",
            Endpoint::GetCharacter => "get-character",
            Endpoint::DeleteCharacter => "delete-character",
            Endpoint::UpdateCharacter => "update-character",
            Endpoint::GetPortrait => "get-portrait",
            Endpoint::RedrawPortrait => "redraw-portrait",
            Endpoint::CreateBook => "create-book",
            Endpoint::ListBooks => "list-books",
            Endpoint::GetBook => "get-book",
            Endpoint::CancelBook => "cancel-book",
            Endpoint::RetryBook => "retry-book",
            Endpoint::GetProgress => "get-progress",
            Endpoint::ListPages => "list-pages",
            Endpoint::GetPagePicture => "get-page-picture",
            Endpoint::DownloadPdf => "download-pdf",
            Endpoint::DeleteBook => "delete-book",
            Endpoint::ListSharedBooks => "list-shared-books",
            Endpoint::ListShares => "list-shares",
            Endpoint::PutShare => "put-share",
            Endpoint::DeleteShare => "delete-share",
            Endpoint::GetPage => "get-page",
            Endpoint::EditPage => "edit-page",
            Endpoint::ListRevisions => "list-revisions",
            Endpoint::RestoreRevision => "restore-revision",
            Endpoint::GetRevisionPicture => "get-revision-picture",
            Endpoint::RedrawPicture => "redraw-picture",
            Endpoint::SetBookCap => "set-book-cap",
            Endpoint::GetBudget => "get-budget",
            Endpoint::PutBudget => "put-budget",
            Endpoint::DownloadEpub => "download-epub",
            Endpoint::CreateLiveTicket => "create-live-ticket",
        }
    }

    /// Its HTTP method.
    pub fn method(self) -> Method {
        match self {
            Endpoint::CreateCharacter
            | Endpoint::CreateBook
            | Endpoint::CancelBook
            | Endpoint::RetryBook
            | Endpoint::RestoreRevision
            | Endpoint::RedrawPicture
            | Endpoint::RedrawPortrait
            | Endpoint::CreateLiveTicket => Method::POST,
            Endpoint::DeleteCharacter | Endpoint::DeleteBook | Endpoint::DeleteShare => {
                Method::DELETE
            }
            Endpoint::PutShare
            | Endpoint::UpdateCharacter
            | Endpoint::EditPage
            | Endpoint::SetBookCap
            | Endpoint::PutBudget => Method::PUT,
            _ => Method::GET,
        }
    }

    /// Its path, with `{name}` parameters (the syntax axum and API Gateway share).
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::CreateCharacter | Endpoint::ListCharacters => "/v1/characters",
            Endpoint::GetCharacter | Endpoint::DeleteCharacter | Endpoint::UpdateCharacter => {
                "/v1/characters/{id}"
            }
            Endpoint::GetPortrait | Endpoint::RedrawPortrait => "/v1/characters/{id}/portrait",
            Endpoint::CreateBook | Endpoint::ListBooks => "/v1/books",
            Endpoint::GetBook | Endpoint::DeleteBook => "/v1/books/{id}",
            Endpoint::ListSharedBooks => "/v1/shared-books",
            Endpoint::ListShares => "/v1/books/{id}/shares",
            Endpoint::PutShare | Endpoint::DeleteShare => "/v1/books/{id}/shares/{user}",
            Endpoint::CancelBook => "/v1/books/{id}/cancel",
            Endpoint::RetryBook => "/v1/books/{id}/retry",
            Endpoint::GetProgress => "/v1/books/{id}/progress",
            Endpoint::ListPages => "/v1/books/{id}/pages",
            Endpoint::GetPagePicture => "/v1/books/{id}/pages/{n}/picture",
            Endpoint::DownloadPdf => "/v1/books/{id}/book.pdf",
            Endpoint::GetPage | Endpoint::EditPage => "/v1/books/{id}/pages/{n}",
            Endpoint::ListRevisions => "/v1/books/{id}/pages/{n}/revisions",
            Endpoint::RestoreRevision => "/v1/books/{id}/pages/{n}/revisions/{r}/restore",
            Endpoint::GetRevisionPicture => "/v1/books/{id}/pages/{n}/revisions/{r}/picture",
            Endpoint::RedrawPicture => "/v1/books/{id}/pages/{n}/redraw",
            Endpoint::SetBookCap => "/v1/books/{id}/cap",
            Endpoint::GetBudget | Endpoint::PutBudget => "/v1/budget",
            Endpoint::DownloadEpub => "/v1/books/{id}/book.epub",
            Endpoint::CreateLiveTicket => "/v1/live/tickets",
        }
    }

    /// Its route: the endpoint with its handler.
    pub const fn route(self) -> Route {
        match self {
            Endpoint::CreateCharacter => route::CREATE_CHARACTER,
            Endpoint::ListCharacters => route::LIST_CHARACTERS,
            Endpoint::GetCharacter => route::GET_CHARACTER,
            Endpoint::DeleteCharacter => route::DELETE_CHARACTER,
            Endpoint::UpdateCharacter => route::UPDATE_CHARACTER,
            Endpoint::GetPortrait => route::GET_PORTRAIT,
            Endpoint::RedrawPortrait => route::REDRAW_PORTRAIT,
            Endpoint::CreateBook => route::CREATE_BOOK,
            Endpoint::ListBooks => route::LIST_BOOKS,
            Endpoint::GetBook => route::GET_BOOK,
            Endpoint::CancelBook => route::CANCEL_BOOK,
            Endpoint::RetryBook => route::RETRY_BOOK,
            Endpoint::GetProgress => route::GET_PROGRESS,
            Endpoint::ListPages => route::LIST_PAGES,
            Endpoint::GetPagePicture => route::GET_PAGE_PICTURE,
            Endpoint::DownloadPdf => route::DOWNLOAD_PDF,
            Endpoint::DeleteBook => route::DELETE_BOOK,
            Endpoint::ListSharedBooks => route::LIST_SHARED_BOOKS,
            Endpoint::ListShares => route::LIST_SHARES,
            Endpoint::PutShare => route::PUT_SHARE,
            Endpoint::DeleteShare => route::DELETE_SHARE,
            Endpoint::GetPage => route::GET_PAGE,
            Endpoint::EditPage => route::EDIT_PAGE,
            Endpoint::ListRevisions => route::LIST_REVISIONS,
            Endpoint::RestoreRevision => route::RESTORE_REVISION,
            Endpoint::GetRevisionPicture => route::GET_REVISION_PICTURE,
            Endpoint::RedrawPicture => route::REDRAW_PICTURE,
            Endpoint::SetBookCap => route::SET_BOOK_CAP,
            Endpoint::GetBudget => route::GET_BUDGET,
            Endpoint::PutBudget => route::PUT_BUDGET,
            Endpoint::DownloadEpub => route::DOWNLOAD_EPUB,
            Endpoint::CreateLiveTicket => route::CREATE_LIVE_TICKET,
        }
    }

    /// What its use case calls beyond storage: only a portrait is drawn on request.
    pub const fn needs(self) -> Needs {
        match self {
            Endpoint::GetPortrait => Needs {
                image: true,
                ..Needs::STORAGE
            },
            _ => Needs::STORAGE,
        }
    }
}

/// A router of the given endpoints, taking the caller from `identity`, with problem+json
/// for unknown paths and methods.
pub fn router_for(routes: &[Route], ports: Ports, identity: Identity) -> Router {
    let routes = routes.iter().fold(Router::new(), |r, route| {
        r.route(route.endpoint.path(), route.method_router())
    });
    with_layers(routes, ports, identity).layer(middleware::map_response(ensure_problem))
}

/// The path of the local stack's live progress stream.
pub const EVENTS_PATH: &str = "/v1/books/{id}/events";

/// Authentication, rate limits, idempotency, the body limit and problem+json fallbacks
/// around `routes`.
fn with_layers(routes: Router<Ports>, ports: Ports, identity: Identity) -> Router {
    routes
        .fallback(|| async {
            Problem::new(
                StatusCode::NOT_FOUND,
                "Not found",
                "no such endpoint; see /v1/books and /v1/characters",
            )
        })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "Method not allowed",
                "this endpoint does not accept that method",
            )
        })
        // Inner to outer: idempotency needs the caller, so it runs inside the identity layer.
        .layer(middleware::from_fn_with_state(
            ports.clone(),
            crate::idempotency::idempotent,
        ))
        .layer(middleware::from_fn_with_state(ports.clone(), rate_limit))
        .layer(middleware::from_fn_with_state(
            (identity, ports.clone()),
            authenticate,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(ports)
}

/// The whole API, as the local stack serves it (verifying bearer tokens itself), with its
/// OpenAPI document at `/v1/openapi.json` and the health probes (public, all three).
pub fn router(ports: Ports, identity: Identity) -> Router {
    Router::new()
        .route(
            "/v1/openapi.json",
            get(|| async { axum::Json(crate::openapi::document_json()) }),
        )
        .route(METRICS_PATH, get(crate::metrics::metrics))
        .with_state(ports.clone())
        .merge(probes(ports.clone()))
        .merge(crate::web_app::routes())
        .merge(match &identity {
            Identity::Local(local) => crate::account_routes::routes(ports.clone(), local.clone()),
            _ => Router::new(),
        })
        .merge(with_layers(
            Endpoint::ALL
                .iter()
                .fold(Router::new(), |r, e| {
                    r.route(e.path(), e.route().method_router())
                })
                .route(EVENTS_PATH, get(crate::events::stream)),
            ports,
            identity,
        ))
        .layer(middleware::map_response(ensure_problem))
}

/// The public health probes, `/v1/health` and `/v1/ready`: in the local stack's router,
/// and alone in the `check-readiness` function.
pub fn probes(ports: Ports) -> Router {
    Router::new()
        .route(HEALTH_PATH, get(crate::health::health))
        .route(READY_PATH, get(crate::health::ready))
        .with_state(ports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_has_its_own_route_and_only_a_portrait_needs_a_model() {
        for endpoint in Endpoint::ALL {
            assert_eq!(endpoint.route().endpoint, endpoint);
        }
        let needing: Vec<_> = Endpoint::ALL
            .into_iter()
            .filter(|e| e.needs() != Needs::STORAGE)
            .collect();
        assert_eq!(needing, [Endpoint::GetPortrait]);
    }
    use std::collections::HashSet;

    #[test]
    fn endpoints_are_unique_by_name_and_by_route() {
        let names: HashSet<_> = Endpoint::ALL.iter().map(|e| e.function_name()).collect();
        let routes: HashSet<_> = Endpoint::ALL
            .iter()
            .map(|e| (e.method(), e.path()))
            .collect();
        assert_eq!(names.len(), Endpoint::ALL.len());
        assert_eq!(routes.len(), Endpoint::ALL.len());
    }
}
