//! Characters: save, list, read, edit and delete them, and their portraits.

use crate::caller::Owner;
use crate::endpoint::Endpoint;
use crate::extract::{Body, Segments};
use crate::idempotency::StableId;
use crate::ids::character_id;
use crate::openapi::about;
use crate::problem::Problem;
use crate::reply::{Listing, deliver};
use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use storyloom_application::{Ports, characters};
use storyloom_domain::{Character, CharacterId, NewCharacter};

/// The list `GET` answers, as the document names it.
type CharacterList = Listing<Character>;

type Result<T> = std::result::Result<T, Problem>;

#[utoipa::path(
    put,
    path = Endpoint::UpdateCharacter.path(),
    operation_id = Endpoint::UpdateCharacter.function_name(),
    tag = "characters",
    summary = "Edit a character; their portrait is drawn again (books already made keep their copy)",
    request_body = NewCharacter,
    responses(
        (status = 200, description = "The edited character", body = Character),
        (status = 404, description = about::NOT_FOUND),
    )
)]
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

#[utoipa::path(
    get,
    path = Endpoint::GetPortrait.path(),
    operation_id = Endpoint::GetPortrait.function_name(),
    tag = "characters",
    summary = "A character's portrait, drawn by the image model with the look books use",
    responses(
        (status = 200, description = "The portrait", content_type = "image/png"),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn portrait(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<Response> {
    Ok(deliver(
        characters::portrait(&*p.store, &*p.blobs, &*p.image, &owner, &character_id(&id)?).await?,
        "image/png",
        None,
    ))
}

#[utoipa::path(
    post,
    path = Endpoint::RedrawPortrait.path(),
    operation_id = Endpoint::RedrawPortrait.function_name(),
    tag = "characters",
    summary = "Draw a character's portrait anew (a new seed), when it is next requested",
    responses(
        (status = 200, description = "The character", body = Character),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn redraw_portrait(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<axum::Json<Character>> {
    Ok(axum::Json(
        characters::redraw_portrait(&*p.store, &owner, &character_id(&id)?).await?,
    ))
}

#[utoipa::path(
    post,
    path = Endpoint::CreateCharacter.path(),
    operation_id = Endpoint::CreateCharacter.function_name(),
    tag = "characters",
    summary = "Save a character",
    request_body = NewCharacter,
    responses(
        (status = 201, description = "The saved character", body = Character),
    )
)]
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

#[utoipa::path(
    get,
    path = Endpoint::ListCharacters.path(),
    operation_id = Endpoint::ListCharacters.function_name(),
    tag = "characters",
    summary = "The caller's characters, oldest first",
    responses(
        (status = 200, description = "The characters", body = inline(CharacterList)),
    )
)]
pub(crate) async fn list_characters(
    State(p): State<Ports>,
    Owner(owner): Owner,
) -> Result<axum::Json<Listing<Character>>> {
    Ok(axum::Json(Listing {
        items: characters::list(&*p.store, &owner).await?,
    }))
}

#[utoipa::path(
    get,
    path = Endpoint::GetCharacter.path(),
    operation_id = Endpoint::GetCharacter.function_name(),
    tag = "characters",
    summary = "One character",
    responses(
        (status = 200, description = "The character", body = Character),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn get_character(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<axum::Json<Character>> {
    Ok(axum::Json(
        characters::get(&*p.store, &owner, &character_id(&id)?).await?,
    ))
}

#[utoipa::path(
    delete,
    path = Endpoint::DeleteCharacter.path(),
    operation_id = Endpoint::DeleteCharacter.function_name(),
    tag = "characters",
    summary = "Delete a character (books keep their copy)",
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = about::NOT_FOUND),
    )
)]
pub(crate) async fn delete_character(
    State(p): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<StatusCode> {
    characters::delete(&*p.store, &*p.blobs, &owner, &character_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
