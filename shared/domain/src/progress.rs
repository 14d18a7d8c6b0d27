//! What a person watching a book sees: status plus per-stage counts.

use crate::book::Book;
use crate::money::usd;
use crate::page::{IllustrationStatus, Page};
use crate::status::BookStatus;
use crate::timings::{Estimate, StageTimings};
use serde::{Deserialize, Serialize};

/// Writing: how much of the story exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WritingProgress {
    pub pages_planned: u32,
    pub pages_written: u32,
    pub rewrites: u32,
}

/// Review: the quality gates' last word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReviewProgress {
    pub passed: bool,
    pub findings: Vec<String>,
}

/// Illustration: one picture per page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IllustrationProgress {
    pub total: u32,
    pub done: u32,
    pub failed: u32,
    pub flagged: u32,
    pub in_progress: u32,
    pub pending: u32,
}

/// What a book cost, by stage, in dollars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CostView {
    pub writing_usd: f64,
    pub illustrating_usd: f64,
    /// Typesetting makes no model call.
    pub assembling_usd: f64,
    pub total_usd: f64,
    /// The book's cap, when it has one.
    pub cap_usd: Option<f64>,
}

impl CostView {
    /// The book's spending so far.
    pub fn of(book: &Book) -> CostView {
        CostView {
            writing_usd: usd(book.writing_micros),
            illustrating_usd: usd(book.tally.picture_micros),
            assembling_usd: 0.0,
            total_usd: usd(book.spent_micros()),
            cap_usd: book.cap_micros.map(usd),
        }
    }
}

/// The progress view of a book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Progress {
    pub book_id: String,
    pub status: BookStatus,
    pub title: String,
    /// 0–100, weighted by how long each stage usually takes.
    pub percent: u8,
    pub writing: WritingProgress,
    pub review: ReviewProgress,
    pub illustrations: IllustrationProgress,
    pub assembled: bool,
    pub failure_reason: Option<String>,
    /// Why the book is paused, while it is.
    pub paused_reason: Option<String>,
    pub cost: CostView,
    /// Time left, from how long recent books took in each stage.
    pub estimate: Estimate,
    pub updated_at: u64,
}

impl Progress {
    /// Derives the view from the book, its pages and recent stage timings, at `now`.
    pub fn of(book: &Book, pages: &[Page], timings: &StageTimings, now: u64) -> Progress {
        let planned = book.plan.as_ref().map_or(0, |p| p.beats.len() as u32);
        let written = match book.status {
            BookStatus::Queued => 0,
            // During a rewrite only pages of the current round count as written.
            BookStatus::Writing => {
                pages.iter().filter(|p| p.revision > book.rewrites).count() as u32
            }
            _ => pages.len() as u32,
        };
        let illustrating = pages
            .iter()
            .any(|p| p.illustration.is_terminal() || p.drawing_since.is_some())
            || matches!(book.status, BookStatus::Illustrating);
        let total = if illustrating || book.status.is_terminal() {
            book.page_count()
        } else {
            0
        };
        let count =
            |s: IllustrationStatus| pages.iter().filter(|p| p.illustration == s).count() as u32;
        let in_progress = pages
            .iter()
            .filter(|p| p.illustration == IllustrationStatus::Pending && p.drawing_since.is_some())
            .count() as u32;
        let (done, failed, flagged) = if total == 0 {
            (0, 0, 0)
        } else {
            (
                count(IllustrationStatus::Ok),
                count(IllustrationStatus::Failed),
                count(IllustrationStatus::Flagged),
            )
        };
        let pending = total.saturating_sub(done + failed + flagged + in_progress);
        let assembled = matches!(book.status, BookStatus::Ready | BookStatus::Partial);
        let review_passed = matches!(
            book.status,
            BookStatus::Illustrating
                | BookStatus::Assembling
                | BookStatus::Ready
                | BookStatus::Partial
        );
        let percent = percent(book, planned, written, done + failed + flagged, assembled);
        Progress {
            book_id: book.id.to_string(),
            status: book.status,
            title: book.title.clone(),
            percent,
            writing: WritingProgress {
                pages_planned: planned,
                pages_written: written,
                rewrites: book.rewrites,
            },
            review: ReviewProgress {
                passed: review_passed,
                findings: book.review_findings.iter().map(|f| f.to_string()).collect(),
            },
            illustrations: IllustrationProgress {
                total,
                done,
                failed,
                flagged,
                in_progress,
                pending,
            },
            assembled,
            failure_reason: book.failure_reason.clone(),
            paused_reason: book.pause.as_ref().map(|p| p.reason.clone()),
            cost: CostView::of(book),
            estimate: Estimate::of(book, pages, timings, now),
            updated_at: book.updated_at,
        }
    }
}

/// Writing 20 %, review 5 %, pictures 65 %, assembly 10 %: roughly where the time goes.
fn percent(book: &Book, planned: u32, written: u32, drawn: u32, assembled: bool) -> u8 {
    let n = book.page_count().max(1) as f64;
    let writing = if planned == 0 {
        0.0
    } else {
        2.0 + 18.0 * written as f64 / n
    };
    let value = match book.status {
        BookStatus::Queued => 0.0,
        BookStatus::Writing => writing,
        BookStatus::Reviewing => 20.0,
        BookStatus::Illustrating => 25.0 + 65.0 * drawn as f64 / n,
        BookStatus::Assembling => 90.0,
        BookStatus::Ready | BookStatus::Partial => 100.0,
        BookStatus::Paused => match book.pause.as_ref().map(|p| p.stage) {
            Some(BookStatus::Illustrating) => 25.0 + 65.0 * drawn as f64 / n,
            _ => writing,
        },
        BookStatus::Failed | BookStatus::Cancelled => {
            if assembled {
                100.0
            } else {
                writing
            }
        }
    };
    value.clamp(0.0, 100.0) as u8
}
