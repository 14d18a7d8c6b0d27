//! The `/v1` routes: thin handlers that parse, call one use case, and shape the answer.

use crate::caller::{Owner, VerifiedOwner};
use crate::extract::{Body, Segments};
use crate::idempotency::StableId;
use crate::page_routes::PageView;
use crate::problem::Problem;
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use storyloom_application::books::{Download, Edition};
use storyloom_application::{Ports, books};
use storyloom_domain::{AgeBand, ArtStyle, BookStatus};
use storyloom_domain::{Book, BookId, CharacterId, Error, NewBook, OwnerId};
use utoipa::ToSchema;

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

pub(crate) fn book_id(raw: &str) -> Result<BookId> {
    BookId::parse(raw).map_err(|_| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "Not found",
            format!("book {raw} was not found"),
        )
    })
}

pub(crate) fn character_id(raw: &str) -> Result<CharacterId> {
    CharacterId::parse(raw).map_err(|_| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "Not found",
            format!("character {raw} was not found"),
        )
    })
}

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

/// A list response, in an object so it can grow (paging) without breaking clients.
#[derive(Serialize)]
pub(crate) struct Listing<T> {
    pub(crate) items: Vec<T>,
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

pub(crate) async fn create_book(
    State(p): State<Ports>,
    VerifiedOwner { owner, tier }: VerifiedOwner,
    headers: HeaderMap,
    stable: Option<Extension<StableId>>,
    Body(input): Body<NewBook>,
) -> Result<Response> {
    let correlation = correlation_id(&headers);
    let id = BookId::parse(&StableId::or_fresh(stable.as_deref()))?;
    let book = books::create(&p, &owner, tier, id, input, &correlation).await?;
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

pub(crate) async fn get_book(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<axum::Json<BookView>> {
    Ok(axum::Json(
        books::get(&*p.store, &owner, &book_id(&id)?).await?.into(),
    ))
}

pub(crate) async fn cancel_book(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<axum::Json<BookView>> {
    Ok(axum::Json(
        books::cancel(&p, &owner, &book_id(&id)?).await?.into(),
    ))
}

pub(crate) async fn retry_book(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<(StatusCode, axum::Json<BookView>)> {
    let book = books::retry(&p, &owner, &book_id(&id)?).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(book.into())))
}

pub(crate) async fn progress(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<axum::Json<storyloom_domain::Progress>> {
    Ok(axum::Json(
        books::progress(&p, &owner, &book_id(&id)?).await?,
    ))
}

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

pub(crate) fn deliver(
    download: Download,
    content_type: &'static str,
    filename: Option<String>,
) -> Response {
    match download {
        Download::Redirect(url) => {
            (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, url)]).into_response()
        }
        Download::Bytes(bytes) => {
            let mut r = (
                StatusCode::OK,
                [(header::CONTENT_TYPE, content_type)],
                bytes,
            )
                .into_response();
            if let Some(v) = filename
                .and_then(|f| HeaderValue::from_str(&format!("attachment; filename=\"{f}\"")).ok())
            {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
    }
}

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

pub(crate) async fn pdf(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<Response> {
    edition(&p, &owner, &id, Edition::Pdf).await
}

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
        books::edition(p, owner, &id, edition).await?,
        edition.content_type(),
        Some(format!("storyloom-{id}.{}", edition.extension())),
    ))
}

pub(crate) async fn delete_book(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<StatusCode> {
    books::delete(&p, &owner, &book_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
