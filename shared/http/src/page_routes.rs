//! The page routes: read one page (with its ETag), edit it, list and restore its
//! revisions, redraw its picture.

use crate::caller::Owner;
use crate::endpoint::Endpoint;
use crate::extract::{Body, MaybeBody, Segments};
use crate::ids::{book_id, number};
use crate::openapi::about;
use crate::problem::Problem;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use storyloom_application::pages::Editor;
use storyloom_application::{Ports, books, pages};
use storyloom_domain::{BookId, Change, IllustrationStatus, Page, Revision};
use utoipa::ToSchema;

type Result<T> = std::result::Result<T, Problem>;

/// One page as a reader sees it.
#[derive(Serialize, ToSchema)]
#[schema(as = Page)]
pub(crate) struct PageView {
    pub(crate) number: u32,
    pub(crate) text: String,
    /// The current revision; its ETag is `"r<revision>"`.
    pub(crate) revision: u32,
    /// The value to send as `If-Match` to change this revision.
    pub(crate) etag: String,
    pub(crate) change: Change,
    pub(crate) illustration: IllustrationStatus,
    pub(crate) illustration_note: Option<String>,
    pub(crate) picture: Option<String>,
    /// The owner's note for the picture, when one was given with a redraw.
    pub(crate) direction: Option<String>,
}

impl PageView {
    pub(crate) fn of(book: &BookId, page: Page) -> Self {
        PageView {
            picture: page
                .image_key
                .as_ref()
                .map(|_| format!("/v1/books/{book}/pages/{}/picture", page.number)),
            etag: page.etag(),
            number: page.number,
            text: page.text,
            revision: page.revision,
            change: page.change,
            illustration: page.illustration,
            illustration_note: page.illustration_note,
            direction: page.direction,
        }
    }
}

/// A superseded revision of a page.
#[derive(Serialize, ToSchema)]
#[schema(as = Revision)]
pub(crate) struct RevisionView {
    revision: u32,
    text: String,
    change: Change,
    changed_at: u64,
    /// Whether the page had a picture at this revision (a restore brings it back).
    had_picture: bool,
    /// `POST` here to make this revision current again.
    restore: String,
    /// The picture the page showed at this revision, when it had one.
    picture: Option<String>,
}

/// A page's history: the current revision and the ones it replaced, oldest first.
#[derive(Serialize, ToSchema)]
#[schema(as = PageHistory)]
pub(crate) struct HistoryView {
    current: PageView,
    items: Vec<RevisionView>,
}

/// The body of `PUT …/pages/{n}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageEdit {
    /// The page's new text.
    #[schema(min_length = 1, max_length = 1200)]
    text: String,
}

/// The body of `POST …/pages/{n}/redraw` (optional).
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RedrawRequest {
    /// A note for the illustrator, e.g. "make the sky stormy".
    #[serde(default)]
    #[schema(max_length = 200)]
    note: Option<String>,
}

fn with_etag(status: StatusCode, id: &BookId, page: Page) -> Response {
    let etag = HeaderValue::from_str(&page.etag()).ok();
    let mut response = (status, axum::Json(PageView::of(id, page))).into_response();
    if let Some(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

fn if_match(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok())
}

#[utoipa::path(
    get,
    path = Endpoint::GetPage.path(),
    operation_id = Endpoint::GetPage.function_name(),
    tag = "books",
    summary = "One page; its ETag guards edits",
    responses(
        (status = 200, description = "The page (ETag header: its revision)", body = PageView),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn get_page(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments((id, n)): Segments<(String, String)>,
) -> Result<Response> {
    let id = book_id(&id)?;
    let n = number(&n, "page")?;
    let page = books::page(&*p.store, &owner, &id, n).await?;
    Ok(with_etag(StatusCode::OK, &id, page))
}

#[utoipa::path(
    put,
    path = Endpoint::EditPage.path(),
    operation_id = Endpoint::EditPage.function_name(),
    tag = "books",
    summary = "Replace a page's text as a new revision (send If-Match with its ETag); the PDF \
             is typeset again",
    params(("If-Match" = String, Header, description = about::IF_MATCH)),
    request_body = PageEdit,
    responses(
        (status = 200, description = "The page at its new revision", body = PageView),
        (status = 403, description = about::FORBIDDEN),
        (status = 404, description = about::NOT_FOUND),
        (status = 409, description = about::CONFLICT),
        (status = 412, description = about::STALE),
        (status = 428, description = about::MISSING_IF_MATCH),
    )
)]
pub(crate) async fn edit_page(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments((id, n)): Segments<(String, String)>,
    headers: HeaderMap,
    Body(edit): Body<PageEdit>,
) -> Result<Response> {
    let id = book_id(&id)?;
    let n = number(&n, "page")?;
    let page = pages::edit(
        &Editor::of(&p),
        &owner,
        &id,
        n,
        if_match(&headers),
        &edit.text,
    )
    .await?;
    Ok(with_etag(StatusCode::OK, &id, page))
}

#[utoipa::path(
    get,
    path = Endpoint::ListRevisions.path(),
    operation_id = Endpoint::ListRevisions.function_name(),
    tag = "books",
    summary = "A page's current revision and the ones it replaced, oldest first",
    responses(
        (status = 200, description = "The history", body = HistoryView),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn list_revisions(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments((id, n)): Segments<(String, String)>,
) -> Result<axum::Json<HistoryView>> {
    let id = book_id(&id)?;
    let n = number(&n, "page")?;
    let (current, history) = pages::revisions(&*p.store, &owner, &id, n).await?;
    let items = history
        .into_iter()
        .map(|r: Revision| RevisionView {
            restore: format!("/v1/books/{id}/pages/{n}/revisions/{}/restore", r.revision),
            picture: (r.image_key.is_some() && r.illustration == IllustrationStatus::Ok)
                .then(|| format!("/v1/books/{id}/pages/{n}/revisions/{}/picture", r.revision)),
            revision: r.revision,
            text: r.text,
            change: r.change,
            changed_at: r.changed_at,
            had_picture: r.image_key.is_some() && r.illustration == IllustrationStatus::Ok,
        })
        .collect();
    Ok(axum::Json(HistoryView {
        current: PageView::of(&id, current),
        items,
    }))
}

#[utoipa::path(
    get,
    path = Endpoint::GetRevisionPicture.path(),
    operation_id = Endpoint::GetRevisionPicture.function_name(),
    tag = "books",
    summary = "The picture a page showed at an earlier revision",
    responses(
        (status = 200, description = "The picture", content_type = "image/png"),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn revision_picture(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments((id, n, r)): Segments<(String, String, String)>,
) -> Result<Response> {
    let download = pages::revision_picture(
        &*p.store,
        &*p.blobs,
        &owner,
        &book_id(&id)?,
        number(&n, "page")?,
        number(&r, "revision")?,
    )
    .await?;
    Ok(crate::reply::deliver(download, "image/png", None))
}

#[utoipa::path(
    post,
    path = Endpoint::RestoreRevision.path(),
    operation_id = Endpoint::RestoreRevision.function_name(),
    tag = "books",
    summary = "Make an earlier revision current again (as a new revision), with the picture it had",
    params(("If-Match" = Option<String>, Header, description = about::IF_MATCH)),
    responses(
        (status = 200, description = "The page at its new revision", body = PageView),
        (status = 403, description = about::FORBIDDEN),
        (status = 404, description = about::NOT_FOUND),
        (status = 409, description = about::CONFLICT),
        (status = 412, description = about::STALE),
    )
)]
pub(crate) async fn restore_revision(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments((id, n, r)): Segments<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response> {
    let id = book_id(&id)?;
    let n = number(&n, "page")?;
    let r = number(&r, "revision")?;
    let page = pages::restore(&Editor::of(&p), &owner, &id, n, r, if_match(&headers)).await?;
    Ok(with_etag(StatusCode::OK, &id, page))
}

#[utoipa::path(
    post,
    path = Endpoint::RedrawPicture.path(),
    operation_id = Endpoint::RedrawPicture.function_name(),
    tag = "books",
    summary = "Redraw only this page's picture, optionally with a note; the book is typeset again",
    request_body = RedrawRequest,
    responses(
        (status = 202, description = "The page, its picture being drawn", body = PageView),
        (status = 403, description = about::FORBIDDEN),
        (status = 404, description = about::NOT_FOUND),
        (status = 409, description = about::CONFLICT),
    )
)]
pub(crate) async fn redraw(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments((id, n)): Segments<(String, String)>,
    MaybeBody(body): MaybeBody<RedrawRequest>,
) -> Result<Response> {
    let id = book_id(&id)?;
    let n = number(&n, "page")?;
    let note = body.unwrap_or_default().note;
    let page = pages::redraw(&Editor::of(&p), &owner, &id, n, note.as_deref()).await?;
    Ok(with_etag(StatusCode::ACCEPTED, &id, page))
}
