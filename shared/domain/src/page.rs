//! A page of a book: its text, how its picture is staged, and the picture's state.

use crate::ids::BookId;
use crate::plan::TimeOfDay;
use serde::{Deserialize, Serialize};

/// The state of a page's picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IllustrationStatus {
    /// Not drawn yet.
    Pending,
    /// Drawn and stored.
    Ok,
    /// Refused by a content policy; never retried automatically.
    Flagged,
    /// Failed for good (after retries, or a permanent error).
    Failed,
}

impl IllustrationStatus {
    /// True when nothing more will happen to the picture without a person asking.
    pub fn is_terminal(self) -> bool {
        !matches!(self, IllustrationStatus::Pending)
    }
}

/// What the illustrator needs to stage a page: where, when, who.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scene {
    pub setting: String,
    pub time_of_day: TimeOfDay,
    /// The characters present, by name, in the order they stand.
    pub characters: Vec<String>,
    pub mood: String,
}

/// One page of a book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub book_id: BookId,
    /// 1-based.
    pub number: u32,
    pub text: String,
    /// The prompt the image model is given, built from the scene and the cast.
    pub illustration_prompt: String,
    pub scene: Scene,
    pub illustration: IllustrationStatus,
    /// Blob key of the current picture, once drawn.
    pub image_key: Option<String>,
    /// Why the picture was flagged or failed.
    pub illustration_note: Option<String>,
    /// Milliseconds since the epoch when a worker started drawing; cleared when it ends.
    pub drawing_since: Option<u64>,
    /// The text revision: 1 for the first draft, +1 for each rewrite or edit.
    pub revision: u32,
}
