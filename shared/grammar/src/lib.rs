//! Grammar checking for book pages, with Harper (Automattic's rule-based English linter):
//! article agreement ("a owl"), subject-verb agreement ("they was"), repeated words,
//! capitalisation, punctuation, spelling and many more. The cast's names are not words
//! Harper knows; they are not counted as misspellings.

use harper_core::linting::{Lint, LintGroup, LintKind, Linter};
use harper_core::spell::FstDictionary;
use harper_core::{Dialect, Document};
use std::sync::Arc;

/// One grammar problem in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Harper's kind of problem ("Agreement", "Repetition"...).
    pub kind: String,
    /// The words at fault.
    pub words: String,
    /// What is wrong, in Harper's words.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} \u{201c}{}\u{201d}: {}",
            self.kind, self.words, self.message
        )
    }
}

/// Kinds of lint that are matters of taste, not grammar: a picture book's short, plain
/// sentences are often "improvable" in their eyes.
const TASTE: &[LintKind] = &[
    LintKind::Style,
    LintKind::Enhancement,
    LintKind::Readability,
    LintKind::WordChoice,
    LintKind::Regionalism,
    LintKind::Redundancy,
];

/// A grammar checker with Harper's curated rules and dictionary (British English, as the
/// offline storyteller writes).
pub struct Grammar {
    dictionary: Arc<FstDictionary>,
    linter: LintGroup,
}

impl Default for Grammar {
    fn default() -> Self {
        Self::new()
    }
}

impl Grammar {
    /// Loads Harper's curated dictionary and rule set.
    pub fn new() -> Grammar {
        let dictionary = FstDictionary::curated();
        let linter = LintGroup::new_curated(dictionary.clone(), Dialect::British);
        Grammar { dictionary, linter }
    }

    /// The grammar problems in `text`; `names` (the cast) are never misspellings.
    pub fn check(&mut self, text: &str, names: &[String]) -> Vec<Problem> {
        let document = Document::new_plain_english(text, &self.dictionary);
        let chars: Vec<char> = text.chars().collect();
        let lints: Vec<Lint> = self.linter.lint(&document);
        lints
            .into_iter()
            .filter(|l| !TASTE.contains(&l.lint_kind))
            .filter_map(|l| {
                let words: String = chars
                    .get(l.span.start..l.span.end)
                    .map(|c| c.iter().collect())
                    .unwrap_or_default();
                let bare = words.trim_end_matches("'s").trim_end_matches("\u{2019}s");
                let a_name = names
                    .iter()
                    .any(|n| n == bare || n.split_whitespace().any(|w| w == bare));
                if l.lint_kind == LintKind::Spelling && a_name {
                    return None;
                }
                Some(Problem {
                    kind: format!("{:?}", l.lint_kind),
                    words,
                    message: l.message,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar_slips_are_found_and_names_are_not_misspellings() {
        let mut g = Grammar::new();
        let names = vec!["Mila".to_string(), "Bram".to_string()];
        assert_eq!(
            g.check(
                "Mila and Bram tied sticks together to build a raft.",
                &names
            ),
            vec![]
        );
        for bad in [
            "Mila saw a owl in the tree.",
            "Bram looked in the the river.",
            "They was happy.",
        ] {
            assert!(!g.check(bad, &names).is_empty(), "{bad}");
        }
    }
}
