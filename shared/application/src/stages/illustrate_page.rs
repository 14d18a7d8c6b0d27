//! illustrate-page: draw one page's picture, record it atomically, and — for exactly one
//! page, the one whose conditional claim wins — hand the book to assembly.

use super::{Stage, StageStores, send_assemble};
use crate::Ports;
use storyloom_domain::book::IllustrationTally;
use storyloom_domain::ports::{BlobStore, IllustrationOutcome, ImageModel, SpendingStore};
use storyloom_domain::{
    BookId, BookStatus, Error, ErrorClass, IllustrationStatus, PriceTable, Result, prompt,
};

/// Where a picture comes from and goes to: the illustrator, the prices it is paid at, and
/// the blobs it is stored in.
pub struct Drawing<'a> {
    /// The illustrator.
    pub image: &'a dyn ImageModel,
    /// What its pictures cost.
    pub prices: &'a PriceTable,
    /// Where pictures are kept.
    pub blobs: &'a dyn BlobStore,
}

impl<'a> Drawing<'a> {
    /// The drawing ports of a process's ports.
    pub fn of(ports: &'a Ports) -> Self {
        Drawing {
            image: &*ports.image,
            prices: &ports.prices,
            blobs: &*ports.blobs,
        }
    }
}

/// Handles an `IllustratePage` message.
pub async fn run<S: StageStores + SpendingStore + ?Sized>(
    stage: &Stage<'_, S>,
    drawing: &Drawing<'_>,
    book_id: &BookId,
    number: u32,
) -> Result<()> {
    let Some(book) = stage.store.get_book(book_id).await? else {
        return Ok(());
    };
    let page = stage
        .store
        .get_page(book_id, number)
        .await?
        .ok_or_else(|| Error::NotFound(format!("page {number}")))?;
    let book = match book.status {
        BookStatus::Illustrating => book,
        // The claim was ours but the assemble message may have been lost with a crash.
        BookStatus::Assembling if book.assembly_claimed_by == Some(number) => {
            return send_assemble(stage.store, stage.queue, &book).await;
        }
        // A redraw asked for on a made book whose move back to illustrating was lost.
        BookStatus::Ready | BookStatus::Partial | BookStatus::Assembling
            if page.illustration == IllustrationStatus::Pending =>
        {
            super::back_to_illustrating(stage.store, stage.clock, book_id).await?
        }
        _ => return Ok(()),
    };
    if page.illustration.is_terminal() {
        // Already drawn: a redelivery. Finish the fan-in in case the first delivery crashed
        // before it.
        return fan_in(stage, book_id, number, book.tally).await;
    }
    stage
        .store
        .start_illustration(book_id, number, stage.clock.now_ms())
        .await?;
    let request = prompt::page_picture_request(&book, &page);
    let till = stage.till(drawing.prices);
    let (drawn, cost) = match till.image_call(drawing.image, &book, &request).await {
        Ok((picture, cost)) => (Ok(picture), cost),
        Err(Error::OverBudget(why)) => {
            return crate::spending::pause(stage.store, stage.clock, book_id, &why).await;
        }
        Err(e) if e.class() == ErrorClass::Transient => return Err(e),
        Err(e) => (Err(e), 0),
    };
    let outcome = match drawn {
        Ok(picture) => {
            // A fresh key per attempt: a duplicate drawer can never overwrite the picture
            // that the page record points at, and a redraw keeps the old one.
            let key = format!(
                "books/{book_id}/pages/{number:03}/{}.png",
                uuid::Uuid::new_v4()
            );
            drawing.blobs.put(&key, picture.png, "image/png").await?;
            IllustrationOutcome {
                status: IllustrationStatus::Ok,
                image_key: Some(key),
                note: None,
                cost_micros: cost,
            }
        }
        // A redraw that fails keeps the picture the page had, and says why.
        Err(e) if page.image_key.is_some() => IllustrationOutcome {
            status: IllustrationStatus::Ok,
            image_key: page.image_key.clone(),
            note: Some(format!(
                "the redraw did not work, so the picture was kept: {e}"
            )),
            cost_micros: cost,
        },
        Err(Error::PolicyBlocked(why)) => IllustrationOutcome {
            status: IllustrationStatus::Flagged,
            image_key: None,
            note: Some(why),
            cost_micros: cost,
        },
        Err(e) => IllustrationOutcome {
            status: IllustrationStatus::Failed,
            image_key: None,
            note: Some(e.to_string()),
            cost_micros: cost,
        },
    };
    let (applied, tally) = stage
        .store
        .finish_illustration(book_id, number, &outcome)
        .await?;
    if !applied
        && let Some(key) = &outcome.image_key
        && page.image_key.as_ref() != Some(key)
    {
        drawing.blobs.delete(key).await?;
    }
    fan_in(stage, book_id, number, tally).await
}

/// Gives up on a page's picture (its message kept failing): records it Failed with the
/// reason, then finishes the fan-in like any other last picture would. The book ends
/// Partial, and the owner can retry the picture.
pub async fn give_up<S: StageStores + ?Sized>(
    stage: &Stage<'_, S>,
    book_id: &BookId,
    number: u32,
    reason: &str,
) -> Result<()> {
    let outcome = IllustrationOutcome {
        status: IllustrationStatus::Failed,
        image_key: None,
        note: Some(reason.to_owned()),
        cost_micros: 0,
    };
    let (_, tally) = stage
        .store
        .finish_illustration(book_id, number, &outcome)
        .await?;
    fan_in(stage, book_id, number, tally).await
}

/// When every page has a terminal picture, move the book to assembly with a versioned
/// (conditional) update. Concurrent finishers race on that update; exactly one wins and
/// sends the single assemble message.
async fn fan_in<S: StageStores + ?Sized>(
    stage: &Stage<'_, S>,
    book_id: &BookId,
    number: u32,
    tally: IllustrationTally,
) -> Result<()> {
    loop {
        let Some(mut book) = stage.store.get_book(book_id).await? else {
            return Ok(());
        };
        if tally.finished().max(book.tally.finished()) < book.page_count() {
            return Ok(());
        }
        match book.status {
            BookStatus::Illustrating => {
                let started = book.stage_started_at;
                // Only a whole book's pictures measure the stage (not one redrawn page).
                let first = book.pdf_key.is_none();
                book.assembly_claimed_by = Some(number);
                book.transition(BookStatus::Assembling, stage.clock.now_ms())?;
                match stage.store.update_book(&book).await {
                    Ok(book) => {
                        if first {
                            stage.ended(BookStatus::Illustrating, started, &book).await;
                        }
                        return send_assemble(stage.store, stage.queue, &book).await;
                    }
                    Err(Error::Conflict(_)) => continue,
                    Err(e) => return Err(e),
                }
            }
            BookStatus::Assembling if book.assembly_claimed_by == Some(number) => {
                return send_assemble(stage.store, stage.queue, &book).await;
            }
            _ => return Ok(()),
        }
    }
}
