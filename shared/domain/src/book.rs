//! A book: the request, where it is in the pipeline, and what it has produced so far.

use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::ids::{BookId, OwnerId};
use crate::models::Usage;
use crate::page::IllustrationStatus;
use crate::plan::StoryPlan;
use crate::request::BookRequest;
use crate::status::BookStatus;
use crate::tier::Tier;
use serde::{Deserialize, Serialize};

/// How many times review may send a story back before the book fails.
pub const MAX_REWRITES: u32 = 2;

/// Finished illustrations, counted atomically by the store as pages reach a terminal state.
/// Only the store's `finish_illustration` changes these; `update_book` never does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IllustrationTally {
    pub done: u32,
    pub failed: u32,
    pub flagged: u32,
    /// What the book's pictures cost, in millionths of a dollar, summed atomically with the
    /// counters (a redrawn picture's first drawing stays paid for).
    #[serde(default)]
    pub picture_micros: u64,
}

impl IllustrationTally {
    /// Pages whose picture reached a terminal state.
    pub fn finished(&self) -> u32 {
        self.done + self.failed + self.flagged
    }

    /// The counter (its field name) a picture that ended as `status` counts in; every
    /// store names it the same way. A pending picture has none.
    pub fn counter(status: IllustrationStatus) -> Result<&'static str> {
        match status {
            IllustrationStatus::Ok => Ok("done"),
            IllustrationStatus::Failed => Ok("failed"),
            IllustrationStatus::Flagged => Ok("flagged"),
            IllustrationStatus::Pending => {
                Err(Error::Permanent("an outcome cannot be pending".into()))
            }
        }
    }

    /// Counts one picture that ended as `status`.
    /// Takes a finished picture back out of the counters (it is to be drawn again).
    pub fn uncount(&mut self, status: IllustrationStatus) {
        match status {
            IllustrationStatus::Ok => self.done = self.done.saturating_sub(1),
            IllustrationStatus::Failed => self.failed = self.failed.saturating_sub(1),
            IllustrationStatus::Flagged => self.flagged = self.flagged.saturating_sub(1),
            IllustrationStatus::Pending => {}
        }
    }

    pub fn count(&mut self, status: IllustrationStatus) -> Result<()> {
        match status {
            IllustrationStatus::Ok => self.done += 1,
            IllustrationStatus::Failed => self.failed += 1,
            IllustrationStatus::Flagged => self.flagged += 1,
            IllustrationStatus::Pending => {
                Self::counter(status)?;
            }
        }
        Ok(())
    }
}

/// Which models made the book; shown to the reader so an offline book says so.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Credits {
    pub text_model: Option<String>,
    pub image_model: Option<String>,
}

/// A book and its pipeline state (the `BOOK#<id>/META` item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Book {
    pub id: BookId,
    pub owner: OwnerId,
    pub request: BookRequest,
    pub title: String,
    pub status: BookStatus,
    /// Optimistic-concurrency version: every `update_book` must present the version it read.
    pub version: u64,
    pub plan: Option<StoryPlan>,
    /// Rewrites review has asked for so far.
    pub rewrites: u32,
    /// The last review's findings, handed to the writer for the rewrite.
    pub review_findings: Vec<Finding>,
    pub failure_reason: Option<String>,
    pub tally: IllustrationTally,
    /// The page whose finished picture moved the book to assembly (the fan-in winner).
    pub assembly_claimed_by: Option<u32>,
    pub pdf_key: Option<String>,
    pub text_usage: Usage,
    pub credits: Credits,
    pub correlation_id: String,
    pub created_at: u64,
    pub updated_at: u64,
    /// When the book entered its current status; the sweeper's deadline starts here.
    pub stage_started_at: u64,
    /// The hand-over to the current stage already sent ([`Book::stage_key`]), so a
    /// redelivered message does not send it twice.
    #[serde(default)]
    pub handed_over: Option<String>,
    /// Times the sweeper has restarted the current stage after it stalled.
    #[serde(default)]
    pub sweeps: u32,
    /// The tier the book was ordered under; it picks the queue lane of every stage.
    #[serde(default)]
    pub tier: Tier,
    /// What writing the story cost, in millionths of a dollar.
    #[serde(default)]
    pub writing_micros: u64,
    /// Most the owner lets this book cost, in millionths of a dollar.
    #[serde(default)]
    pub cap_micros: Option<u64>,
    /// Why and where the book waits, while it is Paused.
    #[serde(default)]
    pub pause: Option<Pause>,
    /// Blob key of the EPUB 3 e-book, once typeset.
    #[serde(default)]
    pub epub_key: Option<String>,
    /// The personas' proposals for the page being written, kept until the page is, so a
    /// writer that crashed between calls resumes without asking (and paying) again.
    #[serde(default)]
    pub drafting: Vec<crate::proposal::Proposal>,
    /// Every review round (gates, scores, findings) and the passed story's fingerprint.
    #[serde(default)]
    pub review: crate::review::ReviewReport,
}

/// Where a paused book stopped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// The stage it resumes in (Writing or Illustrating).
    pub stage: BookStatus,
    pub reason: String,
}

impl Book {
    /// A freshly queued book.
    pub fn new(
        id: BookId,
        owner: OwnerId,
        request: BookRequest,
        correlation_id: String,
        now: u64,
    ) -> Self {
        let title = request.title.clone().unwrap_or_default();
        let cap_micros = request.cap_micros;
        Book {
            id,
            owner,
            request,
            title,
            status: BookStatus::Queued,
            version: 0,
            plan: None,
            rewrites: 0,
            review_findings: Vec::new(),
            failure_reason: None,
            tally: IllustrationTally::default(),
            assembly_claimed_by: None,
            pdf_key: None,
            text_usage: Usage::default(),
            credits: Credits::default(),
            correlation_id,
            created_at: now,
            updated_at: now,
            stage_started_at: now,
            handed_over: None,
            sweeps: 0,
            tier: Tier::Free,
            writing_micros: 0,
            cap_micros,
            pause: None,
            epub_key: None,
            drafting: Vec::new(),
            review: crate::review::ReviewReport::default(),
        }
    }

    /// Names this visit to the current stage: each entry into a status has its own key.
    pub fn stage_key(&self) -> String {
        format!("{}@{}", self.status, self.stage_started_at)
    }

    /// Moves the book along its status machine, refusing illegal moves.
    pub fn transition(&mut self, next: BookStatus, now: u64) -> Result<()> {
        self.status = self.status.become_(next)?;
        self.stage_started_at = now;
        self.updated_at = now;
        self.sweeps = 0;
        Ok(())
    }

    /// What the book has cost so far, in millionths of a dollar.
    pub fn spent_micros(&self) -> u64 {
        self.writing_micros + self.tally.picture_micros
    }

    /// Pauses the book in its current stage for `reason` (a budget ran out).
    pub fn pause(&mut self, reason: impl Into<String>, now: u64) -> Result<()> {
        let stage = self.status;
        self.transition(BookStatus::Paused, now)?;
        self.pause = Some(Pause {
            stage,
            reason: reason.into(),
        });
        Ok(())
    }

    /// Resumes a paused book in the stage it stopped in; returns that stage.
    pub fn resume(&mut self, now: u64) -> Result<BookStatus> {
        let stage = self
            .pause
            .as_ref()
            .map(|p| p.stage)
            .ok_or_else(|| Error::Conflict(format!("book {} is not paused", self.id)))?;
        self.transition(stage, now)?;
        self.pause = None;
        Ok(stage)
    }

    /// Fails the book with a reason a person can act on.
    pub fn fail(&mut self, reason: impl Into<String>, now: u64) -> Result<()> {
        self.transition(BookStatus::Failed, now)?;
        self.failure_reason = Some(reason.into());
        Ok(())
    }

    /// Pages the book will have.
    pub fn page_count(&self) -> u32 {
        self.request.page_count
    }

    /// The names of the cast, in order.
    pub fn cast_names(&self) -> Vec<String> {
        self.request.cast.iter().map(|c| c.name.clone()).collect()
    }
}
