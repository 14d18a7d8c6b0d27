//! The two lanes of every stage's queue: paid books' work overtakes free books'.

use serde::{Deserialize, Serialize};

/// One of the two lanes of a stage's queue. Workers drain [`Lane::Priority`] first, so a
/// paid book's work overtakes whatever free books have queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    #[default]
    Standard,
    Priority,
}

impl Lane {
    /// The lanes in the order workers drain them.
    pub const DRAIN_ORDER: [Lane; 2] = [Lane::Priority, Lane::Standard];

    /// What a lane adds to its queue's name: nothing for the standard lane, so the
    /// standard queues keep the names they always had.
    pub fn suffix(self) -> &'static str {
        match self {
            Lane::Standard => "",
            Lane::Priority => "-priority",
        }
    }

    pub(crate) fn is_standard(&self) -> bool {
        *self == Lane::Standard
    }

    /// The lane of the queue an ARN, URL or name points at (by its name's suffix).
    pub fn of_queue(arn_or_url: &str) -> Lane {
        let name = arn_or_url
            .rsplit([':', '/'])
            .next()
            .unwrap_or(arn_or_url)
            .trim_end_matches("-dlq");
        if name.ends_with(Lane::Priority.suffix()) {
            Lane::Priority
        } else {
            Lane::Standard
        }
    }

    /// A receipt handle from this lane's queue, marked with the lane, for adapters whose
    /// lanes are separate queues: acting on a receipt then reaches the right one.
    pub fn mark(self, handle: &str) -> String {
        match self {
            Lane::Standard => handle.to_owned(),
            Lane::Priority => format!("{PRIORITY_MARK}{handle}"),
        }
    }

    /// The lane and the queue's own handle of a receipt made by [`Lane::mark`].
    pub fn unmark(receipt: &str) -> (Lane, &str) {
        match receipt.strip_prefix(PRIORITY_MARK) {
            Some(handle) => (Lane::Priority, handle),
            None => (Lane::Standard, receipt),
        }
    }
}

/// SQS receipt handles are base64 and never contain `!`.
const PRIORITY_MARK: &str = "priority!";
