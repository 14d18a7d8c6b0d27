//! Money routes: the caller's monthly budget, and one book's cost cap.

use crate::caller::Owner;
use crate::extract::{Body, Segments};
use crate::problem::Problem;
use crate::routes::{BookView, book_id};
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

pub(crate) async fn get_budget(
    State(p): State<Ports>,
    Owner(owner): Owner,
) -> Result<axum::Json<BudgetView>> {
    Ok(axum::Json(
        spending::get(&*p.store, &*p.clock, &owner).await?,
    ))
}

pub(crate) async fn put_budget(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Body(input): Body<BudgetRequest>,
) -> Result<axum::Json<BudgetView>> {
    Ok(axum::Json(
        spending::set_monthly(&p, &owner, input.monthly_usd).await?,
    ))
}

pub(crate) async fn set_cap(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
    Body(input): Body<CapRequest>,
) -> Result<axum::Json<BookView>> {
    let book = spending::set_cap(&p, &owner, &book_id(&id)?, input.max_usd).await?;
    Ok(axum::Json(book.into()))
}
