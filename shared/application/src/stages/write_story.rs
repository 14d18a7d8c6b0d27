//! write-story: the director plans the arc; then, page by page, each character's persona
//! proposes what they say and do, and the chronicler writes the page from the beat and
//! those proposals (resuming after a crash from the first page or proposal not yet
//! written in this round); then hand over to review.

use super::send_review;
use crate::Ports;
use storyloom_domain::page::IllustrationStatus;
use storyloom_domain::plan::StoryPlan;
use storyloom_domain::{BookId, BookStatus, Error, ErrorClass, Page, Proposal, Result, prompt};

/// Handles a `WriteStory` message.
pub async fn run(ports: &Ports, book_id: &BookId) -> Result<()> {
    let Some(mut book) = ports.store.get_book(book_id).await? else {
        return Ok(());
    };
    let now = ports.clock.now_ms();
    match book.status {
        BookStatus::Queued => {
            let queued_at = book.stage_started_at;
            book.transition(BookStatus::Writing, now)?;
            book = ports.store.update_book(&book).await?;
            crate::timings::stage_ended(
                &*ports.store,
                &*ports.clock,
                &ports.timings,
                BookStatus::Queued,
                queued_at,
                book.page_count(),
            )
            .await;
        }
        BookStatus::Writing => {}
        // A redelivery after the hand-over: make sure review got its message.
        BookStatus::Reviewing => {
            return send_review(ports, &book).await;
        }
        _ => return Ok(()),
    }
    match write(ports, &mut book).await {
        Ok(()) => {}
        Err(Error::OverBudget(why)) => {
            return crate::spending::pause(&*ports.store, &*ports.clock, book_id, &why).await;
        }
        Err(e) if e.class() == ErrorClass::Transient => return Err(e),
        Err(e) => {
            book.fail(
                format!("the story could not be written: {e}"),
                ports.clock.now_ms(),
            )?;
            crate::telemetry::save_finished(&*ports.store, &*ports.metrics, &book).await?;
            return Ok(());
        }
    }
    let writing_since = book.stage_started_at;
    book.transition(BookStatus::Reviewing, ports.clock.now_ms())?;
    let book = ports.store.update_book(&book).await?;
    crate::timings::stage_ended(
        &*ports.store,
        &*ports.clock,
        &ports.timings,
        BookStatus::Writing,
        writing_since,
        book.page_count(),
    )
    .await;
    send_review(ports, &book).await
}

async fn write(ports: &Ports, book: &mut storyloom_domain::Book) -> Result<()> {
    let text_info = ports.text.info();
    let plan = match book.plan.clone() {
        Some(plan) => plan,
        None => {
            let (response, cost) =
                crate::spending::text_call(ports, book, &prompt::plan_request(book)).await?;
            let plan = StoryPlan::parse(&response.text, book.page_count(), &book.cast_names())?;
            book.plan = Some(plan.clone());
            if book.title.is_empty() {
                book.title = plan.title.clone();
            }
            book.text_usage.add(response.usage);
            book.writing_micros += cost;
            book.credits.text_model = Some(text_info.id.clone());
            *book = ports.store.update_book(book).await?;
            plan
        }
    };
    let round = book.rewrites + 1;
    // One read for the whole book: a resumed run skips what this round already wrote.
    let mut written = ports.store.list_pages(&book.id).await?;
    for beat in &plan.beats {
        let n = beat.page;
        let existing = written
            .iter()
            .position(|p| p.number == n)
            .map(|i| written.swap_remove(i));
        if existing.as_ref().is_some_and(|p| p.revision >= round) {
            continue;
        }
        let feedback: Vec<_> = book
            .review_findings
            .iter()
            .filter(|f| f.page.is_none_or(|p| p == n))
            .cloned()
            .collect();
        let proposals = personas(ports, book, &plan, beat, round).await?;
        let request = prompt::page_request(
            book,
            &plan,
            n,
            existing.map(|p| p.text),
            feedback,
            proposals,
        );
        let (response, cost) = crate::spending::text_call(ports, book, &request).await?;
        let text = response.text.trim().to_owned();
        if text.is_empty() {
            return Err(Error::Permanent(format!(
                "the writer returned an empty page {n}"
            )));
        }
        let scene = prompt::scene(beat, mood(beat.phase), &text, &book.cast_names());
        let illustration_prompt = prompt::image_request(book, &scene, n).prompt;
        ports
            .store
            .put_page(&Page {
                book_id: book.id.clone(),
                number: n,
                text,
                illustration_prompt,
                scene,
                illustration: IllustrationStatus::Pending,
                image_key: None,
                illustration_note: None,
                drawing_since: None,
                revision: round,
                change: storyloom_domain::Change::Draft,
                changed_at: ports.clock.now_ms(),
                redraws: 0,
                direction: None,
            })
            .await?;
        // Usage is stored with each page so a resumed run never counts a call twice.
        book.drafting.clear();
        book.text_usage.add(response.usage);
        book.writing_micros += cost;
        *book = ports.store.update_book(book).await?;
    }
    Ok(())
}

/// The personas' proposals for a page: one call per character on it, each saved with
/// its cost as it lands, so a resumed run asks only those not yet heard this round.
async fn personas(
    ports: &Ports,
    book: &mut storyloom_domain::Book,
    plan: &StoryPlan,
    beat: &storyloom_domain::PageBeat,
    round: u32,
) -> Result<Vec<Proposal>> {
    book.drafting
        .retain(|p| p.page == beat.page && p.round == round);
    for character in &beat.characters {
        if book.drafting.iter().any(|p| &p.character == character) {
            continue;
        }
        let request = prompt::persona_request(book, plan, beat.page, character);
        let (response, cost) = crate::spending::text_call(ports, book, &request).await?;
        book.drafting.push(Proposal {
            page: beat.page,
            round,
            character: character.clone(),
            text: response.text.trim().to_owned(),
        });
        book.text_usage.add(response.usage);
        book.writing_micros += cost;
        *book = ports.store.update_book(book).await?;
    }
    Ok(book.drafting.clone())
}

fn mood(phase: storyloom_domain::ArcPhase) -> &'static str {
    use storyloom_domain::ArcPhase::*;
    match phase {
        Setup => "warm",
        Problem => "worried",
        Attempt => "hopeful",
        Turn => "brave",
        Resolution => "joyful",
    }
}
