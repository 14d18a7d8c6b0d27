//! The diversity gate: the story is not a retelling of the owner's earlier books.

use super::*;

/// The story against the owner's earlier books.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Diversity {
    /// Earlier books compared.
    pub compared: u32,
    /// Estimated share of 3-word phrases shared with the closest one (0 to 1).
    pub similarity: f64,
    /// 1 − similarity: how new this story is.
    pub score: f64,
    /// The closest earlier book, when any shares a phrase.
    pub closest_book: Option<String>,
}

/// The story against the owner's earlier books: the closest one and how much of it this
/// story repeats, with a finding when that is past the limit.
pub fn diversity(
    draft: &StoryDraft<'_>,
    limits: GateLimits,
) -> (Vec<Finding>, Diversity, Fingerprint) {
    let fingerprint = Fingerprint::of_pages(draft.pages.iter().map(|(t, _)| t.as_str()));
    let closest = draft
        .earlier
        .iter()
        .map(|b| (b, fingerprint.similarity(&b.fingerprint)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let report = Diversity {
        compared: draft.earlier.len() as u32,
        similarity: closest.map_or(0.0, |(_, s)| s),
        closest_book: closest.filter(|(_, s)| *s > 0.0).map(|(b, _)| b.id.clone()),
        score: 1.0 - closest.map_or(0.0, |(_, s)| s),
    };
    let findings = match closest {
        Some((book, s)) if s > limits.max_similarity => vec![Finding {
            gate: Gate::Diversity,
            page: None,
            message: format!(
                "the story is too close to your earlier book \"{}\" (about {:.0}% of its phrases \
                 are the same, at most {:.0}%); tell it in a new way",
                book.title,
                s * 100.0,
                limits.max_similarity * 100.0
            ),
            fix: Fix::Reword { phrase: None },
        }],
        _ => Vec::new(),
    };
    (findings, report, fingerprint)
}
