//! Live progress as Server-Sent Events (`GET /v1/books/{id}/events`), for the local stack:
//! a `progress` event whenever the book's progress changes, and the stream ends after the
//! book reaches an end. (On AWS the same events go out over the WebSocket API.)

use crate::caller::Owner;
use crate::problem::Problem;
use crate::routes::book_id;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use std::convert::Infallible;
use std::time::Duration;
use storyloom_application::{Ports, books};
use storyloom_domain::{BookId, OwnerId};

/// How often the store is read for a change.
const POLL: Duration = Duration::from_millis(250);

struct Watch {
    ports: Ports,
    owner: OwnerId,
    id: BookId,
    last: Option<String>,
    done: bool,
}

pub(crate) async fn stream(
    State(ports): State<Ports>,
    Owner(owner): Owner,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Problem> {
    let id = book_id(&id)?;
    // Refuse an unknown or hidden book before the stream starts, as a problem.
    books::get(&ports, &owner, &id).await?;
    let watch = Watch {
        ports,
        owner,
        id,
        last: None,
        done: false,
    };
    let events = futures::stream::unfold(watch, |mut w| async move {
        if w.done {
            return None;
        }
        loop {
            let event = match books::progress(&w.ports, &w.owner, &w.id).await {
                Ok(progress) => {
                    let json = serde_json::to_string(&progress).unwrap_or_default();
                    // The estimate moves every read; a change means a change in the book.
                    let key = format!(
                        "{:?}{}{}",
                        progress.status, progress.updated_at, progress.illustrations.done
                    );
                    if w.last.as_deref() == Some(key.as_str()) {
                        None
                    } else {
                        w.last = Some(key);
                        w.done = progress.status.is_terminal();
                        Some(Event::default().event("progress").data(json))
                    }
                }
                Err(e) => {
                    // The book went away (deleted) or the store failed: say so and end.
                    w.done = true;
                    Some(Event::default().event("problem").data(e.to_string()))
                }
            };
            if let Some(event) = event {
                return Some((Ok(event), w));
            }
            tokio::time::sleep(POLL).await;
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
