//! The reading-level gate: the story's grade against the age band.

use super::*;

/// The story's Flesch–Kincaid grade against the age band, and any page far above it.
pub fn reading_level(draft: &StoryDraft<'_>) -> Vec<Finding> {
    let max = draft.age_band.max_grade();
    let mut findings = Vec::new();
    let story: String = draft
        .pages
        .iter()
        .map(|(t, _)| t.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let grade = flesch_kincaid_grade(&story);
    if grade > max {
        findings.push(Finding {
            gate: Gate::ReadingLevel,
            page: None,
            message: format!(
                "reads at grade {grade:.1}, above {max:.1} for {}; use shorter sentences and simpler words",
                draft.age_band
            ),
            fix: Fix::Simplify,
        });
    }
    for (i, (text, _)) in draft.pages.iter().enumerate() {
        let g = flesch_kincaid_grade(text);
        if g > max + 2.5 {
            findings.push(Finding {
                gate: Gate::ReadingLevel,
                page: Some(i as u32 + 1),
                message: format!("reads at grade {g:.1}, far above {max:.1}; simplify this page"),
                fix: Fix::Simplify,
            });
        }
    }
    findings
}
