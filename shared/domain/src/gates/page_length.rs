//! The page-length gate: words per page within the band's bounds.

use super::*;

/// Words per page within the band's bounds.
pub fn page_length(draft: &StoryDraft<'_>) -> Vec<Finding> {
    let range = draft.age_band.words_per_page();
    draft
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, (text, _))| {
            let n = words(text).len();
            let (message, fix) = if n < *range.start() {
                (
                    format!(
                        "has {n} words; write at least {} for {}",
                        range.start(),
                        draft.age_band
                    ),
                    Fix::Lengthen {
                        min_words: *range.start() as u32,
                    },
                )
            } else if n > *range.end() {
                (
                    format!(
                        "has {n} words; keep it to {} for {}",
                        range.end(),
                        draft.age_band
                    ),
                    Fix::Shorten {
                        max_words: *range.end() as u32,
                    },
                )
            } else {
                return None;
            };
            Some(Finding {
                gate: Gate::PageLength,
                page: Some(i as u32 + 1),
                message,
                fix,
            })
        })
        .collect()
}
