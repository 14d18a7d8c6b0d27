//! `POST /v1/live/tickets`: the way into the live-progress WebSocket on AWS. A browser
//! cannot put a bearer token on a WebSocket handshake, so it trades its token here for a
//! ticket that opens one connection.

use crate::caller::Owner;
use crate::endpoint::Endpoint;
use crate::problem::Problem;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use storyloom_application::{Ports, live};
use utoipa::ToSchema;

/// A ticket to open the live-progress WebSocket with.
#[derive(Serialize, ToSchema)]
pub(crate) struct TicketView {
    /// Pass it as `?ticket=` when connecting; it works once.
    #[schema(example = "3f2c9a0e5b7d4c1a9e8f6b2d0c4a7e13")]
    ticket: String,
    /// When it stops working (Unix milliseconds).
    expires_at_ms: u64,
    /// Then send `{"action":"subscribe","book_id":"<id>"}` to follow a book.
    #[schema(example = "subscribe")]
    next_action: &'static str,
}

#[utoipa::path(
    post,
    path = Endpoint::CreateLiveTicket.path(),
    operation_id = Endpoint::CreateLiveTicket.function_name(),
    tag = "books",
    summary = "A single-use ticket, valid for a minute, to open the live-progress WebSocket \
             with (`wss://…?ticket=…`), since a browser cannot send a bearer token there",
    responses(
        (status = 201, description = "The ticket", body = TicketView),
    )
)]
pub(crate) async fn create_ticket(
    State(p): State<Ports>,
    Owner(owner): Owner,
) -> Result<(StatusCode, Json<TicketView>), Problem> {
    let ticket = live::issue_ticket(&*p.store, &*p.clock, &owner).await?;
    Ok((
        StatusCode::CREATED,
        Json(TicketView {
            ticket: ticket.ticket,
            expires_at_ms: ticket.expires_at_ms,
            next_action: "subscribe",
        }),
    ))
}
