//! The safety gate: no word a children's book must not contain.

use super::*;

/// Unsafe words, page by page.
pub fn safety_findings(draft: &StoryDraft<'_>) -> Vec<Finding> {
    draft
        .pages
        .iter()
        .enumerate()
        .flat_map(|(i, (text, _))| {
            safety(text).into_iter().map(move |m| Finding {
                gate: Gate::Safety,
                page: Some(i as u32 + 1),
                message: m,
                fix: Fix::Reword { phrase: None },
            })
        })
        .collect()
}

/// Words a children's book must not contain. Checked on premises and on generated text.
const UNSAFE: &[&str] = &[
    "kill", "killed", "kills", "killing", "murder", "murdered", "blood", "bloody", "gore", "gun",
    "guns", "rifle", "knife", "stab", "stabbed", "suicide", "drugs", "cocaine", "heroin", "beer",
    "vodka", "whisky", "drunk", "sexy", "sex", "naked", "porn", "torture", "tortured", "behead",
    "corpse", "damn", "shit", "fuck", "bitch",
];

/// Problems that make a text unsafe for children (empty when it is fine).
pub fn safety(text: &str) -> Vec<String> {
    let mut hits: Vec<String> = words(text)
        .into_iter()
        .filter(|w| UNSAFE.contains(&w.as_str()))
        .collect();
    hits.sort();
    hits.dedup();
    if hits.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "contains words unsuitable for children ({})",
            hits.join(", ")
        )]
    }
}
