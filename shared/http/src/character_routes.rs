//! Editing a character and their portrait.

use crate::caller::Owner;
use crate::extract::{Body, Segments};
use crate::problem::Problem;
use crate::routes::{character_id, deliver};
use axum::extract::State;
use axum::response::Response;
use storyloom_application::{Ports, characters};
use storyloom_domain::{Character, NewCharacter};

type Result<T> = std::result::Result<T, Problem>;

pub(crate) async fn update_character(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
    Body(edit): Body<NewCharacter>,
) -> Result<axum::Json<Character>> {
    Ok(axum::Json(
        characters::update(&p, &owner, &character_id(&id)?, edit).await?,
    ))
}

pub(crate) async fn portrait(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<Response> {
    Ok(deliver(
        characters::portrait(&p, &owner, &character_id(&id)?).await?,
        "image/png",
        None,
    ))
}

pub(crate) async fn redraw_portrait(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<axum::Json<Character>> {
    Ok(axum::Json(
        characters::redraw_portrait(&p, &owner, &character_id(&id)?).await?,
    ))
}
