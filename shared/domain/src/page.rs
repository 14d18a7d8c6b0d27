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

/// What the illustrator needs to stage a page: where, when, who, and what is there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scene {
    pub setting: String,
    pub time_of_day: TimeOfDay,
    /// The characters present, by name, in the order they stand.
    pub characters: Vec<String>,
    pub mood: String,
    /// The things the page's text names that the picture shows (see [`crate::props`]):
    /// "kite", "raft", "fireflies". Pages written before scenes carried them have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<String>,
    /// The framing (see [`crate::staging`]); pages staged before framings were chosen
    /// are medium shots.
    #[serde(default)]
    pub shot: crate::staging::Shot,
    /// What each character does and feels, in the order of `characters`. Pages staged
    /// before figures were kept have none, and are drawn standing and calm.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<crate::staging::Figure>,
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
    /// The text revision: 1 for the first draft, +1 for each rewrite, edit, redraw or
    /// restore. Clients see it as the page's ETag.
    pub revision: u32,
    /// How the current revision came about.
    #[serde(default)]
    pub change: Change,
    /// When the current revision was made (ms since the epoch; 0 for pipeline drafts
    /// stored before revisions were kept).
    #[serde(default)]
    pub changed_at: u64,
    /// How many times the picture was asked for: 0 for the first drawing, +1 per redraw.
    /// Part of the picture's seed, so a redraw draws something new.
    #[serde(default)]
    pub redraws: u32,
    /// The owner's note for the next drawing ("make the sky stormy").
    #[serde(default)]
    pub direction: Option<String>,
}

/// How a page revision came about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Written by the pipeline.
    #[default]
    Draft,
    /// The text was edited by a person.
    Edit,
    /// A new picture was asked for.
    Redraw,
    /// An earlier revision was made current again.
    Restore { from: u32 },
}

/// Longest page text a person may save (a picture-book page is a few sentences).
pub const MAX_PAGE_TEXT: usize = 1200;

impl Page {
    /// The page's entity tag: its revision, quoted (RFC 9110).
    pub fn etag(&self) -> String {
        format!("\"r{}\"", self.revision)
    }

    /// The revision an `If-Match` value names, when it names one of this page's form.
    pub fn revision_in(if_match: &str) -> Option<u32> {
        if_match
            .trim()
            .strip_prefix("\"r")?
            .strip_suffix('"')?
            .parse()
            .ok()
    }

    /// This page with a new current revision made by `change` at `now`.
    pub fn next_revision(&self, change: Change, now: u64) -> Page {
        Page {
            revision: self.revision + 1,
            change,
            changed_at: now,
            ..self.clone()
        }
    }
}
