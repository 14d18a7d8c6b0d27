//! Money routes: the caller's monthly budget, and one book's cost cap.

use crate::book_routes::BookView;
use crate::caller::Owner;
use crate::endpoint::Endpoint;
use crate::extract::{Body, Segments};
use crate::ids::book_id;
use crate::openapi::about;
use crate::problem::Problem;
use axum::extract::State;
use serde::Deserialize;
use storyloom_application::{Ports, spending};
use storyloom_domain::budget::BudgetView;
use utoipa::ToSchema;

type Result<T> = std::result::Result<T, Problem>;

/// The body of `PUT /v1/budget`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BudgetRequest {
    /// Most the caller's books may cost in a calendar month (UTC), in dollars; `null`
    /// removes the limit. Raising it resumes books it paused.
    #[schema(minimum = 0, example = 5.0)]
    monthly_usd: Option<f64>,
}

/// The body of `PUT /v1/books/{id}/cap`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CapRequest {
    /// Most this book may cost, in dollars; `null` removes the cap. Raising it resumes
    /// the book if the cap paused it.
    #[schema(minimum = 0, example = 0.5)]
    max_usd: Option<f64>,
}

#[utoipa::path(
    get,
    path = Endpoint::GetBudget.path(),
    operation_id = Endpoint::GetBudget.function_name(),
    tag = "books",
    summary = "The caller's monthly budget and this month's spending",
    responses(
        (status = 200, description = "The budget", body = BudgetView),
    )
)]
pub(crate) async fn get_budget(
    State(p): State<Ports>,
    Owner(owner): Owner,
) -> Result<axum::Json<BudgetView>> {
    Ok(axum::Json(
        spending::get(&*p.store, &*p.clock, &owner).await?,
    ))
}

#[utoipa::path(
    put,
    path = Endpoint::PutBudget.path(),
    operation_id = Endpoint::PutBudget.function_name(),
    tag = "books",
    summary = "Set or remove the caller's monthly budget; raising it resumes paused books",
    request_body = BudgetRequest,
    responses(
        (status = 200, description = "The budget", body = BudgetView),
    )
)]
pub(crate) async fn put_budget(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Body(input): Body<BudgetRequest>,
) -> Result<axum::Json<BudgetView>> {
    Ok(axum::Json(
        spending::set_monthly(&*p.store, &*p.queue, &*p.clock, &owner, input.monthly_usd).await?,
    ))
}

#[utoipa::path(
    put,
    path = Endpoint::SetBookCap.path(),
    operation_id = Endpoint::SetBookCap.function_name(),
    tag = "books",
    summary = "Set or remove a book's cost cap; raising it resumes a book it paused",
    request_body = CapRequest,
    responses(
        (status = 200, description = "The book", body = BookView),
        (status = 403, description = about::FORBIDDEN),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn set_cap(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
    Body(input): Body<CapRequest>,
) -> Result<axum::Json<BookView>> {
    let book = spending::set_cap(
        &*p.store,
        &*p.queue,
        &*p.clock,
        &owner,
        &book_id(&id)?,
        input.max_usd,
    )
    .await?;
    Ok(axum::Json(book.into()))
}
