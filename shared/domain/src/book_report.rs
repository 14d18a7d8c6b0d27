//! The book report: how well a finished book keeps its premise, how its pictures follow
//! its words, and how it reads. `storyloom review-book` prints it for one book or for a
//! whole set of premises; grammar and what the illustrator drew are measured outside the
//! domain (a grammar checker, the illustrator's own record) and handed in.

use crate::gates::distinct_2;
use crate::page::Scene;
use crate::readability::{flesch_kincaid_grade, sentences, words};
use crate::request::AgeBand;
use std::collections::{HashMap, HashSet};

/// A finished book as the report reads it.
#[derive(Debug, Clone)]
pub struct BookToReport<'a> {
    pub title: &'a str,
    pub premise: &'a str,
    pub age_band: AgeBand,
    /// The cast's names.
    pub cast: &'a [String],
    /// Each page's text and scene, in order.
    pub pages: &'a [(String, Scene)],
}

/// One page's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct PageFigures {
    pub number: u32,
    /// Share of what the text names that the picture shows.
    pub agreement: f64,
    /// What the text names and the picture leaves out.
    pub missing: Vec<String>,
    /// Flesch–Kincaid grade of the page.
    pub grade: f64,
}

/// The report on one book.
#[derive(Debug, Clone, PartialEq)]
pub struct BookReport {
    pub title: String,
    pub age_band: AgeBand,
    pub pages: Vec<PageFigures>,
    /// The objects and places the premise names.
    pub premise_things: Vec<String>,
    /// Share of those named somewhere in the text (1 when the premise names none).
    pub in_text: f64,
    /// Share of those shown in some picture (1 when the premise names none).
    pub in_pictures: f64,
    /// The premise's things no page names, and those no picture shows.
    pub absent_from_text: Vec<String>,
    pub absent_from_pictures: Vec<String>,
    /// Sentences that occur more than once in the book (normalised), each once.
    pub repeated_sentences: Vec<String>,
    /// Distinct word pairs over all word pairs, averaged over 200-word stretches.
    pub distinct_2: f64,
    /// Framings and settings the pictures use.
    pub compositions: usize,
    pub settings: usize,
}

impl BookReport {
    /// Mean text↔picture agreement over the pages.
    pub fn agreement(&self) -> f64 {
        mean(self.pages.iter().map(|p| p.agreement))
    }

    /// Pages whose grade is above the band's.
    pub fn pages_over_grade(&self) -> usize {
        let max = self.age_band.max_grade();
        self.pages.iter().filter(|p| p.grade > max).count()
    }

    /// The book's mean page grade.
    pub fn mean_grade(&self) -> f64 {
        mean(self.pages.iter().map(|p| p.grade))
    }
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { 1.0 } else { sum / n as f64 }
}

/// A page's sentences as compared for repeats, each as its lower-cased words; a line of
/// dialogue keeps its speech tag ("“Where is it?” asked Mila." is one sentence).
fn story_sentences(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in sentences(text) {
        let continues = s
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .starts_with(|c: char| c.is_lowercase());
        match out.last_mut() {
            Some(last) if continues => {
                last.push(' ');
                last.push_str(&words(s).join(" "));
            }
            _ => out.push(words(s).join(" ")),
        }
    }
    out
}

/// Measures a book.
pub fn report(book: &BookToReport<'_>) -> BookReport {
    let premise_things = crate::places::named_in_premise(book.premise);
    let story: String = book
        .pages
        .iter()
        .map(|(t, _)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let story_props = crate::props::all_in(&story);
    let story_places = crate::places::places_in(&story);
    let named_in_story =
        |thing: &str| story_props.iter().any(|p| p == thing) || story_places.contains(&thing);
    let shown = |thing: &str| {
        book.pages
            .iter()
            .any(|(_, s)| s.objects.iter().any(|o| o == thing) || s.setting == thing)
    };
    let absent_from_text: Vec<String> = premise_things
        .iter()
        .filter(|t| !named_in_story(t))
        .cloned()
        .collect();
    let absent_from_pictures: Vec<String> = premise_things
        .iter()
        .filter(|t| !shown(t))
        .cloned()
        .collect();
    let share = |absent: usize| {
        if premise_things.is_empty() {
            1.0
        } else {
            1.0 - absent as f64 / premise_things.len() as f64
        }
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (text, _) in book.pages {
        for n in story_sentences(text) {
            if n.split(' ').count() >= 2 {
                *seen.entry(n).or_default() += 1;
            }
        }
    }
    let mut repeated_sentences: Vec<String> = seen
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(s, _)| s)
        .collect();
    repeated_sentences.sort();
    let pages = book
        .pages
        .iter()
        .enumerate()
        .map(|(i, (text, scene))| {
            let a = crate::pictures::agreement(text, scene, book.cast);
            PageFigures {
                number: i as u32 + 1,
                agreement: a.share(),
                missing: a.missing,
                grade: flesch_kincaid_grade(text),
            }
        })
        .collect();
    BookReport {
        title: book.title.to_owned(),
        age_band: book.age_band,
        pages,
        in_text: share(absent_from_text.len()),
        in_pictures: share(absent_from_pictures.len()),
        absent_from_text,
        absent_from_pictures,
        premise_things,
        repeated_sentences,
        distinct_2: distinct_2(&words(&story)).unwrap_or(1.0),
        compositions: book
            .pages
            .iter()
            .map(|(_, s)| s.shot)
            .collect::<HashSet<_>>()
            .len(),
        settings: book
            .pages
            .iter()
            .map(|(_, s)| s.setting.as_str())
            .collect::<HashSet<_>>()
            .len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::TimeOfDay;
    use crate::staging::Shot;

    fn scene(objects: &[&str], setting: &str, shot: Shot) -> Scene {
        Scene {
            setting: setting.into(),
            time_of_day: TimeOfDay::Morning,
            characters: vec!["Mila".into()],
            mood: "warm".into(),
            objects: objects.iter().map(|s| s.to_string()).collect(),
            shot,
            figures: vec![],
        }
    }

    #[test]
    fn a_book_is_measured_against_its_premise_and_its_pictures() {
        let cast = ["Mila".to_string()];
        let pages = vec![
            (
                "Mila built a raft. Mila was happy.".to_string(),
                scene(&["raft"], "meadow", Shot::Wide),
            ),
            (
                "Mila sailed the raft down the river. Mila was happy.".to_string(),
                scene(&["raft"], "meadow", Shot::Close),
            ),
        ];
        let r = report(&BookToReport {
            title: "Mila's Raft",
            premise: "A fox builds a raft to cross the river and find the kite",
            age_band: AgeBand::Ages6To8,
            cast: &cast,
            pages: &pages,
        });
        assert_eq!(r.premise_things, vec!["raft", "river", "kite"]);
        assert_eq!(r.absent_from_text, vec!["kite"]);
        assert_eq!(r.absent_from_pictures, vec!["river", "kite"]);
        assert!((r.in_text - 2.0 / 3.0).abs() < 1e-9);
        assert!((r.in_pictures - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(r.pages[0].agreement, 1.0);
        assert_eq!(r.pages[1].missing, vec!["river"]);
        assert_eq!(r.repeated_sentences, vec!["mila was happy"]);
        assert_eq!(
            story_sentences("\u{201c}Where is it?\u{201d} asked Mila. Bram looked."),
            vec!["where is it asked mila", "bram looked"]
        );
        assert_eq!((r.compositions, r.settings), (2, 1));
        assert_eq!(r.pages_over_grade(), 0);
    }
}
