//! The quality gates a story must pass before anything is drawn: repetition, continuity,
//! reading level, page length, safety, each character's voice, and diversity from the
//! owner's earlier books, and pictures that show what the words name; one file per gate.
//! Each finding says what is wrong in words and, as a [`Fix`], what a rewrite should
//! change, so it can be handed back to any writer; each gate also reports a score (see
//! the `review` module).

use crate::diversity::Fingerprint;
use crate::readability::{flesch_kincaid_grade, words};
use crate::request::AgeBand;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

pub use crate::finding::{Finding, Fix, Gate};
pub use crate::names::{first_mention, mentions};

/// A cast member as the gates see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CastFacts {
    pub name: String,
    /// What they are ("hare"): a page must not call them anything else.
    pub kind: String,
    pub traits: Vec<String>,
    /// How they speak, as the person wrote it ("whispers").
    pub voice: String,
}

/// An earlier book of the same owner, as the diversity gate compares it.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlierBook {
    pub id: String,
    pub title: String,
    pub fingerprint: Fingerprint,
}

/// What the gates check.
#[derive(Debug, Clone)]
pub struct StoryDraft<'a> {
    pub age_band: AgeBand,
    pub cast: &'a [CastFacts],
    /// Page texts in order, with the names the plan puts on each page.
    pub pages: &'a [(String, Vec<String>)],
    /// The owner's earlier books, newest first.
    pub earlier: &'a [EarlierBook],
    /// Each page's scene, in page order, as its picture will be staged; empty when the
    /// pictures are not staged yet (the pictures gate then has nothing to compare).
    pub scenes: &'a [crate::page::Scene],
}

/// Thresholds; the defaults suit picture books.
#[derive(Debug, Clone, Copy)]
pub struct GateLimits {
    /// Longest n-gram allowed to recur more than `max_ngram_repeats` times.
    pub ngram: usize,
    pub max_ngram_repeats: usize,
    /// Distinct bigrams over all bigrams, averaged over 200-word stretches.
    pub min_distinct_2: f64,
    /// Most of its 3-grams a story may share with one of the owner's earlier books.
    pub max_similarity: f64,
}

impl Default for GateLimits {
    fn default() -> Self {
        GateLimits {
            ngram: 4,
            max_ngram_repeats: 3,
            min_distinct_2: 0.6,
            max_similarity: 0.35,
        }
    }
}

mod continuity;
mod diversity;
mod page_length;
mod pictures;
mod reading_level;
mod repetition;
mod safety;
mod voice;

pub use continuity::continuity;
pub use diversity::{Diversity, diversity};
pub use page_length::page_length;
pub use pictures::pictures;
pub use reading_level::reading_level;
pub use repetition::{distinct_2, repetition};
pub use safety::{safety, safety_findings};
pub use voice::voice;

/// The story's words, in order.
pub(crate) fn story_words(draft: &StoryDraft<'_>) -> Vec<String> {
    draft.pages.iter().flat_map(|(t, _)| words(t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn cast() -> Vec<CastFacts> {
        vec![
            CastFacts {
                name: "Hazel".into(),
                kind: "hedgehog".into(),
                traits: vec!["brave".into()],
                voice: "whispers".into(),
            },
            CastFacts {
                name: "Otto".into(),
                kind: "owl".into(),
                traits: vec!["kind".into()],
                voice: "asks questions".into(),
            },
        ]
    }

    fn good_pages() -> Vec<(String, Vec<String>)> {
        [
            "Hazel is a small hedgehog. She lives under the old oak tree. She is brave in the day.",
            "Otto the owl is her friend. He is kind and wise. He hoots at the moon.",
            "At night the wood is dark. Hazel hides in her bed. The shadows look big.",
            "Otto comes to the door with a lamp. Hazel steps out. Together they find the stars.",
        ]
        .iter()
        .zip([
            vec!["Hazel"],
            vec!["Otto"],
            vec!["Hazel"],
            vec!["Hazel", "Otto"],
        ])
        .map(|(t, c)| (t.to_string(), c.into_iter().map(String::from).collect()))
        .collect()
    }

    fn check(pages: &[(String, Vec<String>)]) -> Vec<Finding> {
        check_staged(pages, &[])
    }

    /// The findings for `pages` whose pictures are staged as `scenes`.
    fn check_staged(
        pages: &[(String, Vec<String>)],
        scenes: &[crate::page::Scene],
    ) -> Vec<Finding> {
        crate::review::assess(
            &StoryDraft {
                age_band: AgeBand::Ages3To5,
                cast: &cast(),
                pages,
                earlier: &[],
                scenes,
            },
            GateLimits::default(),
        )
        .findings
    }

    fn gates_of(findings: &[Finding]) -> HashSet<Gate> {
        findings.iter().map(|f| f.gate).collect()
    }

    #[test]
    fn a_good_story_passes_every_gate() {
        assert_eq!(check(&good_pages()), vec![]);
    }

    /// A page whose picture would leave out someone or something its words name fails the
    /// pictures gate, and says what is missing; staged from its own words, it passes.
    #[test]
    fn pictures_must_show_what_the_words_name() {
        let pages = good_pages();
        let cast = cast();
        let names: Vec<String> = cast.iter().map(|c| c.name.clone()).collect();
        let beat = |n: u32, who: &[String]| crate::plan::PageBeat {
            page: n,
            phase: crate::plan::ArcPhase::Attempt,
            summary: String::new(),
            characters: who.to_vec(),
            setting: "forest".into(),
            time_of_day: crate::plan::TimeOfDay::Night,
            objects: vec![],
        };
        let staged: Vec<crate::page::Scene> = pages
            .iter()
            .enumerate()
            .map(|(i, (text, who))| {
                crate::prompt::scene(&beat(i as u32 + 1, who), "calm", text, &names)
            })
            .collect();
        let run = |scenes: &[crate::page::Scene]| check_staged(&pages, scenes);
        assert_eq!(run(&staged), vec![]);
        let mut careless = staged.clone();
        careless[3].characters = vec!["Hazel".into()];
        careless[3].objects.clear();
        let findings = run(&careless);
        assert_eq!(gates_of(&findings), HashSet::from([Gate::Pictures]));
        assert_eq!(findings[0].page, Some(4));
        assert!(
            findings[0].message.contains("Otto") && findings[0].message.contains("lantern"),
            "{findings:?}"
        );
    }

    #[test]
    fn repetition_fails_on_a_looping_story() {
        let mut pages = good_pages();
        for p in &mut pages {
            p.0 = format!(
                "{} Hazel ran and ran and ran away. Hazel ran and ran and ran away.",
                p.0
            );
        }
        let f = check(&pages);
        assert!(
            f.iter()
                .any(|f| f.gate == Gate::Repetition && f.message.contains("appears")),
            "{f:?}"
        );
        assert!(f.iter().any(|f| f.gate == Gate::Repetition
            && f.page == Some(1)
            && f.message.contains("repeated")));
    }

    #[test]
    fn distinct_2_fails_on_monotone_text() {
        let pages: Vec<_> = (0..4)
            .map(|_| {
                (
                    "Hazel is brave and Otto is kind. Hazel is brave and Otto is kind too."
                        .to_string(),
                    vec![],
                )
            })
            .collect();
        let cast = cast();
        let draft = StoryDraft {
            age_band: AgeBand::Ages3To5,
            cast: &cast,
            pages: &pages,
            earlier: &[],
            scenes: &[],
        };
        let f = repetition(
            &draft,
            GateLimits {
                max_ngram_repeats: 100,
                ..GateLimits::default()
            },
        );
        assert!(f.iter().any(|f| f.message.contains("distinct")), "{f:?}");
    }

    #[test]
    fn continuity_fails_on_a_missing_member_a_misspelt_name_and_a_broken_trait() {
        let mut pages = good_pages();
        pages[1].0 =
            "The owl is her friend. He hoots at the moon. The moon is round and white.".into();
        pages[1].1 = vec![];
        pages[3].0 = "Hazle steps out. Hazel was cowardly. Together they find the stars.".into();
        pages[3].1 = vec!["Hazel".into()];
        let f: Vec<_> = check(&pages)
            .into_iter()
            .filter(|f| f.gate == Gate::Continuity)
            .collect();
        let text: Vec<_> = f.iter().map(|f| f.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("Otto is in the cast but never appears")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("Otto should come across as kind")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("\"Hazle\" looks like a misspelling of Hazel")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("Hazel is brave, but this page calls them cowardly")),
            "{text:?}"
        );
    }

    #[test]
    fn a_name_with_a_digit_or_an_apostrophe_is_read_whole() {
        for name in ["Mal0", "O'Hara", "R2 D2"] {
            let mut cast = cast();
            cast[0].name = name.into();
            let pages: Vec<_> = good_pages()
                .into_iter()
                .map(|(text, present)| {
                    let present = present.iter().map(|n| n.replace("Hazel", name)).collect();
                    (text.replace("Hazel", name), present)
                })
                .collect();
            let draft = StoryDraft {
                age_band: AgeBand::Ages3To5,
                cast: &cast,
                pages: &pages,
                earlier: &[],
                scenes: &[],
            };
            assert_eq!(continuity(&draft), vec![], "{name}");
        }
    }

    #[test]
    fn continuity_fails_when_a_planned_character_is_absent() {
        let mut pages = good_pages();
        pages[2].1 = vec!["Hazel".into(), "Otto".into()];
        let f = check(&pages);
        assert!(
            f.iter()
                .any(|f| f.page == Some(3) && f.message.contains("puts Otto on this page")),
            "{f:?}"
        );
    }

    #[test]
    fn reading_level_fails_on_dense_prose() {
        let mut pages = good_pages();
        pages[0].0 =
            "Hazel, an extraordinarily conscientious hedgehog, systematically investigated \
                      unfamiliar environmental phenomena, demonstrating considerable bravery."
                .into();
        assert!(gates_of(&check(&pages)).contains(&Gate::ReadingLevel));
    }

    #[test]
    fn page_length_fails_on_an_empty_and_an_overlong_page() {
        let mut pages = good_pages();
        pages[0].0 = "Hazel.".into();
        pages[2].0 = "Hazel sees the dark. ".repeat(20);
        let f: Vec<_> = check(&pages)
            .into_iter()
            .filter(|f| f.gate == Gate::PageLength)
            .collect();
        assert_eq!(
            f.iter().map(|f| f.page).collect::<Vec<_>>(),
            vec![Some(1), Some(3)]
        );
    }

    #[test]
    fn safety_fails_on_unsuitable_words_only() {
        let mut pages = good_pages();
        pages[2].0 = "At night Hazel found a knife and blood on the path. She is brave.".into();
        let f: Vec<_> = check(&pages)
            .into_iter()
            .filter(|f| f.gate == Gate::Safety)
            .collect();
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("blood, knife"));
        assert!(safety("The skill of the killdeer bird").is_empty());
    }

    #[test]
    fn voice_fails_when_a_whisperer_shouts_and_passes_when_they_whisper() {
        let mut pages = good_pages();
        pages[2].0 = "At night the wood is dark. \u{201c}Who is there?\u{201d} shouted Hazel. \
                      The shadows look big."
            .into();
        let f: Vec<_> = check(&pages)
            .into_iter()
            .filter(|f| f.gate == Gate::Voice)
            .collect();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].page, Some(3));
        assert!(f[0].message.contains("speaks softly"), "{f:?}");
        pages[2].0 = pages[2].0.replace("shouted", "whispered");
        assert!(gates_of(&check(&pages)).is_empty());
    }

    #[test]
    fn continuity_fails_when_a_fact_is_contradicted() {
        let mut pages = good_pages();
        pages[0].0 = "Hazel is a small hedgehog with a red kite. She lives under the old oak \
                      tree. She is brave in the day."
            .into();
        pages[3].0 = "Hazel the fox steps out with her blue kite. Otto comes too. Together they \
                      find the stars."
            .into();
        let f: Vec<String> = check(&pages)
            .into_iter()
            .filter(|f| f.gate == Gate::Continuity && f.page == Some(4))
            .map(|f| f.message)
            .collect();
        assert!(f.iter().any(|m| m.contains("calls them a fox")), "{f:?}");
        assert!(
            f.iter().any(|m| m.contains("kite was red on page 1")),
            "{f:?}"
        );
    }

    #[test]
    fn diversity_fails_on_a_retold_story_and_reports_its_score() {
        let pages = good_pages();
        let cast = cast();
        let old_text: Vec<&str> = pages.iter().map(|(t, _)| t.as_str()).collect();
        let earlier = vec![EarlierBook {
            id: "b-old".into(),
            title: "Hazel and the Dark".into(),
            fingerprint: Fingerprint::of(&old_text.join(" ")),
        }];
        let draft = |pages| StoryDraft {
            age_band: AgeBand::Ages3To5,
            cast: &cast,
            pages,
            earlier: &earlier,
            scenes: &[],
        };
        let (f, report, _) = diversity(&draft(&pages), GateLimits::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("Hazel and the Dark"));
        assert!(report.similarity > 0.9 && report.score < 0.1, "{report:?}");
        assert_eq!(report.closest_book.as_deref(), Some("b-old"));

        let fresh: Vec<(String, Vec<String>)> = [
            "Hazel wakes up early and packs a little bag with seeds.",
            "Otto flies over the hill to show the way to the river.",
            "At the river they build a raft from sticks and reeds.",
            "Hazel and Otto float home singing as the sun goes down.",
        ]
        .iter()
        .map(|t| (t.to_string(), vec![]))
        .collect();
        let (f, report, _) = diversity(&draft(&fresh), GateLimits::default());
        assert!(f.is_empty(), "{f:?}");
        assert!(report.score > 0.9, "{report:?}");
        assert_eq!(report.compared, 1);
    }

    #[test]
    fn every_gate_reports_a_score_and_a_verdict() {
        let pages = good_pages();
        let cast = cast();
        let a = crate::review::assess(
            &StoryDraft {
                age_band: AgeBand::Ages3To5,
                cast: &cast,
                pages: &pages,
                earlier: &[],
                scenes: &[],
            },
            GateLimits::default(),
        );
        assert_eq!(
            a.gates.iter().map(|g| g.gate).collect::<Vec<_>>(),
            Gate::ALL.to_vec()
        );
        assert!(a.gates.iter().all(|g| g.passed), "{:?}", a.gates);
        let grade = a
            .gates
            .iter()
            .find(|g| g.gate == Gate::ReadingLevel)
            .expect("gate");
        assert!(
            grade.score <= grade.limit && grade.limit == 3.5,
            "{grade:?}"
        );
        assert!(!a.fingerprint.is_empty());
    }
}
