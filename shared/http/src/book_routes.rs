//! Books: order, list, search, read, stop, retry, download and delete them. Thin handlers
//! that parse, call one use case, and shape the answer.

use crate::caller::{Owner, VerifiedOwner};
use crate::endpoint::Endpoint;
use crate::extract::{Body, Segments};
use crate::idempotency::StableId;
use crate::ids::{book_id, number};
use crate::openapi::about;
use crate::page_routes::PageView;
use crate::problem::Problem;
use crate::reply::{Listing, deliver};
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use storyloom_application::books::{Edition, Orders};
use storyloom_application::limits::Limiter;
use storyloom_application::{Ports, books};
use storyloom_domain::{AgeBand, ArtStyle, BookStatus};
use storyloom_domain::{Book, BookId, CharacterId, Error, NewBook, OwnerId};
use utoipa::ToSchema;

/// The list `GET` answers, as the document names it.
type BookList = Listing<BookView>;

/// The list `GET` answers, as the document names it.
type PageList = Listing<PageView>;

type Result<T> = std::result::Result<T, Problem>;

fn correlation_id(headers: &HeaderMap) -> String {
    headers
        .get("x-correlation-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// What clients see of a book.
#[derive(Serialize, ToSchema)]
#[schema(as = Book)]
pub(crate) struct BookView {
    #[schema(value_type = BookId)]
    id: String,
    title: String,
    #[schema(value_type = BookStatus)]
    status: String,
    premise: String,
    #[schema(value_type = AgeBand)]
    age_band: String,
    page_count: u32,
    #[schema(value_type = ArtStyle)]
    art_style: String,
    /// The cast's character ids.
    #[schema(value_type = Vec<CharacterId>)]
    cast: Vec<String>,
    /// The dedication printed after the title page, when the order had one.
    dedication: Option<String>,
    failure_reason: Option<String>,
    /// Why the book is paused (a budget ran out), while it is.
    paused_reason: Option<String>,
    /// What the book cost so far, by stage.
    cost: storyloom_domain::progress::CostView,
    /// The tier the book was ordered under: paid books go through the priority lane.
    tier: storyloom_domain::Tier,
    models: storyloom_domain::book::Credits,
    usage: storyloom_domain::ports::Usage,
    /// What review did: every round's gates and scores, the rewrites taken, and the
    /// diversity against the owner's earlier books.
    review: ReviewView,
    created_at: u64,
    updated_at: u64,
    links: Links,
}

/// The quality review of a book's story.
#[derive(Serialize, ToSchema)]
pub(crate) struct ReviewView {
    /// Rewrites review asked for.
    rewrites: u32,
    /// The latest round's comparison with the owner's earlier books (absent before the
    /// first review).
    diversity: Option<storyloom_domain::review::Diversity>,
    /// Every round, oldest first.
    rounds: Vec<storyloom_domain::review::ReviewRound>,
}

/// Where to find more of the book.
#[derive(Serialize, ToSchema)]
pub(crate) struct Links {
    progress: String,
    pages: String,
    pdf: Option<String>,
    epub: Option<String>,
}

impl From<Book> for BookView {
    fn from(b: Book) -> Self {
        let base = format!("/v1/books/{}", b.id);
        let cost = storyloom_domain::progress::CostView::of(&b);
        BookView {
            id: b.id.to_string(),
            title: b.title,
            status: b.status.to_string(),
            premise: b.request.premise,
            age_band: b.request.age_band.as_str().to_owned(),
            page_count: b.request.page_count,
            art_style: b.request.art_style.as_str().to_owned(),
            cast: b
                .request
                .cast
                .into_iter()
                .map(|c| c.id.to_string())
                .collect(),
            dedication: b.request.dedication,
            paused_reason: b.pause.as_ref().map(|p| p.reason.clone()),
            cost,
            failure_reason: b.failure_reason,
            tier: b.tier,
            models: b.credits,
            usage: b.text_usage,
            review: ReviewView {
                rewrites: b.rewrites,
                diversity: b.review.last().map(|r| r.diversity.clone()),
                rounds: b.review.rounds,
            },
            created_at: b.created_at,
            updated_at: b.updated_at,
            links: Links {
                progress: format!("{base}/progress"),
                pages: format!("{base}/pages"),
                pdf: b.pdf_key.map(|_| format!("{base}/book.pdf")),
                epub: b.epub_key.map(|_| format!("{base}/book.epub")),
            },
        }
    }
}

#[utoipa::path(
    post,
    path = Endpoint::CreateBook.path(),
    operation_id = Endpoint::CreateBook.function_name(),
    tag = "books",
    summary = "Order a book; it is written, checked, drawn and typeset in the background",
    request_body = NewBook,
    responses(
        (status = 202, description = "The book, queued", body = BookView),
    )
)]
pub(crate) async fn create_book(
    State(p): State<Ports>,
    VerifiedOwner { owner, tier }: VerifiedOwner,
    headers: HeaderMap,
    stable: Option<Extension<StableId>>,
    Body(input): Body<NewBook>,
) -> Result<Response> {
    let correlation = correlation_id(&headers);
    let id = BookId::parse(&StableId::or_fresh(stable.as_deref()))?;
    let book = books::create(&Orders::of(&p), &owner, tier, id, input, &correlation).await?;
    let location = format!("/v1/books/{}", book.id);
    let mut response = (
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        axum::Json(BookView::from(book)),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&correlation) {
        response.headers_mut().insert("x-correlation-id", v);
    }
    Ok(response)
}

/// `?q=`: words a listed book's title, premise or pages must all hold.
#[derive(Deserialize)]
pub(crate) struct BookSearch {
    q: Option<String>,
}

/// The longest search accepted.
const MAX_QUERY: usize = 200;

#[utoipa::path(
    get,
    path = Endpoint::ListBooks.path(),
    operation_id = Endpoint::ListBooks.function_name(),
    tag = "books",
    summary = "The caller's books, newest first; with `q`, those whose title, premise or pages \
             hold every word of it",
    params(("q" = Option<String>, Query, max_length = 200, description = "Words (case-insensitive) every listed book's title, premise or pages hold")),
    responses(
        (status = 200, description = "The books", body = inline(BookList)),
        (status = 422, description = "The search is longer than 200 characters"),
    )
)]
pub(crate) async fn list_books(
    State(p): State<Ports>,
    Owner(owner): Owner,
    axum::extract::Query(search): axum::extract::Query<BookSearch>,
) -> Result<axum::Json<Listing<BookView>>> {
    let query = search.q.filter(|q| !q.trim().is_empty());
    let found = match query {
        Some(q) if q.chars().count() > MAX_QUERY => {
            return Err(
                Error::invalid("q", format!("must be at most {MAX_QUERY} characters")).into(),
            );
        }
        Some(q) => books::search(&*p.store, &owner, &q).await?,
        None => books::list(&*p.store, &owner).await?,
    };
    Ok(axum::Json(Listing {
        items: found.into_iter().map(BookView::from).collect(),
    }))
}

#[utoipa::path(
    get,
    path = Endpoint::GetBook.path(),
    operation_id = Endpoint::GetBook.function_name(),
    tag = "books",
    summary = "One book",
    responses(
        (status = 200, description = "The book", body = BookView),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn get_book(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<axum::Json<BookView>> {
    Ok(axum::Json(
        books::get(&*p.store, &owner, &book_id(&id)?).await?.into(),
    ))
}

#[utoipa::path(
    post,
    path = Endpoint::CancelBook.path(),
    operation_id = Endpoint::CancelBook.function_name(),
    tag = "books",
    summary = "Stop making a book",
    responses(
        (status = 200, description = "The book, cancelled", body = BookView),
        (status = 403, description = about::FORBIDDEN),
        (status = 404, description = about::NOT_FOUND),
        (status = 409, description = about::CONFLICT),
    )
)]
pub(crate) async fn cancel_book(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<axum::Json<BookView>> {
    Ok(axum::Json(
        books::cancel(&*p.store, &*p.clock, &owner, &book_id(&id)?)
            .await?
            .into(),
    ))
}

#[utoipa::path(
    post,
    path = Endpoint::RetryBook.path(),
    operation_id = Endpoint::RetryBook.function_name(),
    tag = "books",
    summary = "Redraw the pictures that failed in a partial book",
    responses(
        (status = 202, description = "The book, being illustrated again", body = BookView),
        (status = 403, description = about::FORBIDDEN),
        (status = 404, description = about::NOT_FOUND),
        (status = 409, description = about::CONFLICT),
    )
)]
pub(crate) async fn retry_book(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<(StatusCode, axum::Json<BookView>)> {
    let book = books::retry(&*p.store, &*p.queue, &*p.clock, &owner, &book_id(&id)?).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(book.into())))
}

#[utoipa::path(
    get,
    path = Endpoint::GetProgress.path(),
    operation_id = Endpoint::GetProgress.function_name(),
    tag = "books",
    summary = "Where a book is, stage by stage",
    responses(
        (status = 200, description = "The progress", body = storyloom_domain::Progress),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn progress(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<axum::Json<storyloom_domain::Progress>> {
    Ok(axum::Json(
        books::progress(&*p.store, &*p.clock, &p.timings, &owner, &book_id(&id)?).await?,
    ))
}

#[utoipa::path(
    get,
    path = Endpoint::ListPages.path(),
    operation_id = Endpoint::ListPages.function_name(),
    tag = "books",
    summary = "The pages written so far",
    responses(
        (status = 200, description = "The pages", body = inline(PageList)),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn pages(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<axum::Json<Listing<PageView>>> {
    let id = book_id(&id)?;
    let items = books::pages(&*p.store, &owner, &id)
        .await?
        .into_iter()
        .map(|pg| PageView::of(&id, pg))
        .collect();
    Ok(axum::Json(Listing { items }))
}

#[utoipa::path(
    get,
    path = Endpoint::GetPagePicture.path(),
    operation_id = Endpoint::GetPagePicture.function_name(),
    tag = "books",
    summary = "A page's picture",
    responses(
        (status = 200, description = "The picture", content_type = "image/png"),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn picture(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments((id, n)): Segments<(String, String)>,
) -> Result<Response> {
    Ok(deliver(
        books::picture(
            &*p.store,
            &*p.blobs,
            &owner,
            &book_id(&id)?,
            number(&n, "page")?,
        )
        .await?,
        "image/png",
        None,
    ))
}

#[utoipa::path(
    get,
    path = Endpoint::DownloadPdf.path(),
    operation_id = Endpoint::DownloadPdf.function_name(),
    tag = "books",
    summary = "The print-ready PDF",
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf"),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn pdf(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<Response> {
    edition(&p, &owner, &id, Edition::Pdf).await
}

#[utoipa::path(
    get,
    path = Endpoint::DownloadEpub.path(),
    operation_id = Endpoint::DownloadEpub.function_name(),
    tag = "books",
    summary = "The EPUB 3 e-book, with the pictures and their descriptions",
    responses(
        (status = 200, description = "The e-book", content_type = "application/epub+zip"),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn epub(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<Response> {
    edition(&p, &owner, &id, Edition::Epub).await
}

/// A typeset form of the book, as a download named after the book.
async fn edition(p: &Ports, owner: &OwnerId, id: &str, edition: Edition) -> Result<Response> {
    let id = book_id(id)?;
    Ok(deliver(
        books::edition(&*p.store, &*p.blobs, owner, &id, edition).await?,
        edition.content_type(),
        Some(format!("storyloom-{id}.{}", edition.extension())),
    ))
}

#[utoipa::path(
    delete,
    path = Endpoint::DeleteBook.path(),
    operation_id = Endpoint::DeleteBook.function_name(),
    tag = "books",
    summary = "Delete a book with its pages, pictures and shares (owner only)",
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = about::FORBIDDEN),
        (status = 404, description = about::NOT_FOUND),
        (status = 409, description = about::CONFLICT),
    )
)]
pub(crate) async fn delete_book(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<StatusCode> {
    books::delete(&Limiter::of(&p), &*p.blobs, &owner, &book_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
