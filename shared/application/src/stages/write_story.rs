//! write-story: the director plans the arc; then, page by page, each character's persona
//! proposes what they say and do, and the chronicler writes the page from the beat and
//! those proposals (resuming after a crash from the first page or proposal not yet
//! written in this round); then hand over to review.

use super::{Stage, StageStores, send_review};
use crate::Ports;
use crate::spending::Till;
use storyloom_domain::page::IllustrationStatus;
use storyloom_domain::plan::StoryPlan;
use storyloom_domain::ports::{SpendingStore, TextModel};
use storyloom_domain::{
    BookId, BookStatus, Error, ErrorClass, Page, PriceTable, Proposal, Result, prompt,
};

/// Where the story comes from: the writer, and the prices its calls are paid at.
pub struct Writing<'a> {
    /// The writer.
    pub text: &'a dyn TextModel,
    /// What its calls cost.
    pub prices: &'a PriceTable,
}

impl<'a> Writing<'a> {
    /// The writing ports of a process's ports.
    pub fn of(ports: &'a Ports) -> Self {
        Writing {
            text: &*ports.text,
            prices: &ports.prices,
        }
    }
}

/// A story being written: the stage's ports, the till its calls are paid at, and the
/// writer.
struct Draft<'a, S: ?Sized> {
    stage: &'a Stage<'a, S>,
    till: Till<'a, S>,
    text: &'a dyn TextModel,
}

/// Handles a `WriteStory` message.
pub async fn run<S: StageStores + SpendingStore + ?Sized>(
    stage: &Stage<'_, S>,
    writing: &Writing<'_>,
    book_id: &BookId,
) -> Result<()> {
    let Some(mut book) = stage.store.get_book(book_id).await? else {
        return Ok(());
    };
    let now = stage.clock.now_ms();
    match book.status {
        BookStatus::Queued => {
            let queued_at = book.stage_started_at;
            book.transition(BookStatus::Writing, now)?;
            book = stage.store.update_book(&book).await?;
            stage.ended(BookStatus::Queued, queued_at, &book).await;
        }
        BookStatus::Writing => {}
        // A redelivery after the hand-over: make sure review got its message.
        BookStatus::Reviewing => {
            return send_review(stage.store, stage.queue, &book).await;
        }
        _ => return Ok(()),
    }
    let draft = Draft {
        stage,
        till: stage.till(writing.prices),
        text: writing.text,
    };
    match draft.write(&mut book).await {
        Ok(()) => {}
        Err(Error::OverBudget(why)) => {
            return crate::spending::pause(stage.store, stage.clock, book_id, &why).await;
        }
        Err(e) if e.class() == ErrorClass::Transient => return Err(e),
        Err(e) => {
            book.fail(
                format!("the story could not be written: {e}"),
                stage.clock.now_ms(),
            )?;
            crate::telemetry::save_finished(stage.store, stage.metrics, &book).await?;
            return Ok(());
        }
    }
    let writing_since = book.stage_started_at;
    book.transition(BookStatus::Reviewing, stage.clock.now_ms())?;
    let book = stage.store.update_book(&book).await?;
    stage.ended(BookStatus::Writing, writing_since, &book).await;
    send_review(stage.store, stage.queue, &book).await
}

impl<S: StageStores + SpendingStore + ?Sized> Draft<'_, S> {
    async fn write(&self, book: &mut storyloom_domain::Book) -> Result<()> {
        let stage = self.stage;
        let text_info = self.text.info();
        let plan = match book.plan.clone() {
            Some(plan) => plan,
            None => {
                let (response, cost) = self
                    .till
                    .text_call(self.text, book, &prompt::plan_request(book))
                    .await?;
                let plan = StoryPlan::parse(&response.text, book.page_count(), &book.cast_names())?;
                book.plan = Some(plan.clone());
                if book.title.is_empty() {
                    book.title = plan.title.clone();
                }
                book.text_usage.add(response.usage);
                book.writing_micros += cost;
                book.credits.text_model = Some(text_info.id.clone());
                *book = stage.store.update_book(book).await?;
                plan
            }
        };
        let round = book.rewrites + 1;
        // One read for the whole book: a resumed run skips what this round already wrote.
        let mut written = stage.store.list_pages(&book.id).await?;
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
            let proposals = self.personas(book, &plan, beat, round).await?;
            let request = prompt::page_request(
                book,
                &plan,
                n,
                existing.map(|p| p.text),
                feedback,
                proposals,
            );
            let (response, cost) = self.till.text_call(self.text, book, &request).await?;
            let text = response.text.trim().to_owned();
            if text.is_empty() {
                return Err(Error::Permanent(format!(
                    "the writer returned an empty page {n}"
                )));
            }
            let scene = prompt::scene(beat, mood(beat.phase), &text, &book.cast_names());
            let illustration_prompt = prompt::image_request(book, &scene, n).prompt;
            stage
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
                    changed_at: stage.clock.now_ms(),
                    redraws: 0,
                    direction: None,
                })
                .await?;
            // Usage is stored with each page so a resumed run never counts a call twice.
            book.drafting.clear();
            book.text_usage.add(response.usage);
            book.writing_micros += cost;
            *book = stage.store.update_book(book).await?;
        }
        Ok(())
    }

    /// The personas' proposals for a page: one call per character on it, each saved with
    /// its cost as it lands, so a resumed run asks only those not yet heard this round.
    async fn personas(
        &self,
        book: &mut storyloom_domain::Book,
        plan: &StoryPlan,
        beat: &storyloom_domain::PageBeat,
        round: u32,
    ) -> Result<Vec<Proposal>> {
        let stage = self.stage;
        book.drafting
            .retain(|p| p.page == beat.page && p.round == round);
        for character in &beat.characters {
            if book.drafting.iter().any(|p| &p.character == character) {
                continue;
            }
            let request = prompt::persona_request(book, plan, beat.page, character);
            let (response, cost) = self.till.text_call(self.text, book, &request).await?;
            book.drafting.push(Proposal {
                page: beat.page,
                round,
                character: character.clone(),
                text: response.text.trim().to_owned(),
            });
            book.text_usage.add(response.usage);
            book.writing_micros += cost;
            *book = stage.store.update_book(book).await?;
        }
        Ok(book.drafting.clone())
    }
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
