//! What review did to a book, kept with it and shown in the API: each round's gates with
//! their scores, the findings handed back to the writer, and how the story compares with
//! the owner's earlier books.

use crate::diversity::Fingerprint;
use crate::gates::{
    self, EarlierBook, Finding, Gate, GateLimits, StoryDraft, distinct_2, story_words,
};
use crate::readability::flesch_kincaid_grade;
use serde::{Deserialize, Serialize};

pub use crate::gates::Diversity;

/// One gate's verdict in one round. `score` is the gate's own measure, `limit` the bound
/// it must keep:
///
/// | gate | score | passes when |
/// |---|---|---|
/// | repetition | distinct word pairs, share (1 for a story too short to measure) | ≥ limit and no phrase loops |
/// | continuity | names, traits and facts broken | = 0 |
/// | reading_level | Flesch–Kincaid grade of the story | ≤ the age band's grade |
/// | page_length | pages outside the band's word range | = 0 |
/// | safety | pages with unsuitable words | = 0 |
/// | voice | share of lines in the speaker's declared voice | = 1 and every habit shown |
/// | diversity | 1 − similarity to the closest earlier book | ≥ limit |
/// | pictures | share of what pages name that their pictures show | = 1 |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GateScore {
    pub gate: Gate,
    pub passed: bool,
    pub score: f64,
    pub limit: f64,
    /// Findings this gate raised.
    pub findings: u32,
}

/// One review of one draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReviewRound {
    /// 1 for the first draft, 2 after the first rewrite…
    pub round: u32,
    pub passed: bool,
    pub gates: Vec<GateScore>,
    pub findings: Vec<Finding>,
    pub diversity: Diversity,
}

/// Every review of a book, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewReport {
    pub rounds: Vec<ReviewRound>,
    /// The passed story's fingerprint, for the owner's later books to be compared with.
    #[serde(default)]
    pub fingerprint: Fingerprint,
}

impl ReviewReport {
    /// Records a round, replacing one with the same number (a re-run after a crash).
    pub fn record(&mut self, round: ReviewRound) {
        self.rounds.retain(|r| r.round != round.round);
        self.rounds.push(round);
    }

    /// The latest round.
    pub fn last(&self) -> Option<&ReviewRound> {
        self.rounds.last()
    }
}

/// Every gate's findings and scores for a draft, with its fingerprint.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub findings: Vec<Finding>,
    pub gates: Vec<GateScore>,
    pub diversity: Diversity,
    pub fingerprint: Fingerprint,
}

impl Assessment {
    /// This assessment as review round `round`.
    pub fn round(&self, round: u32) -> ReviewRound {
        ReviewRound {
            round,
            passed: self.findings.is_empty(),
            gates: self.gates.clone(),
            findings: self.findings.clone(),
            diversity: self.diversity.clone(),
        }
    }
}

/// Runs every gate on a draft.
pub fn assess(draft: &StoryDraft<'_>, limits: GateLimits) -> Assessment {
    let repetition = gates::repetition(draft, limits);
    let continuity = gates::continuity(draft);
    let reading = gates::reading_level(draft);
    let length = gates::page_length(draft);
    let safety = gates::safety_findings(draft);
    let (voice, voice_share) = gates::voice(draft);
    let (diverse, diversity, fingerprint) = gates::diversity(draft, limits);
    let (pictures, shown) = gates::pictures(draft);
    let story: Vec<&str> = draft.pages.iter().map(|(t, _)| t.as_str()).collect();
    let count = |f: &[Finding]| f.len() as u32;
    let pages_hit = |f: &[Finding]| {
        let mut pages: Vec<Option<u32>> = f.iter().map(|f| f.page).collect();
        pages.dedup();
        pages.len() as f64
    };
    let score = |gate, score, limit, found: &[Finding]| GateScore {
        gate,
        passed: found.is_empty(),
        score,
        limit,
        findings: count(found),
    };
    let gates = vec![
        score(
            Gate::Repetition,
            distinct_2(&story_words(draft)).unwrap_or(1.0),
            limits.min_distinct_2,
            &repetition,
        ),
        score(
            Gate::Continuity,
            count(&continuity).into(),
            0.0,
            &continuity,
        ),
        score(
            Gate::ReadingLevel,
            flesch_kincaid_grade(&story.join(" ")),
            draft.age_band.max_grade(),
            &reading,
        ),
        score(Gate::PageLength, pages_hit(&length), 0.0, &length),
        score(Gate::Safety, pages_hit(&safety), 0.0, &safety),
        score(Gate::Voice, voice_share, 1.0, &voice),
        score(
            Gate::Diversity,
            diversity.score,
            1.0 - limits.max_similarity,
            &diverse,
        ),
        score(Gate::Pictures, shown, 1.0, &pictures),
    ];
    let findings = [
        repetition, continuity, reading, length, safety, voice, diverse, pictures,
    ]
    .concat();
    Assessment {
        findings,
        gates,
        diversity,
        fingerprint,
    }
}

/// Whether `other` is another of the owner's books made before `book`.
pub fn made_before(other: &crate::Book, book: &crate::Book) -> bool {
    other.id != book.id && other.created_at <= book.created_at
}

/// The earlier books a draft is compared with: the owner's other reviewed books made
/// before it, newest first, at most `limit`.
pub fn earlier_books(
    book: &crate::Book,
    owners_books: &[crate::Book],
    limit: usize,
) -> Vec<EarlierBook> {
    owners_books
        .iter()
        .filter(|b| made_before(b, book))
        .filter(|b| !b.review.fingerprint.is_empty())
        .take(limit)
        .map(|b| EarlierBook {
            id: b.id.to_string(),
            title: b.title.clone(),
            fingerprint: b.review.fingerprint.clone(),
        })
        .collect()
}
