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

/// Words that end a noun phrase in a premise: what follows says where or why, not what.
const PHRASE_ENDS: &[&str] = &[
    "in",
    "on",
    "at",
    "by",
    "near",
    "with",
    "to",
    "from",
    "into",
    "during",
    "before",
    "after",
    "because",
    "so",
    "while",
    "when",
    "who",
    "that",
    "which",
    "and",
    "but",
    "or",
    // A verb after the phrase starts the next clause: "afraid of the dark finds a lantern".
    "finds",
    "learns",
    "wants",
    "meets",
    "goes",
    "gets",
    "makes",
    "discovers",
    "decides",
    "tries",
    "loses",
    "sees",
    "needs",
    "dreams",
    "wishes",
    "builds",
    "helps",
    "searches",
    "looks",
    "sets",
    "travels",
    "hopes",
    "begins",
    "starts",
    "is",
    "was",
    "has",
];

/// Words that already start a noun phrase with its determiner.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "her", "his", "their", "my", "its", "our", "your", "some", "every",
];

/// Verbs a premise's goal can start with ("build a raft", "win the race").
const GOAL_VERBS: &[&str] = &[
    "build", "make", "cross", "climb", "reach", "save", "rescue", "help", "fix", "mend", "plant",
    "grow", "bake", "win", "visit", "catch", "explore", "open", "sail", "deliver", "paint",
    "finish", "fly", "swim", "ride", "throw", "plan", "cook", "write", "sing", "dance", "read",
];

/// Extracts the problem from a premise.
pub(crate) fn problem(premise: &str) -> Problem {
    let p = premise.to_lowercase();
    let words: Vec<&str> = p
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | '!' | '?'))
        .filter(|w| !w.is_empty())
        .collect();
    // The phrase after the words `marker`, up to where it stops saying what.
    let after = |marker: &[&str], stop_at_to: bool| -> Option<String> {
        let at = words.windows(marker.len()).position(|w| w == marker)?;
        let rest = &words[at + marker.len()..];
        let phrase: Vec<&str> = rest
            .iter()
            .enumerate()
            .take_while(|(i, w)| {
                *i == 0 || !(PHRASE_ENDS.contains(w) && (stop_at_to || **w != "to"))
            })
            .map(|(_, w)| *w)
            .take(6)
            .collect();
        (!phrase.is_empty()).then(|| phrase.join(" "))
    };
    if let Some(x) = after(&["afraid", "of"], true)
        .or_else(|| after(&["scared", "of"], true))
        .or_else(|| after(&["frightened", "of"], true))
    {
        return Problem::Fear(x);
    }
    if let Some(x) = after(&["find"], true)
        .or_else(|| after(&["looking", "for"], true))
        .or_else(|| after(&["searching", "for"], true))
        .or_else(|| after(&["loses"], true))
        .or_else(|| after(&["lost"], true))
    {
        return Problem::Lost(determined(&x));
    }
    if let Some(x) = after(&["wants", "to"], false).or_else(|| after(&["wishes", "to"], false)) {
        return Problem::Goal(x);
    }
    if let Some(x) = after(&["learns", "to"], false).or_else(|| after(&["learn", "to"], false)) {
        return Problem::Goal(format!("learn to {x}"));
    }
    if let Some(x) = after(&["dreams", "of"], false) {
        return Problem::Goal(base_form(&x));
    }
    if let Some(verb) = words.iter().find(|w| GOAL_VERBS.contains(w))
        && let Some(x) = after(&[verb], true)
    {
        return Problem::Goal(format!("{verb} {x}"));
    }
    Problem::Puzzle("what to do".into())
}

/// A phrase led by a gerund in its base form: "flying a kite" is "fly a kite".
fn base_form(phrase: &str) -> String {
    let mut words = phrase.split_whitespace();
    let Some(first) = words.next() else {
        return String::new();
    };
    let verb = match first.strip_suffix("ing") {
        Some(stem) if stem.len() >= 2 => {
            let b = stem.as_bytes();
            let last = b[b.len() - 1];
            if b.len() >= 3 && last == b[b.len() - 2] && !b"lsz".contains(&last) {
                stem[..stem.len() - 1].to_owned()
            } else if [
                "bak", "danc", "mak", "rid", "skat", "div", "mov", "driv", "writ", "hik", "explor",
                "shar", "wav", "rac", "smil", "ston", "tak", "glid",
            ]
            .contains(&stem)
            {
                format!("{stem}e")
            } else {
                stem.to_owned()
            }
        }
        _ => first.to_owned(),
    };
    std::iter::once(verb.as_str())
        .chain(words)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A noun phrase with its determiner: "kite" is "the kite", "her kite" stays.
fn determined(phrase: &str) -> String {
    let first = phrase.split_whitespace().next().unwrap_or("");
    if DETERMINERS.contains(&first) {
        phrase.to_owned()
    } else {
        format!("the {phrase}")
    }
}

impl Problem {
    /// What the hero worries aloud, as a question and as a statement, fitting the problem.
    pub(crate) fn worries(&self) -> Option<(String, String)> {
        match self {
            Problem::Fear(x) => Some((format!("Why is {x} so big"), format!("I do not like {x}"))),
            Problem::Lost(x) => {
                // The hero speaks of their own things: "her kite" is "my kite".
                let mine = match x.split_once(' ') {
                    Some(("her" | "his" | "their", rest)) => format!("my {rest}"),
                    _ => x.clone(),
                };
                Some((
                    format!("Where can {mine} be"),
                    format!("I miss {mine} so much"),
                ))
            }
            Problem::Goal(x) => Some((
                format!("What if I can never {x}"),
                format!("I do not know how to {x}"),
            )),
            Problem::Puzzle(_) => None,
        }
    }
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
            problem("A brave hedgehog who is afraid of the dark finds a lantern"),
            Problem::Fear("the dark".into())
        );
        assert_eq!(
            problem("A girl who lost her red kite in the wind"),
            Problem::Lost("her red kite".into())
        );
        assert_eq!(
            problem("A little robot wants to learn to dance, but he is shy"),
            Problem::Goal("learn to dance".into())
        );
        assert_eq!(
            problem(
                "A curious fox and a shy bear build a raft to cross the river and find the lost kite"
            ),
            Problem::Lost("the lost kite".into())
        );
        assert_eq!(
            problem("A puppy who lost kite"),
            Problem::Lost("the kite".into())
        );
        assert_eq!(
            problem("Two friends build a boat together"),
            Problem::Goal("build a boat together".into())
        );
        assert!(matches!(
            problem("Two friends on a sunny day"),
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
