//! The things a page can name that its picture should show: a kite, a raft, a river, a
//! lantern, fireflies, rain... Found in a page's text, they join its scene, so every
//! illustrator is asked for them (a managed model in its prompt) and the offline
//! illustrator draws them.

use crate::readability::words;

/// A thing a picture can show, and the words that name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prop {
    /// The prop's name in a scene ("fireflies").
    pub name: &'static str,
    /// The words a page may use for it, singular and plural.
    pub words: &'static [&'static str],
    /// Where it goes in a picture.
    pub place: Place,
}

/// Where a prop sits in a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Up in the sky.
    Sky,
    /// On the ground, beside the characters.
    Ground,
    /// Across the whole picture (rain, a river, fireflies).
    Across,
}

const fn prop(name: &'static str, words: &'static [&'static str], place: Place) -> Prop {
    Prop { name, words, place }
}

/// Every prop the storytellers' pages can name and the offline illustrator can draw.
pub const PROPS: &[Prop] = &[
    prop("kite", &["kite", "kites"], Place::Sky),
    prop("balloon", &["balloon", "balloons"], Place::Sky),
    prop("rainbow", &["rainbow", "rainbows"], Place::Sky),
    prop("moon", &["moon"], Place::Sky),
    prop("stars", &["star", "stars"], Place::Sky),
    prop(
        "river",
        &["river", "rivers", "stream", "brook"],
        Place::Across,
    ),
    prop(
        "rain",
        &["rain", "raining", "rainy", "raindrops"],
        Place::Across,
    ),
    prop("fireflies", &["firefly", "fireflies"], Place::Across),
    prop("raft", &["raft", "rafts"], Place::Ground),
    prop("boat", &["boat", "boats"], Place::Ground),
    prop("bridge", &["bridge", "bridges"], Place::Ground),
    prop(
        "lantern",
        &["lantern", "lanterns", "lamp", "torch"],
        Place::Ground,
    ),
    prop("map", &["map", "maps"], Place::Ground),
    prop("ball", &["ball", "balls"], Place::Ground),
    prop("umbrella", &["umbrella", "umbrellas"], Place::Ground),
    prop("soft toy", &["toy", "toys", "teddy"], Place::Ground),
    prop("book", &["book", "books"], Place::Ground),
    prop("cake", &["cake", "cakes"], Place::Ground),
    prop("flowers", &["flower", "flowers"], Place::Ground),
    prop("tent", &["tent", "tents"], Place::Ground),
    prop("key", &["key", "keys"], Place::Ground),
    prop("shell", &["shell", "shells"], Place::Ground),
    prop("basket", &["basket", "baskets"], Place::Ground),
];

/// The most props one picture is asked to show, so the characters stay its subject.
pub const MAX_PER_PICTURE: usize = 5;

/// The prop named `name`.
pub fn find(name: &str) -> Option<&'static Prop> {
    PROPS.iter().find(|p| p.name == name)
}

/// The props `text` names, in the order it first names them, at most
/// [`MAX_PER_PICTURE`].
pub fn props_in(text: &str) -> Vec<String> {
    let mut found = all_in(text);
    found.truncate(MAX_PER_PICTURE);
    found
}

/// Words that say a thing is not there: "could not find the kite", "where can it be".
const ABSENT: &[&str] = &[
    "not", "no", "never", "nowhere", "missing", "without", "where", "gone", "can't", "couldn't",
    "wasn't", "isn't", "didn't",
];

/// The props `text` names as there to be seen, at most [`MAX_PER_PICTURE`] (see
/// [`seen_in`]).
pub fn shown_in(text: &str) -> Vec<String> {
    let mut found = seen_in(text);
    found.truncate(MAX_PER_PICTURE);
    found
}

/// Every prop `text` names as there to be seen, in order: those named only in sentences
/// that say they are missing ("Mila could not find the kite anywhere") are left out.
pub fn seen_in(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for sentence in crate::readability::sentences(text) {
        let said = words(sentence);
        if said.iter().any(|w| ABSENT.contains(&w.as_str())) {
            continue;
        }
        for p in all_in(sentence) {
            if !found.contains(&p) {
                found.push(p);
            }
        }
    }
    found
}

/// Every prop `text` names, in order, however many.
pub fn all_in(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for word in words(text) {
        let word = word.strip_suffix("'s").unwrap_or(&word);
        if let Some(p) = PROPS.iter().find(|p| p.words.contains(&word))
            && !found.iter().any(|f| f == p.name)
        {
            found.push(p.name.to_owned());
        }
    }
    found
}

/// The props as a prompt names them: "a kite, a raft and fireflies".
pub fn listed(props: &[String]) -> String {
    let named: Vec<String> = props
        .iter()
        .map(|p| match p.as_str() {
            "fireflies" | "stars" | "flowers" | "rain" => p.clone(),
            "moon" => "the moon".into(),
            name => format!("a {name}"),
        })
        .collect();
    match named.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_names_its_props_once_each_in_order() {
        assert_eq!(
            props_in(
                "Mila tied the kite to the raft. The raft bobbed on the river, and the kite's tail flew."
            ),
            vec!["kite", "raft", "river"]
        );
        assert_eq!(
            props_in("Fireflies glowed around the lantern in the rain."),
            vec!["fireflies", "lantern", "rain"]
        );
        assert!(props_in("Hazel said hello.").is_empty());
    }

    #[test]
    fn a_thing_said_to_be_missing_is_not_shown() {
        assert_eq!(
            shown_in("Mila could not find the kite anywhere. She took her map."),
            vec!["map"]
        );
        assert_eq!(shown_in("At last, Mila found the lost kite!"), vec!["kite"]);
        assert!(shown_in("\u{201c}Where can the kite be?\u{201d} asked Mila.").is_empty());
    }

    #[test]
    fn a_picture_is_asked_for_a_few_props_at_most() {
        let text = "kite balloon rainbow moon stars river rain raft boat";
        assert_eq!(props_in(text).len(), MAX_PER_PICTURE);
    }

    #[test]
    fn props_are_listed_as_a_sentence_names_them() {
        let props = ["kite", "raft", "fireflies"].map(String::from);
        assert_eq!(listed(&props), "a kite, a raft and fireflies");
        assert_eq!(listed(&["moon".to_owned()]), "the moon");
        assert_eq!(listed(&[]), "");
    }

    #[test]
    fn every_prop_has_a_unique_name_and_words() {
        for p in PROPS {
            assert!(!p.words.is_empty(), "{}", p.name);
            assert_eq!(find(p.name), Some(p));
        }
    }
}
