//! Live progress as Server-Sent Events (`GET /v1/books/{id}/events`), for the local stack:
//! a `progress` event whenever the book's progress changes, and the stream ends after the
//! book reaches an end. (On AWS the same events go out over the WebSocket API.)

use crate::caller::Owner;
use crate::extract::Segments;
use crate::ids::book_id;
use crate::problem::Problem;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use std::convert::Infallible;
use std::time::Duration;
use storyloom_application::{Ports, books};
use storyloom_domain::book::IllustrationTally;
use storyloom_domain::{BookId, OwnerId};

/// How often the store is read for a change.
const POLL: Duration = Duration::from_millis(250);

struct Watch {
    ports: Ports,
    owner: OwnerId,
    id: BookId,
    /// What the last event reflected: the book's version and picture tally (a picture
    /// landing changes the tally, not the version).
    last: Option<(u64, IllustrationTally)>,
    done: bool,
}

impl Watch {
    /// The next event: one store read per poll while nothing changes, the whole progress
    /// view once something did.
    async fn next(&mut self) -> Event {
        loop {
            let book = match self.ports.store.get_book(&self.id).await {
                Ok(Some(book)) => book,
                Ok(None) => return self.end(format!("book {} was not found", self.id)),
                Err(e) => return self.end(e.to_string()),
            };
            let seen = Some((book.version, book.tally));
            if seen != self.last {
                self.last = seen;
                return match books::progress(
                    &*self.ports.store,
                    &*self.ports.clock,
                    &self.ports.timings,
                    &self.owner,
                    &self.id,
                )
                .await
                {
                    Ok(progress) => {
                        self.done = progress.status.is_terminal();
                        Event::default()
                            .event("progress")
                            .json_data(&progress)
                            .unwrap_or_else(|e| self.end(e.to_string()))
                    }
                    Err(e) => self.end(e.to_string()),
                };
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// A last event saying why the stream ends.
    fn end(&mut self, why: String) -> Event {
        self.done = true;
        Event::default().event("problem").data(why)
    }
}

pub(crate) async fn stream(
    State(ports): State<Ports>,
    Owner(owner): Owner,
    Segments(id): Segments<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Problem> {
    let id = book_id(&id)?;
    // Refuse an unknown or hidden book before the stream starts, as a problem.
    books::get(&*ports.store, &owner, &id).await?;
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
        let event = w.next().await;
        Some((Ok(event), w))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
