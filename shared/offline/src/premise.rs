//! Reading a premise: what the hero is up against, and where the story happens.

use storyloom_domain::plan::TimeOfDay;

/// The kind of problem a premise sets up; it shapes every attempt and the turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// "afraid of the dark" -> Fear("the dark").
    Fear(String),
    /// "lost her kite" -> Lost("her kite").
    Lost(String),
    /// "wants to fly", "learns to swim", "dreams of ..." -> Goal("fly").
    Goal(String),
    /// Anything else: the premise itself, as a puzzle to solve.
    Puzzle(String),
}

impl Problem {
    /// A short phrase for the plan ("the dark", "a lost kite").
    pub(crate) fn phrase(&self) -> String {
        match self {
            Problem::Fear(x) => format!("being afraid of {x}"),
            Problem::Lost(x) => format!("finding {x}"),
            Problem::Goal(x) => format!("learning to {x}"),
            Problem::Puzzle(x) => x.clone(),
        }
    }

    /// Fears of the dark play out at dusk and night; everything else by day.
    pub(crate) fn is_about_night(&self) -> bool {
        matches!(self, Problem::Fear(x) if ["dark", "night", "shadow", "moon"].iter().any(|w| x.contains(w)))
    }
}

/// Extracts the problem from a premise.
pub(crate) fn problem(premise: &str) -> Problem {
    let p = premise.to_lowercase();
    let after = |marker: &str| -> Option<String> {
        let i = p.find(marker)?;
        let rest = &p[i + marker.len()..];
        let end = rest.find([',', '.', ';', '!', '?']).unwrap_or(rest.len());
        let phrase = rest[..end]
            .split(" and ")
            .next()
            .unwrap_or("")
            .split(" but ")
            .next()
            .unwrap_or("")
            .trim();
        (!phrase.is_empty()).then(|| {
            phrase
                .split_whitespace()
                .take(6)
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    if let Some(x) = after("afraid of ")
        .or_else(|| after("scared of "))
        .or_else(|| after("frightened of "))
    {
        return Problem::Fear(x);
    }
    if let Some(x) = after("loses ")
        .or_else(|| after("lost "))
        .or_else(|| after("looking for "))
        .or_else(|| after("searching for "))
    {
        return Problem::Lost(x);
    }
    if let Some(x) = after("wants to ")
        .or_else(|| after("learns to "))
        .or_else(|| after("learn to "))
        .or_else(|| after("dreams of "))
        .or_else(|| after("wishes to "))
    {
        return Problem::Goal(x);
    }
    let words: Vec<&str> = p.split_whitespace().collect();
    Problem::Puzzle(
        words
            .iter()
            .rev()
            .take(5)
            .rev()
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Known settings and the words that point at them.
const SETTINGS: &[(&str, &[&str])] = &[
    (
        "forest",
        &[
            "forest", "wood", "woods", "tree", "owl", "hedgehog", "fox", "badger", "squirrel",
        ],
    ),
    (
        "seaside",
        &[
            "sea", "ocean", "beach", "shore", "wave", "fish", "crab", "whale", "boat",
        ],
    ),
    (
        "meadow",
        &[
            "meadow",
            "field",
            "flower",
            "bee",
            "butterfly",
            "rabbit",
            "bunny",
            "kite",
        ],
    ),
    (
        "city",
        &["city", "town", "street", "bus", "building", "shop"],
    ),
    (
        "mountain",
        &["mountain", "hill", "snow", "peak", "goat", "climb"],
    ),
    (
        "garden",
        &["garden", "vegetable", "seed", "grow", "worm", "snail"],
    ),
    (
        "space",
        &[
            "space",
            "star",
            "stars",
            "planet",
            "rocket",
            "moon",
            "astronaut",
            "alien",
        ],
    ),
    (
        "farm",
        &[
            "farm", "barn", "cow", "pig", "hen", "chicken", "tractor", "sheep",
        ],
    ),
    (
        "castle",
        &[
            "castle", "king", "queen", "knight", "dragon", "princess", "prince",
        ],
    ),
    (
        "home",
        &[
            "home", "bedroom", "bed", "house", "kitchen", "sleep", "bedtime",
        ],
    ),
];

/// Every setting the illustrator can paint.
pub(crate) fn known_settings() -> impl Iterator<Item = &'static str> {
    SETTINGS.iter().map(|(s, _)| *s)
}

/// The setting a premise and cast point at most, or `fallback`.
pub(crate) fn setting(premise: &str, kinds: &[String], fallback: &'static str) -> &'static str {
    let text = format!(
        "{} {}",
        premise.to_lowercase(),
        kinds.join(" ").to_lowercase()
    );
    let words: Vec<&str> = text.split(|c: char| !c.is_alphabetic()).collect();
    SETTINGS
        .iter()
        .map(|(s, cues)| (*s, cues.iter().filter(|c| words.contains(c)).count()))
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(_, n)| *n)
        .map_or(fallback, |(s, _)| s)
}

/// The light for a page at `progress` (0..1) through the story.
pub(crate) fn time_of_day(problem: &Problem, progress: f32) -> TimeOfDay {
    if problem.is_about_night() {
        if progress < 0.2 {
            TimeOfDay::Evening
        } else {
            TimeOfDay::Night
        }
    } else if progress < 0.3 {
        TimeOfDay::Morning
    } else if progress < 0.75 {
        TimeOfDay::Afternoon
    } else {
        TimeOfDay::Evening
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_read_from_premises() {
        assert_eq!(
            problem("A brave hedgehog who is afraid of the dark"),
            Problem::Fear("the dark".into())
        );
        assert_eq!(
            problem("A girl who lost her red kite in the wind"),
            Problem::Lost("her red kite in the wind".into())
        );
        assert_eq!(
            problem("A little robot wants to learn to dance, but he is shy"),
            Problem::Goal("learn to dance".into())
        );
        assert!(matches!(
            problem("Two friends build a boat together"),
            Problem::Puzzle(_)
        ));
    }

    #[test]
    fn settings_follow_the_words() {
        assert_eq!(
            setting("afraid of the dark", &["hedgehog".into()], "meadow"),
            "forest"
        );
        assert_eq!(setting("a trip to the beach", &[], "meadow"), "seaside");
        assert_eq!(setting("nothing in particular", &[], "meadow"), "meadow");
    }
}
