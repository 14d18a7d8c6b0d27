//! The pictures gate: every page's scene shows who and what its words name.

use super::*;

/// Pages whose picture would not show what their words name (see [`crate::pictures`]),
/// and the share of everything the pages name that their pictures show.
pub fn pictures(draft: &StoryDraft<'_>) -> (Vec<Finding>, f64) {
    let cast: Vec<String> = draft.cast.iter().map(|c| c.name.clone()).collect();
    let (mut named, mut missing) = (0, 0);
    let mut findings = Vec::new();
    for (i, ((text, _), scene)) in draft.pages.iter().zip(draft.scenes).enumerate() {
        let agreement = crate::pictures::agreement(text, scene, &cast);
        named += agreement.named.len();
        missing += agreement.missing.len();
        if !agreement.missing.is_empty() {
            findings.push(Finding {
                gate: Gate::Pictures,
                page: Some(i as u32 + 1),
                message: format!(
                    "the text names {}, which its picture would not show; name only who is on \
                     the page, at most {} things, and one place",
                    agreement.missing.join(", "),
                    crate::props::MAX_PER_PICTURE
                ),
                fix: Fix::Other,
            });
        }
    }
    let share = if named == 0 {
        1.0
    } else {
        1.0 - missing as f64 / named as f64
    };
    (findings, share)
}
