//! The quality gates a story must pass before anything is drawn: repetition, continuity,
//! reading level, page length, safety, each character's voice, and diversity from the
//! owner's earlier books. Each finding says what to fix, so it can be handed back to the
//! writer as feedback; each gate also reports a score (see [`crate::review`]).

use crate::diversity::Fingerprint;
use crate::readability::{flesch_kincaid_grade, words};
use crate::request::AgeBand;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
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

/// Runs every gate; an empty result means the story passes.
pub fn review(draft: &StoryDraft<'_>, limits: GateLimits) -> Vec<Finding> {
    crate::review::assess(draft, limits).findings
}

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

/// The story's words, in order.
pub(crate) fn story_words(draft: &StoryDraft<'_>) -> Vec<String> {
    draft.pages.iter().flat_map(|(t, _)| words(t)).collect()
}

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

/// Every cast member appears and keeps their name; every trait is shown somewhere; the
/// characters the plan puts on a page are on it; nobody is described against their traits.
pub fn continuity(draft: &StoryDraft<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let story: String = draft
        .pages
        .iter()
        .map(|(t, _)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let story_words: HashSet<String> = words(&story).into_iter().collect();
    // Each word of each name ("Mary Ann" is "mary" and "ann"), as the text is read below.
    let names: HashSet<String> = draft.cast.iter().flat_map(|c| words(&c.name)).collect();
    for member in draft.cast {
        if !mentions(&story, &member.name) {
            findings.push(Finding {
                gate: Gate::Continuity,
                page: None,
                message: format!(
                    "{} is in the cast but never appears; give them a part",
                    member.name
                ),
                fix: Fix::ShowCharacter {
                    name: member.name.clone(),
                },
            });
        }
        for t in &member.traits {
            if !words(t).iter().all(|w| story_words.contains(w)) {
                findings.push(Finding {
                    gate: Gate::Continuity,
                    page: None,
                    message: format!(
                        "{} should come across as {t}, but the story never shows it",
                        member.name
                    ),
                    fix: Fix::ShowCharacter {
                        name: member.name.clone(),
                    },
                });
            }
        }
    }
    for (i, (text, present)) in draft.pages.iter().enumerate() {
        let page = Some(i as u32 + 1);
        for name in present {
            if !mentions(text, name) {
                findings.push(Finding {
                    gate: Gate::Continuity,
                    page,
                    message: format!(
                        "the plan puts {name} on this page, but the text does not mention them"
                    ),
                    fix: Fix::Other,
                });
            }
        }
        // Words as `words` cuts them (letters, digits, apostrophes), so a name such as
        // "Mal0" or "O'Hara" is read whole, never as a slip of itself.
        for word in text
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .map(|w| w.trim_matches('\''))
            .map(|w| w.strip_suffix("'s").unwrap_or(w))
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        {
            let lower = word.to_lowercase();
            if names.contains(&lower) {
                continue;
            }
            if let Some(member) = draft.cast.iter().find(|c| {
                let n = c.name.to_lowercase();
                n.len() >= 4 && edit_distance(&n, &lower) == 1
            }) {
                findings.push(Finding {
                    gate: Gate::Continuity,
                    page,
                    message: format!(
                        "\"{word}\" looks like a misspelling of {}; keep the name exactly",
                        member.name
                    ),
                    fix: Fix::Reword { phrase: None },
                });
            }
        }
        for member in draft.cast {
            for s in crate::readability::sentences(text)
                .into_iter()
                .filter(|s| mentions(s, &member.name))
            {
                let sw: HashSet<String> = words(s).into_iter().collect();
                for t in &member.traits {
                    if let Some(opp) = opposite(t).filter(|o| sw.contains(*o)) {
                        findings.push(Finding {
                            gate: Gate::Continuity,
                            page,
                            message: format!(
                                "{} is {t}, but this page calls them {opp}",
                                member.name
                            ),
                            fix: Fix::ShowCharacter {
                                name: member.name.clone(),
                            },
                        });
                    }
                }
            }
        }
    }
    let texts: Vec<&str> = draft.pages.iter().map(|(t, _)| t.as_str()).collect();
    let kinds: Vec<(String, String)> = draft
        .cast
        .iter()
        .map(|c| (c.name.clone(), c.kind.clone()))
        .collect();
    findings.extend(
        crate::facts::kind_contradictions(&texts, &kinds)
            .into_iter()
            .chain(crate::facts::colour_contradictions(&texts))
            .map(|c| Finding {
                gate: Gate::Continuity,
                page: Some(c.page),
                message: c.message,
                fix: c
                    .character
                    .map_or(Fix::Other, |name| Fix::ShowCharacter { name }),
            }),
    );
    findings
}

/// Each character's lines against their declared voice; the share of lines that fit it,
/// over the whole cast (1 when nobody speaks).
pub fn voice(draft: &StoryDraft<'_>) -> (Vec<Finding>, f64) {
    let names: Vec<String> = draft.cast.iter().map(|c| c.name.clone()).collect();
    let mut lines: Vec<(u32, crate::voice::Speech)> = Vec::new();
    for (i, (text, _)) in draft.pages.iter().enumerate() {
        lines.extend(
            crate::voice::speeches(text, &names)
                .into_iter()
                .map(|s| (i as u32 + 1, s)),
        );
    }
    let mut findings = Vec::new();
    let (mut fitting, mut total) = (0.0, 0usize);
    for member in draft.cast {
        let theirs: Vec<&crate::voice::Speech> = lines
            .iter()
            .filter(|(_, s)| s.speaker == member.name)
            .map(|(_, s)| s)
            .collect();
        let profile = crate::voice::VoiceProfile::read(&member.voice);
        let simple = draft.age_band == AgeBand::Ages3To5;
        let (problems, share) = crate::voice::judge(profile, &member.name, &theirs, simple);
        fitting += share * theirs.len() as f64;
        total += theirs.len();
        for message in problems {
            // A broken line names its page; a missing habit is the whole story's.
            let page = lines
                .iter()
                .find(|(_, s)| {
                    s.speaker == member.name && message.contains(&format!("\"{}\"", s.line))
                })
                .map(|(p, _)| *p);
            findings.push(Finding {
                gate: Gate::Voice,
                page,
                message,
                fix: Fix::Other,
            });
        }
    }
    let share = if total == 0 {
        1.0
    } else {
        fitting / total as f64
    };
    (findings, share)
}

/// The story against the owner's earlier books: the closest one and how much of it this
/// story repeats, with a finding when that is past the limit.
pub fn diversity(
    draft: &StoryDraft<'_>,
    limits: GateLimits,
) -> (Vec<Finding>, crate::review::Diversity, Fingerprint) {
    let fingerprint = Fingerprint::of_pages(draft.pages.iter().map(|(t, _)| t.as_str()));
    let closest = draft
        .earlier
        .iter()
        .map(|b| (b, fingerprint.similarity(&b.fingerprint)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let report = crate::review::Diversity {
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

/// A trait's opposite, for the words a story should not use about that character.
fn opposite(t: &str) -> Option<&'static str> {
    const PAIRS: &[(&str, &str)] = &[
        ("brave", "cowardly"),
        ("kind", "cruel"),
        ("gentle", "rough"),
        ("patient", "impatient"),
        ("honest", "dishonest"),
        ("tidy", "messy"),
        ("calm", "frantic"),
        ("cheerful", "gloomy"),
        ("generous", "selfish"),
        ("clever", "foolish"),
        ("friendly", "unfriendly"),
        ("helpful", "unhelpful"),
    ];
    PAIRS.iter().find_map(|&(a, b)| {
        if a == t {
            Some(b)
        } else if b == t {
            Some(a)
        } else {
            None
        }
    })
}

/// True when `text` contains `name` as whole words.
/// Whether `text` names `name` ("Hazel's" names Hazel; every word of a two-word name).
pub fn mentions(text: &str, name: &str) -> bool {
    first_mention(text, name).is_some()
}

/// Where `text` first names `name`, counted in words (see [`mentions`]).
pub fn first_mention(text: &str, name: &str) -> Option<usize> {
    // "Hazel's" mentions Hazel.
    let hay: Vec<String> = words(text)
        .into_iter()
        .map(|w| w.strip_suffix("'s").map(str::to_owned).unwrap_or(w))
        .collect();
    let needle = words(name);
    if needle.is_empty() {
        return None;
    }
    hay.windows(needle.len())
        .position(|w| w == needle.as_slice())
}

/// Edit distance with adjacent transpositions (optimal string alignment), so "Hazle" is one
/// slip away from "Hazel".
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let cast = cast();
        review(
            &StoryDraft {
                age_band: AgeBand::Ages3To5,
                cast: &cast,
                pages,
                earlier: &[],
                scenes: &[],
            },
            GateLimits::default(),
        )
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
        let run = |scenes: &[crate::page::Scene]| {
            review(
                &StoryDraft {
                    age_band: AgeBand::Ages3To5,
                    cast: &cast,
                    pages: &pages,
                    earlier: &[],
                    scenes,
                },
                GateLimits::default(),
            )
        };
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
