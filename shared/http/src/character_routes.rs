//! Characters: save, list, read, edit and delete them, and their portraits.

use crate::caller::Owner;
use crate::extract::{Body, Segments};
use crate::idempotency::StableId;
use crate::problem::Problem;
use crate::routes::{Listing, character_id, deliver};
use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use storyloom_application::{Ports, characters};
use storyloom_domain::{Character, CharacterId, NewCharacter};

type Result<T> = std::result::Result<T, Problem>;

pub(crate) async fn update_character(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
    Body(edit): Body<NewCharacter>,
) -> Result<axum::Json<Character>> {
    Ok(axum::Json(
        characters::update(&*p.store, &owner, &character_id(&id)?, edit).await?,
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
        characters::redraw_portrait(&*p.store, &owner, &character_id(&id)?).await?,
    ))
}

pub(crate) async fn create_character(
    State(p): State<Ports>,
    Owner(owner): Owner,
    stable: Option<Extension<StableId>>,
    Body(input): Body<NewCharacter>,
) -> Result<Response> {
    let id = CharacterId::parse(&StableId::or_fresh(stable.as_deref()))?;
    let c = characters::create(&*p.store, &*p.clock, &owner, id, input).await?;
    let location = format!("/v1/characters/{}", c.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(c),
    )
        .into_response())
}

pub(crate) async fn list_characters(
    State(p): State<Ports>,
    Owner(owner): Owner,
) -> Result<axum::Json<Listing<Character>>> {
    Ok(axum::Json(Listing {
        items: characters::list(&*p.store, &owner).await?,
    }))
}

pub(crate) async fn get_character(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<axum::Json<Character>> {
    Ok(axum::Json(
        characters::get(&*p.store, &owner, &character_id(&id)?).await?,
    ))
}

pub(crate) async fn delete_character(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<StatusCode> {
    characters::delete(&*p.store, &*p.blobs, &owner, &character_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
