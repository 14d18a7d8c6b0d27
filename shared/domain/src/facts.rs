//! Facts a story establishes and must not contradict later: what kind of creature each
//! character is, and the colour of the things in it ("the red kite" stays red).

use crate::readability::{sentences, words};

/// Creature and person nouns a picture book names characters by ("Hazel the hare").
const KINDS: &[&str] = &[
    "fox",
    "hare",
    "rabbit",
    "bunny",
    "owl",
    "bear",
    "cat",
    "kitten",
    "dog",
    "puppy",
    "mouse",
    "hedgehog",
    "badger",
    "squirrel",
    "duck",
    "hen",
    "chick",
    "frog",
    "toad",
    "turtle",
    "tortoise",
    "dragon",
    "unicorn",
    "robot",
    "girl",
    "boy",
    "lion",
    "tiger",
    "elephant",
    "giraffe",
    "monkey",
    "pig",
    "piglet",
    "cow",
    "sheep",
    "lamb",
    "goat",
    "horse",
    "pony",
    "deer",
    "wolf",
    "otter",
    "beaver",
    "mole",
    "bird",
    "robin",
    "sparrow",
    "snail",
    "bee",
    "butterfly",
    "whale",
    "dolphin",
    "fish",
    "penguin",
    "seal",
    "crab",
    "dinosaur",
    "giant",
    "witch",
    "wizard",
    "fairy",
    "troll",
    "goose",
    "crow",
    "raccoon",
    "panda",
    "koala",
];

const COLOURS: &[&str] = &[
    "red", "blue", "green", "yellow", "orange", "purple", "pink", "brown", "black", "white",
    "grey", "gray", "golden", "silver",
];

/// Things whose colour changes by nature (the sky at dusk, leaves in autumn).
const CHANGEABLE: &[&str] = &[
    "sky", "light", "lights", "sun", "moon", "cloud", "clouds", "leaves", "leaf", "water", "sea",
    "lake", "river", "grass", "flowers", "flower", "fire", "face", "cheeks", "eyes",
];

/// A contradicted fact and the page (1-based) where it is contradicted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contradiction {
    pub page: u32,
    pub message: String,
    /// The character the contradicted fact is about, when it is about one.
    pub character: Option<String>,
}

/// "Name the <kind>" calling a character a different creature than the cast says.
pub fn kind_contradictions(pages: &[&str], cast: &[(String, String)]) -> Vec<Contradiction> {
    let mut found = Vec::new();
    for (i, text) in pages.iter().enumerate() {
        let ws = words(text);
        for (name, kind) in cast {
            let declared = words(kind);
            let name_words = words(name);
            if name_words.is_empty() {
                continue;
            }
            for at in 0..ws.len() {
                let end = at + name_words.len();
                if ws.get(at..end) != Some(name_words.as_slice())
                    || ws.get(end).map(String::as_str) != Some("the")
                {
                    continue;
                }
                // "Hazel the brave hare": up to two words after "the", the noun last.
                let said = ws[end + 1..ws.len().min(end + 3)]
                    .iter()
                    .find(|w| KINDS.contains(&w.as_str()));
                if let Some(said) = said
                    && !declared
                        .iter()
                        .any(|d| d == said || d.trim_end_matches('s') == said)
                {
                    found.push(Contradiction {
                        character: Some(name.to_string()),
                        page: i as u32 + 1,
                        message: format!(
                            "{name} is {}, but this page calls them {}; keep them {}",
                            a(kind),
                            a(said),
                            a(kind)
                        ),
                    });
                }
            }
        }
    }
    found
}

/// "a hare", "an owl".
fn a(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

/// A thing given one colour and later another ("the red kite" … "the blue kite").
pub fn colour_contradictions(pages: &[&str]) -> Vec<Contradiction> {
    let mut established: Vec<(String, String, u32)> = Vec::new();
    let mut found = Vec::new();
    for (i, text) in pages.iter().enumerate() {
        let page = i as u32 + 1;
        for sentence in sentences(text) {
            let ws = words(sentence);
            for pair in ws.windows(2) {
                let (colour, thing) = (&pair[0], &pair[1]);
                if !COLOURS.contains(&colour.as_str())
                    || COLOURS.contains(&thing.as_str())
                    || CHANGEABLE.contains(&thing.as_str())
                    || thing.len() < 3
                {
                    continue;
                }
                match established.iter().find(|(t, _, _)| t == thing) {
                    Some((_, first, on)) if first != colour => found.push(Contradiction {
                        character: None,
                        page,
                        message: format!(
                            "the {thing} was {first} on page {on}, but this page makes it {colour}"
                        ),
                    }),
                    Some(_) => {}
                    None => established.push((thing.clone(), colour.clone(), page)),
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_stays_the_creature_they_are() {
        let cast = vec![("Hazel".to_owned(), "hare".to_owned())];
        assert!(kind_contradictions(&["Hazel the brave hare ran."], &cast).is_empty());
        let found = kind_contradictions(&["Hazel the hare ran.", "Hazel the fox hid."], &cast);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].page, 2);
        assert!(found[0].message.contains("calls them a fox"));
        // "Hazel the first" names no creature at all.
        assert!(kind_contradictions(&["Hazel the first to wake."], &cast).is_empty());
    }

    #[test]
    fn a_thing_keeps_its_colour_but_the_sky_may_change() {
        let ok = [
            "The red kite flew.",
            "The sky was blue. The red kite dipped.",
            "The sky turned pink.",
        ];
        assert!(colour_contradictions(&ok).is_empty());
        let found = colour_contradictions(&["Otto had a red kite.", "The blue kite flew away."]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].page, 2);
        assert!(found[0].message.contains("kite was red on page 1"));
    }
}
