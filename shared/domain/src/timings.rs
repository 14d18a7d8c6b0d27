//! How long each stage takes, measured on recent books, and the time-remaining estimates
//! made from it.
//!
//! Writing and illustration are measured per page (a book's stage time divided by its
//! pages; pictures are drawn in parallel, so that is the time a picture *adds*), the other
//! stages per book. Estimates use the median of the last [`KEEP`] samples, so one slow
//! book moves them little; with no sample yet a stage has no estimate rather than a guess.

use crate::book::Book;
use crate::page::{IllustrationStatus, Page};
use crate::status::BookStatus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Samples kept per stage.
pub const KEEP: usize = 25;

/// The stages a book passes through, in order.
pub const STAGES: [BookStatus; 5] = [
    BookStatus::Queued,
    BookStatus::Writing,
    BookStatus::Reviewing,
    BookStatus::Illustrating,
    BookStatus::Assembling,
];

/// Recent durations, by stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageTimings {
    /// Milliseconds per unit (page or book), newest last, by stage name.
    pub samples: BTreeMap<String, Vec<u64>>,
    /// Compare-and-swap version (0: never stored).
    pub version: u64,
}

/// Whether a stage's time grows with the pages.
fn per_page(stage: BookStatus) -> bool {
    matches!(stage, BookStatus::Writing | BookStatus::Illustrating)
}

impl StageTimings {
    /// Records that `book` spent `elapsed_ms` in `stage`.
    pub fn record(&mut self, stage: BookStatus, elapsed_ms: u64, pages: u32) {
        let unit = if per_page(stage) {
            elapsed_ms / u64::from(pages.max(1))
        } else {
            elapsed_ms
        };
        let v = self.samples.entry(stage.as_str().to_owned()).or_default();
        v.push(unit);
        if v.len() > KEEP {
            v.drain(..v.len() - KEEP);
        }
    }

    /// The median time per unit of a stage, if it was ever measured.
    pub fn typical(&self, stage: BookStatus) -> Option<u64> {
        let mut v = self.samples.get(stage.as_str())?.clone();
        if v.is_empty() {
            return None;
        }
        v.sort_unstable();
        Some(v[v.len() / 2])
    }
}

/// Time left in one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StageEstimate {
    pub stage: BookStatus,
    /// Milliseconds; absent when the stage was never measured.
    pub remaining_ms: Option<u64>,
}

/// Time left for a book, per stage still ahead (the current one first) and in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Estimate {
    /// Milliseconds until the book is done; absent while a stage ahead was never
    /// measured, or while the book is paused.
    pub remaining_ms: Option<u64>,
    pub stages: Vec<StageEstimate>,
}

impl Estimate {
    /// What is left of `book` at `now`, from the timings.
    pub fn of(book: &Book, pages: &[Page], timings: &StageTimings, now: u64) -> Estimate {
        let Some(current) = STAGES.iter().position(|s| *s == book.status) else {
            let remaining_ms = if book.status.is_terminal() {
                Some(0)
            } else {
                None
            };
            return Estimate {
                remaining_ms,
                stages: Vec::new(),
            };
        };
        let n = u64::from(book.page_count().max(1));
        let elapsed = now.saturating_sub(book.stage_started_at);
        let stages: Vec<StageEstimate> = STAGES[current..]
            .iter()
            .map(|&stage| {
                let remaining_ms = timings.typical(stage).map(|unit| {
                    if stage != book.status {
                        return if per_page(stage) { unit * n } else { unit };
                    }
                    match stage {
                        BookStatus::Writing => {
                            let written =
                                pages.iter().filter(|p| p.revision > book.rewrites).count();
                            unit * n.saturating_sub(written as u64)
                        }
                        BookStatus::Illustrating => {
                            let left = pages
                                .iter()
                                .filter(|p| p.illustration == IllustrationStatus::Pending)
                                .count() as u64;
                            (unit * left).saturating_sub(elapsed.min(unit))
                        }
                        _ => unit.saturating_sub(elapsed),
                    }
                });
                StageEstimate {
                    stage,
                    remaining_ms,
                }
            })
            .collect();
        let remaining_ms = stages.iter().map(|s| s.remaining_ms).sum::<Option<u64>>();
        Estimate {
            remaining_ms,
            stages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_recent_samples_per_unit_is_kept() {
        let mut t = StageTimings::default();
        assert_eq!(t.typical(BookStatus::Writing), None);
        t.record(BookStatus::Writing, 1200, 12);
        t.record(BookStatus::Writing, 2400, 12);
        t.record(BookStatus::Writing, 60_000, 12);
        assert_eq!(t.typical(BookStatus::Writing), Some(200));
        t.record(BookStatus::Assembling, 900, 12);
        assert_eq!(t.typical(BookStatus::Assembling), Some(900), "per book");
        for i in 0..100 {
            t.record(BookStatus::Queued, i, 1);
        }
        assert_eq!(t.samples["queued"].len(), KEEP);
        assert_eq!(t.typical(BookStatus::Queued), Some(87));
    }
}
