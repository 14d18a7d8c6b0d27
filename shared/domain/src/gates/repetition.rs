//! The repetition gate: phrases and sentences said too often, and too few distinct word pairs.

use super::*;

/// Distinct bigrams over all bigrams, averaged over 200-word stretches (distinct-2 falls
/// with length on any text); `None` for a story too short to measure.
pub fn distinct_2(all: &[String]) -> Option<f64> {
    if all.len() <= 20 {
        return None;
    }
    let chunks: Vec<&[String]> = all.chunks(200).filter(|c| c.len() > 20).collect();
    let sum: f64 = chunks
        .iter()
        .map(|c| {
            let bigrams: Vec<_> = c.windows(2).collect();
            bigrams.iter().collect::<HashSet<_>>().len() as f64 / bigrams.len() as f64
        })
        .sum();
    Some(sum / chunks.len().max(1) as f64)
}

/// Repeated n-grams across the story, a sentence repeated on a page, and too few distinct
/// bigrams (distinct-2).
pub fn repetition(draft: &StoryDraft<'_>, limits: GateLimits) -> Vec<Finding> {
    let mut findings = Vec::new();
    let all = story_words(draft);
    let mut counts: HashMap<&[String], usize> = HashMap::new();
    for gram in all.windows(limits.ngram) {
        *counts.entry(gram).or_default() += 1;
    }
    // A refrain is fine in a long book; the allowance grows by one per 250 words.
    let allowed = limits.max_ngram_repeats + all.len() / 250;
    let mut repeated: Vec<_> = counts.into_iter().filter(|(_, n)| *n > allowed).collect();
    repeated.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    if let Some((gram, n)) = repeated.first() {
        findings.push(Finding {
            gate: Gate::Repetition,
            page: None,
            message: format!(
                "the phrase \"{}\" appears {n} times; vary the wording (at most {allowed} times)",
                gram.join(" "),
            ),
            fix: Fix::Reword {
                phrase: Some(gram.join(" ")),
            },
        });
    }
    if let Some(distinct) = distinct_2(&all)
        && distinct < limits.min_distinct_2
    {
        findings.push(Finding {
            gate: Gate::Repetition,
            page: None,
            message: format!(
                "the story repeats itself: only {:.0}% of word pairs are distinct (needs {:.0}%)",
                distinct * 100.0,
                limits.min_distinct_2 * 100.0
            ),
            fix: Fix::Reword { phrase: None },
        });
    }
    for (i, (text, _)) in draft.pages.iter().enumerate() {
        let mut seen = HashSet::new();
        for s in crate::readability::sentences(text) {
            let key = words(s).join(" ");
            if key.split(' ').count() >= 3 && !seen.insert(key) {
                findings.push(Finding {
                    gate: Gate::Repetition,
                    page: Some(i as u32 + 1),
                    message: format!("the sentence \"{s}\" is repeated on the page"),
                    fix: Fix::Reword { phrase: None },
                });
            }
        }
    }
    findings
}
