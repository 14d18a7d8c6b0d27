//! What a quality gate found: which gate, where, what is wrong in words, and what a
//! rewrite should change as a typed [`Fix`] writers act on.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Which gate found a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    Repetition,
    Continuity,
    ReadingLevel,
    PageLength,
    Safety,
    Voice,
    Diversity,
    /// Each page's picture shows what its words name.
    Pictures,
}

impl Gate {
    /// Every gate, in the order they run.
    pub const ALL: [Gate; 8] = [
        Gate::Repetition,
        Gate::Continuity,
        Gate::ReadingLevel,
        Gate::PageLength,
        Gate::Safety,
        Gate::Voice,
        Gate::Diversity,
        Gate::Pictures,
    ];
}

/// One problem, optionally tied to a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Finding {
    pub gate: Gate,
    pub page: Option<u32>,
    /// What is wrong, in words a person (or a managed model) reads.
    pub message: String,
    /// What a rewrite should change, for writers that act on it without reading the
    /// message. Findings stored before it existed read as [`Fix::Other`].
    #[serde(default)]
    pub fix: Fix,
}

/// What a finding asks of the page's rewrite.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fix {
    /// Fewer words: at most `max_words`.
    Shorten { max_words: u32 },
    /// More words: at least `min_words`.
    Lengthen { min_words: u32 },
    /// Plainer words and shorter sentences.
    Simplify,
    /// Say it differently; `phrase` is the wording to avoid, when one is to blame.
    Reword { phrase: Option<String> },
    /// Show who a character is: their part, their traits, their kind, their name.
    ShowCharacter { name: String },
    /// Anything else; the message says what.
    #[default]
    Other,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.page {
            Some(p) => write!(f, "page {p}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}
