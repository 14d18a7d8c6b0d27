//! A book's lifecycle and the only moves it may make.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A move the status machine refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a book cannot go from {from} to {to}")]
pub struct IllegalTransition {
    pub from: BookStatus,
    pub to: BookStatus,
}

/// Where a book is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookStatus {
    /// Accepted, waiting for the writer.
    Queued,
    /// The plan and pages are being written (or rewritten after review).
    Writing,
    /// The quality gates are checking the text.
    Reviewing,
    /// One picture per page is being drawn.
    Illustrating,
    /// The PDF is being typeset.
    Assembling,
    /// Waiting for a budget to be raised; nothing done so far is lost.
    Paused,
    /// Finished: every page has its picture.
    Ready,
    /// Finished, but some pictures failed or were refused; the book is still readable.
    Partial,
    /// Could not be made; the book says why.
    Failed,
    /// Stopped by its owner.
    Cancelled,
}

impl BookStatus {
    /// Every status, in pipeline order.
    pub const ALL: [BookStatus; 10] = [
        BookStatus::Queued,
        BookStatus::Writing,
        BookStatus::Reviewing,
        BookStatus::Illustrating,
        BookStatus::Assembling,
        BookStatus::Paused,
        BookStatus::Ready,
        BookStatus::Partial,
        BookStatus::Failed,
        BookStatus::Cancelled,
    ];

    /// Whether the pipeline is working on the book (it appears in the in-flight index).
    pub fn in_flight(self) -> bool {
        use BookStatus::*;
        matches!(
            self,
            Queued | Writing | Reviewing | Illustrating | Assembling
        )
    }

    /// How long a book may sit in this status before the sweeper calls it stalled, in
    /// milliseconds: generous multiples of a stage's normal run time with a managed model.
    pub fn stall_after_ms(self) -> Option<u64> {
        use BookStatus::*;
        const MINUTE: u64 = 60_000;
        match self {
            Queued | Reviewing => Some(5 * MINUTE),
            Writing | Assembling => Some(15 * MINUTE),
            Illustrating => Some(30 * MINUTE),
            Paused | Ready | Partial | Failed | Cancelled => None,
        }
    }

    /// Whether the move `self -> next` is allowed.
    pub fn can_become(self, next: BookStatus) -> bool {
        use BookStatus::*;
        match (self, next) {
            (Queued, Writing) => true,
            // Review either passes, or sends the story back for a bounded rewrite.
            (Writing, Reviewing) | (Reviewing, Writing) | (Reviewing, Illustrating) => true,
            (Illustrating, Assembling) => true,
            (Assembling, Ready) | (Assembling, Partial) => true,
            // A finished book can have one picture redrawn, then is assembled again.
            (Ready, Illustrating) | (Partial, Illustrating) => true,
            // A page edited after the book was made: typeset it again.
            (Ready, Assembling) | (Partial, Assembling) => true,
            // A picture redrawn while the book is being typeset: draw it, then typeset.
            (Assembling, Illustrating) => true,
            (Writing | Illustrating, Paused) | (Paused, Writing | Illustrating) => true,
            (Queued | Writing | Reviewing | Illustrating | Assembling, Failed | Cancelled) => true,
            (Paused, Cancelled) => true,
            _ => false,
        }
    }

    /// The move `self -> next`, or the move refused.
    pub fn become_(self, next: BookStatus) -> Result<BookStatus, IllegalTransition> {
        if self.can_become(next) {
            Ok(next)
        } else {
            Err(IllegalTransition {
                from: self,
                to: next,
            })
        }
    }

    /// True once the pipeline has nothing more to do for the book.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            BookStatus::Ready | BookStatus::Partial | BookStatus::Failed | BookStatus::Cancelled
        )
    }

    /// The status's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            BookStatus::Queued => "queued",
            BookStatus::Writing => "writing",
            BookStatus::Reviewing => "reviewing",
            BookStatus::Illustrating => "illustrating",
            BookStatus::Assembling => "assembling",
            BookStatus::Paused => "paused",
            BookStatus::Ready => "ready",
            BookStatus::Partial => "partial",
            BookStatus::Failed => "failed",
            BookStatus::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for BookStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::BookStatus::{self, *};

    const LEGAL: &[(BookStatus, BookStatus)] = &[
        (Queued, Writing),
        (Writing, Reviewing),
        (Reviewing, Writing),
        (Reviewing, Illustrating),
        (Illustrating, Assembling),
        (Assembling, Ready),
        (Assembling, Partial),
        (Ready, Illustrating),
        (Partial, Illustrating),
        (Ready, Assembling),
        (Partial, Assembling),
        (Assembling, Illustrating),
        (Writing, Paused),
        (Illustrating, Paused),
        (Paused, Writing),
        (Paused, Illustrating),
        (Paused, Cancelled),
        (Queued, Failed),
        (Writing, Failed),
        (Reviewing, Failed),
        (Illustrating, Failed),
        (Assembling, Failed),
        (Queued, Cancelled),
        (Writing, Cancelled),
        (Reviewing, Cancelled),
        (Illustrating, Cancelled),
        (Assembling, Cancelled),
    ];

    #[test]
    fn every_pair_outside_the_table_is_rejected() {
        let mut rejected = 0;
        for from in BookStatus::ALL {
            for to in BookStatus::ALL {
                let legal = LEGAL.contains(&(from, to));
                assert_eq!(from.can_become(to), legal, "{from} -> {to}");
                match from.become_(to) {
                    Ok(next) => assert!(legal && next == to),
                    Err(e) => {
                        assert!(!legal);
                        assert_eq!(
                            e.to_string(),
                            format!("a book cannot go from {from} to {to}")
                        );
                        rejected += 1;
                    }
                }
            }
        }
        assert_eq!(rejected, 100 - LEGAL.len());
    }

    #[test]
    fn terminal_states_lead_nowhere_but_a_redraw_or_a_new_typesetting() {
        for t in [Failed, Cancelled] {
            assert!(BookStatus::ALL.iter().all(|&to| !t.can_become(to)));
        }
        for t in [Ready, Partial] {
            let exits: Vec<_> = BookStatus::ALL
                .into_iter()
                .filter(|&to| t.can_become(to))
                .collect();
            assert_eq!(exits, vec![Illustrating, Assembling]);
        }
    }
}
