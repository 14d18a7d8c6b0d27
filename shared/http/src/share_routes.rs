//! Sharing: who a book is shared with, granting and revoking, and the books shared with
//! the caller.

use crate::book_routes::BookView;
use crate::caller::Owner;
use crate::endpoint::Endpoint;
use crate::extract::{Body, Segments};
use crate::ids::book_id;
use crate::openapi::about;
use crate::problem::Problem;
use crate::reply::Listing;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use storyloom_application::{Ports, shares};
use storyloom_domain::{Access, Error, OwnerId, Role, Share};
use utoipa::ToSchema;

/// The list `GET` answers, as the document names it.
type SharedBookList = Listing<SharedBookView>;

/// The list `GET` answers, as the document names it.
type ShareList = Listing<ShareView>;

type Result<T> = std::result::Result<T, Problem>;

/// A book shared with the caller, and what they may do with it.
#[derive(Serialize, ToSchema)]
#[schema(as = SharedBook)]
pub(crate) struct SharedBookView {
    access: Access,
    book: BookView,
}

#[utoipa::path(
    get,
    path = Endpoint::ListSharedBooks.path(),
    operation_id = Endpoint::ListSharedBooks.function_name(),
    tag = "books",
    summary = "The books other users shared with the caller",
    responses(
        (status = 200, description = "The books and the caller's access", body = inline(SharedBookList)),
    )
)]
pub(crate) async fn list_shared_books(
    State(p): State<Ports>,
    Owner(owner): Owner,
) -> Result<axum::Json<Listing<SharedBookView>>> {
    let items = shares::shared_with_me(&*p.store, &owner)
        .await?
        .into_iter()
        .map(|(book, access)| SharedBookView {
            access,
            book: book.into(),
        })
        .collect();
    Ok(axum::Json(Listing { items }))
}

/// One user a book is shared with.
#[derive(Serialize, ToSchema)]
#[schema(as = Share)]
pub(crate) struct ShareView {
    #[schema(value_type = OwnerId)]
    user: String,
    role: Role,
    granted_at: u64,
}

impl From<Share> for ShareView {
    fn from(s: Share) -> Self {
        ShareView {
            user: s.user.to_string(),
            role: s.role,
            granted_at: s.granted_at,
        }
    }
}

/// The body of `PUT …/shares/{user}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShareRequest {
    role: Role,
}

fn user_id(raw: &str) -> Result<OwnerId> {
    OwnerId::parse(raw).map_err(|e| {
        let mut p = Problem::from(Error::invalid("user", e.to_string()));
        p.detail = format!("{raw:?} is not a user id: {e}");
        p
    })
}

#[utoipa::path(
    get,
    path = Endpoint::ListShares.path(),
    operation_id = Endpoint::ListShares.function_name(),
    tag = "books",
    summary = "Who a book is shared with (owner only)",
    responses(
        (status = 200, description = "The shares", body = inline(ShareList)),
        (status = 403, description = about::FORBIDDEN),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn list_shares(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<axum::Json<Listing<ShareView>>> {
    let items = shares::list(&*p.store, &owner, &book_id(&id)?)
        .await?
        .into_iter()
        .map(ShareView::from)
        .collect();
    Ok(axum::Json(Listing { items }))
}

#[utoipa::path(
    put,
    path = Endpoint::PutShare.path(),
    operation_id = Endpoint::PutShare.function_name(),
    tag = "books",
    summary = "Share a book with a user as viewer or editor (owner only)",
    request_body = ShareRequest,
    responses(
        (status = 200, description = "The share", body = ShareView),
        (status = 403, description = about::FORBIDDEN),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn put_share(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments((id, user)): Segments<(String, String)>,
    Body(input): Body<ShareRequest>,
) -> Result<axum::Json<ShareView>> {
    let id = book_id(&id)?;
    let user = user_id(&user)?;
    let share = shares::grant(&*p.store, &*p.clock, &owner, &id, user, input.role).await?;
    Ok(axum::Json(share.into()))
}

#[utoipa::path(
    delete,
    path = Endpoint::DeleteShare.path(),
    operation_id = Endpoint::DeleteShare.function_name(),
    tag = "books",
    summary = "Revoke a user's share (owner only)",
    responses(
        (status = 204, description = "Revoked, or there was none"),
        (status = 403, description = about::FORBIDDEN),
        (status = 404, description = about::NOT_FOUND),
        (status = 422, description = "The user id is not valid"),
    )
)]
pub(crate) async fn delete_share(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments((id, user)): Segments<(String, String)>,
) -> Result<StatusCode> {
    let id = book_id(&id)?;
    let user = user_id(&user)?;
    shares::revoke(&*p.store, &owner, &id, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}
