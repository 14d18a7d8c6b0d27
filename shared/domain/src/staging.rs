//! How a picture is staged: the camera's framing, and what each character on the page is
//! doing and feeling. Derived from the page's words and its beat, so every illustrator is
//! asked for the same thing (a managed model in its prompt, the offline one draws it).

use crate::names::{first_mention, mentions};
use crate::plan::{ArcPhase, PageBeat};
use crate::readability::{sentences, words};
use serde::{Deserialize, Serialize};

/// The framing of a picture.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shot {
    /// The whole place, the characters small in it.
    Wide,
    /// The characters full length, the place around them.
    #[default]
    Medium,
    /// Close on the faces.
    Close,
    /// Two characters face to face.
    TwoShot,
    /// Looking down on the scene from above.
    FromAbove,
}

impl Shot {
    /// Every framing.
    pub const ALL: [Shot; 5] = [
        Shot::Wide,
        Shot::Medium,
        Shot::Close,
        Shot::TwoShot,
        Shot::FromAbove,
    ];

    /// How a prompt names it.
    pub fn words(self) -> &'static str {
        match self {
            Shot::Wide => "a wide shot of the whole place",
            Shot::Medium => "a medium shot, characters full length",
            Shot::Close => "a close-up on the faces",
            Shot::TwoShot => "a two-shot, the characters face to face",
            Shot::FromAbove => "seen from above",
        }
    }

    /// The framing for a beat: the opening and the ending show the whole place, the
    /// problem and the turn come close, and the attempts vary from page to page, so a
    /// book never looks like one picture repeated.
    pub fn for_beat(beat: &PageBeat) -> Shot {
        let two = beat.characters.len() >= 2;
        match beat.phase {
            ArcPhase::Setup if beat.page == 1 => Shot::Wide,
            ArcPhase::Setup => Shot::Medium,
            ArcPhase::Problem | ArcPhase::Turn => Shot::Close,
            ArcPhase::Resolution => Shot::Wide,
            ArcPhase::Attempt => match (beat.page % 3, two) {
                (0, true) => Shot::TwoShot,
                (0, false) | (1, _) => Shot::FromAbove,
                _ => Shot::Medium,
            },
        }
    }
}

/// What a character is doing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pose {
    #[default]
    Standing,
    Walking,
    Running,
    Jumping,
    Climbing,
    Flying,
    Sitting,
    Sleeping,
    Pointing,
    Waving,
    Holding,
    Hugging,
    Dancing,
    Looking,
}

impl Pose {
    /// Every pose.
    pub const ALL: [Pose; 14] = [
        Pose::Standing,
        Pose::Walking,
        Pose::Running,
        Pose::Jumping,
        Pose::Climbing,
        Pose::Flying,
        Pose::Sitting,
        Pose::Sleeping,
        Pose::Pointing,
        Pose::Waving,
        Pose::Holding,
        Pose::Hugging,
        Pose::Dancing,
        Pose::Looking,
    ];
}

/// What a character feels, as their face shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expression {
    #[default]
    Calm,
    Happy,
    Laughing,
    Worried,
    Scared,
    Sad,
    Surprised,
    Thinking,
    Determined,
}

impl Expression {
    /// Every feeling.
    pub const ALL: [Expression; 9] = [
        Expression::Calm,
        Expression::Happy,
        Expression::Laughing,
        Expression::Worried,
        Expression::Scared,
        Expression::Sad,
        Expression::Surprised,
        Expression::Thinking,
        Expression::Determined,
    ];
}

/// One character in a picture: who, doing what, feeling what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub name: String,
    pub pose: Pose,
    pub expression: Expression,
}

/// Words that show a pose, strongest first (a page where someone climbs and looks shows
/// the climb).
const POSES: &[(Pose, &[&str])] = &[
    (
        Pose::Hugging,
        &["hug", "hugged", "hugs", "cuddled", "hugging"],
    ),
    (
        Pose::Climbing,
        &["climbed", "climb", "climbing", "clambered"],
    ),
    (
        Pose::Jumping,
        &["jumped", "jump", "hopped", "leapt", "bounced", "jumping"],
    ),
    (Pose::Dancing, &["danced", "dance", "dancing", "twirled"]),
    (
        Pose::Running,
        &[
            "ran", "run", "raced", "hurried", "rushed", "running", "chased",
        ],
    ),
    (Pose::Sleeping, &["slept", "asleep", "sleeping", "dozed"]),
    (
        Pose::Sitting,
        &["sat", "rested", "sitting", "curled", "hid", "knelt"],
    ),
    (
        Pose::Holding,
        &[
            "held", "holding", "carried", "gave", "tied", "built", "hold", "lifted", "pulled",
            "hugged", "made", "drew", "hung",
        ],
    ),
    (
        Pose::Pointing,
        &["pointed", "showed", "spotted", "found", "noticed"],
    ),
    (Pose::Waving, &["waved", "hello", "called", "cheered"]),
    (
        Pose::Looking,
        &[
            "looked", "searched", "peeked", "watched", "saw", "followed", "listened", "counted",
        ],
    ),
    (
        Pose::Walking,
        &[
            "walked", "went", "came", "crossed", "set", "stepped", "paddled",
        ],
    ),
];

/// Words that show a feeling, strongest first.
const FEELINGS: &[(Expression, &[&str])] = &[
    (
        Expression::Scared,
        &[
            "scared",
            "afraid",
            "frightened",
            "fear",
            "shivered",
            "trembled",
        ],
    ),
    (
        Expression::Laughing,
        &["laughed", "giggled", "hooray", "laughing"],
    ),
    (
        Expression::Sad,
        &["sad", "cried", "tears", "miss", "lonely"],
    ),
    (
        Expression::Worried,
        &[
            "worried",
            "wobbly",
            "tight",
            "stuck",
            "problem",
            "uneasy",
            "troubling",
        ],
    ),
    (
        Expression::Surprised,
        &["suddenly", "surprised", "gasped", "wow", "shiny", "spotted"],
    ),
    (
        Expression::Determined,
        &[
            "brave",
            "courage",
            "tried",
            "kept",
            "again",
            "practised",
            "promise",
        ],
    ),
    (
        Expression::Thinking,
        &[
            "thought",
            "wondered",
            "remembered",
            "idea",
            "plan",
            "understood",
        ],
    ),
    (
        Expression::Happy,
        &["happy", "smiled", "smile", "joy", "fun", "best", "glad"],
    ),
];

/// The feeling a beat's phase suggests when the words show none.
pub fn phase_feeling(phase: ArcPhase) -> Expression {
    match phase {
        ArcPhase::Setup => Expression::Happy,
        ArcPhase::Problem => Expression::Worried,
        ArcPhase::Attempt => Expression::Determined,
        ArcPhase::Turn => Expression::Thinking,
        ArcPhase::Resolution => Expression::Happy,
    }
}

fn strongest<T: Copy>(table: &[(T, &[&str])], said: &[String]) -> Option<T> {
    table
        .iter()
        .find(|(_, ws)| said.iter().any(|w| ws.contains(&w.as_str())))
        .map(|(v, _)| *v)
}

/// The figures of a page: each character on it, with the pose and feeling of the
/// sentences about them (their own, or ones about everyone: "They", "together"), else
/// standing with the feeling `fallback` gives for them.
pub fn figures(
    characters: &[String],
    text: &str,
    fallback: impl Fn(&str) -> Expression,
) -> Vec<Figure> {
    let all = sentences(text);
    characters
        .iter()
        .map(|name| {
            let about: Vec<String> = all
                .iter()
                .filter(|s| {
                    let ws = words(s);
                    mentions(s, name)
                        || ws.first().is_some_and(|w| w == "they")
                        || ws.iter().any(|w| w == "together")
                })
                .flat_map(|s| words(s))
                .collect();
            Figure {
                name: name.clone(),
                pose: strongest(POSES, &about).unwrap_or(Pose::Standing),
                expression: strongest(FEELINGS, &about).unwrap_or_else(|| fallback(name)),
            }
        })
        .collect()
}

/// Who a page's picture shows: the beat's characters, then any other member of the cast
/// its text names, in the order the text names them.
pub fn characters(planned: &[String], text: &str, cast: &[String]) -> Vec<String> {
    let mut named: Vec<(usize, &String)> = cast
        .iter()
        .filter(|c| !planned.contains(c))
        .filter_map(|c| first_mention(text, c).map(|i| (i, c)))
        .collect();
    named.sort();
    planned
        .iter()
        .cloned()
        .chain(named.into_iter().map(|(_, c)| c.clone()))
        .collect()
}

/// The figures as a prompt names them: "Mila climbing, surprised; Bram pointing, happy".
pub fn described(figures: &[Figure]) -> String {
    figures
        .iter()
        .map(|f| {
            let pose = serde_json::to_value(f.pose)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let feeling = serde_json::to_value(f.expression)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            format!("{} {pose}, {feeling}", f.name)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::TimeOfDay;

    fn beat(page: u32, phase: ArcPhase, who: &[&str]) -> PageBeat {
        PageBeat {
            page,
            phase,
            summary: String::new(),
            characters: who.iter().map(|s| s.to_string()).collect(),
            setting: "forest".into(),
            time_of_day: TimeOfDay::Morning,
            objects: vec![],
        }
    }

    #[test]
    fn poses_and_feelings_follow_the_words_about_each_character() {
        let names = ["Mila".to_string(), "Bram".to_string()];
        let calm = |_: &str| Expression::Calm;
        let f = figures(
            &names,
            "Mila climbed up the tall tree. Suddenly Bram spotted the kite!",
            calm,
        );
        assert_eq!((f[0].pose, f[1].pose), (Pose::Climbing, Pose::Pointing));
        assert_eq!(f[1].expression, Expression::Surprised);
        let f = figures(&names, "They hugged and laughed.", calm);
        assert!(
            f.iter()
                .all(|f| f.pose == Pose::Hugging && f.expression == Expression::Laughing)
        );
        // Nothing said about a feeling: the beat's own.
        let worried = |_: &str| phase_feeling(ArcPhase::Problem);
        let f = figures(&names[..1], "Mila stood.", worried);
        assert_eq!(f[0].expression, Expression::Worried);
        assert_eq!(described(&f), "Mila standing, worried");
    }

    #[test]
    fn a_picture_shows_everyone_its_page_names() {
        let cast = ["Mila", "Bram", "Pip"].map(String::from);
        assert_eq!(
            characters(&cast[..1], "Pip's bow shone. Bram waved.", &cast),
            vec!["Mila", "Pip", "Bram"]
        );
        assert_eq!(
            characters(&cast[..2], "Mila and Bram.", &cast),
            vec!["Mila", "Bram"]
        );
    }

    #[test]
    fn a_book_uses_several_framings() {
        let phases = [
            ArcPhase::Setup,
            ArcPhase::Problem,
            ArcPhase::Attempt,
            ArcPhase::Attempt,
            ArcPhase::Attempt,
            ArcPhase::Attempt,
            ArcPhase::Turn,
            ArcPhase::Resolution,
        ];
        let shots: std::collections::HashSet<Shot> = phases
            .iter()
            .enumerate()
            .map(|(i, p)| Shot::for_beat(&beat(i as u32 + 1, *p, &["Mila", "Bram"])))
            .collect();
        assert!(shots.len() >= 4, "{shots:?}");
    }
}
