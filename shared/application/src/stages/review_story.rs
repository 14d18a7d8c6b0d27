//! review-story: run the quality gates (diversity against the owner's earlier books
//! included) and record the round with its scores; pass to illustration (one message per
//! page), or send the story back for a bounded rewrite with the gates' feedback, or fail
//! with the reason.

use super::{Stage, StageStores, send_illustrations, send_write};
use storyloom_domain::book::MAX_REWRITES;
use storyloom_domain::diversity::Fingerprint;
use storyloom_domain::gates::{CastFacts, Finding, Gate, GateLimits, StoryDraft};
use storyloom_domain::ports::{BookStore, PageStore};
use storyloom_domain::review;
use storyloom_domain::{Book, BookId, BookStatus, Error, IllustrationStatus, Result};

/// Earlier books of the owner a new story is compared with.
const EARLIER_BOOKS: usize = 20;

/// Handles a `ReviewStory` message.
pub async fn run<S: StageStores + ?Sized>(stage: &Stage<'_, S>, book_id: &BookId) -> Result<()> {
    let Some(mut book) = stage.store.get_book(book_id).await? else {
        return Ok(());
    };
    let pages = stage.store.list_pages(book_id).await?;
    match book.status {
        BookStatus::Reviewing => {}
        // A redelivery after the fan-out: re-send what may have been lost (duplicates are
        // harmless, illustrate-page is idempotent).
        BookStatus::Illustrating => {
            let pending = pages
                .iter()
                .filter(|p| p.illustration == IllustrationStatus::Pending)
                .map(|p| p.number)
                .collect();
            return send_illustrations(stage.store, stage.queue, &book, pending).await;
        }
        BookStatus::Writing => {
            return send_write(stage.store, stage.queue, &book).await;
        }
        _ => return Ok(()),
    }
    let plan = book
        .plan
        .clone()
        .unwrap_or_else(|| storyloom_domain::StoryPlan {
            title: String::new(),
            problem: String::new(),
            objects: vec![],
            beats: vec![],
        });
    let cast: Vec<CastFacts> = book
        .request
        .cast
        .iter()
        .map(|c| CastFacts {
            name: c.name.clone(),
            kind: c.kind.clone(),
            traits: c.traits.clone(),
            voice: c.voice.clone(),
        })
        .collect();
    let drafts: Vec<(String, Vec<String>)> = pages
        .iter()
        .map(|p| {
            (
                p.text.clone(),
                plan.beat(p.number)
                    .map(|b| b.characters.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let scenes: Vec<_> = pages.iter().map(|p| p.scene.clone()).collect();
    let owners_books = fingerprinted(
        stage.store,
        &book,
        stage.store.list_books(&book.owner).await?,
    )
    .await?;
    let earlier = review::earlier_books(&book, &owners_books, EARLIER_BOOKS);
    let assessment = review::assess(
        &StoryDraft {
            age_band: book.request.age_band,
            cast: &cast,
            pages: &drafts,
            earlier: &earlier,
            scenes: &scenes,
        },
        GateLimits::default(),
    );
    book.review.record(assessment.round(book.rewrites + 1));
    let last_chance = book.rewrites >= MAX_REWRITES;
    // Resembling an earlier book is worth rewriting for, never worth failing a book for:
    // once the rewrites are spent, the score is reported and the story goes on.
    let findings: Vec<Finding> = assessment
        .findings
        .iter()
        .filter(|f| !(last_chance && f.gate == Gate::Diversity))
        .cloned()
        .collect();
    let now = stage.clock.now_ms();
    let reviewing_since = book.stage_started_at;
    if findings.is_empty() && pages.len() as u32 == book.page_count() {
        book.review_findings.clear();
        book.review.fingerprint = assessment.fingerprint;
        book.transition(BookStatus::Illustrating, now)?;
        let book = stage.store.update_book(&book).await?;
        stage
            .ended(BookStatus::Reviewing, reviewing_since, &book)
            .await;
        let numbers = pages.iter().map(|p| p.number).collect();
        return send_illustrations(stage.store, stage.queue, &book, numbers).await;
    }
    tracing::info!(book_id = %book_id, findings = findings.len(), rewrites = book.rewrites, "story failed review");
    if !last_chance {
        book.rewrites += 1;
        // A story too like an earlier one needs a new arc, not new words: the director
        // plans again.
        if findings.iter().any(|f| f.gate == Gate::Diversity) {
            book.plan = None;
        }
        book.review_findings = findings;
        book.transition(BookStatus::Writing, now)?;
        let book = stage.store.update_book(&book).await?;
        stage
            .ended(BookStatus::Reviewing, reviewing_since, &book)
            .await;
        send_write(stage.store, stage.queue, &book).await
    } else {
        let reasons: Vec<String> = findings.iter().map(ToString::to_string).collect();
        book.review_findings = findings;
        book.fail(
            format!(
                "the story did not pass review after {MAX_REWRITES} rewrites: {}",
                reasons.join("; ")
            ),
            now,
        )?;
        crate::telemetry::save_finished(stage.store, stage.metrics, &book).await?;
        Ok(())
    }
}

/// The owner's books, each finished before fingerprints were kept given one from its
/// pages and stored with it, so it counts and its pages are read only this once.
async fn fingerprinted<S: BookStore + PageStore + ?Sized>(
    store: &S,
    book: &Book,
    mut books: Vec<Book>,
) -> Result<Vec<Book>> {
    let unprinted = books.iter_mut().filter(|b| {
        review::made_before(b, book)
            && b.review.fingerprint.is_empty()
            && matches!(b.status, BookStatus::Ready | BookStatus::Partial)
    });
    for earlier in unprinted.take(EARLIER_BOOKS) {
        let pages = store.list_pages(&earlier.id).await?;
        earlier.review.fingerprint = Fingerprint::of_pages(pages.iter().map(|p| p.text.as_str()));
        match store.update_book(earlier).await {
            Ok(stored) => *earlier = stored,
            // The book changed meanwhile: this review still uses the fingerprint, and the
            // next one stores it.
            Err(Error::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(books)
}
