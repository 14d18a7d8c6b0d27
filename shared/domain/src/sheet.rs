//! A character's visual reference sheet: the description, the palette and the seed every
//! picture of them is drawn from. Drawn up once, when the character is saved, and stored
//! with them, so every page of every book draws the same character.

use serde::{Deserialize, Serialize};

/// The colours a character is drawn in, as `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Palette {
    /// Fur, feathers, skin or paint: most of the character.
    pub body: String,
    /// Belly, face or hands.
    pub belly: String,
    /// What they wear (a scarf, a bow).
    pub accent: String,
}

/// Everything a picture needs to draw the character the same way every time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReferenceSheet {
    /// How they look, in words ("a small brown hedgehog with a red scarf").
    pub description: String,
    pub palette: Palette,
    /// Fixed per character, so generated pictures start from the same noise.
    pub seed: u64,
}

/// Colour words a description may use, and how they are drawn.
const COLOURS: &[(&str, &str)] = &[
    ("red", "#d8433b"),
    ("orange", "#ee8a2c"),
    ("yellow", "#f2c53d"),
    ("gold", "#e0a82e"),
    ("green", "#5aa55a"),
    ("blue", "#3f7fd1"),
    ("purple", "#8a5cc2"),
    ("pink", "#ef8fb4"),
    ("brown", "#8b5a3c"),
    ("black", "#2f2a2a"),
    ("white", "#f4f1ea"),
    ("grey", "#9a9a9a"),
    ("gray", "#9a9a9a"),
    ("silver", "#c2c8cf"),
    ("ginger", "#d9782e"),
    ("teal", "#2d9c9c"),
    ("cream", "#f3e6c4"),
    ("golden", "#e6b43c"),
    ("spotted", "#c9a26b"),
    ("tawny", "#b9854c"),
];

/// Things a character wears, whose colour is the accent.
pub const WEARABLES: &[&str] = &[
    "scarf",
    "scarves",
    "hat",
    "cap",
    "beret",
    "bow",
    "ribbon",
    "glasses",
    "spectacles",
    "cape",
    "cloak",
    "backpack",
    "rucksack",
    "raincoat",
    "coat",
    "jacket",
    "boots",
    "wellies",
    "wellingtons",
    "crown",
    "tiara",
    "bag",
    "satchel",
    "necklace",
    "jumper",
    "sweater",
    "dress",
    "shirt",
    "vest",
];

/// A description's words, lower-cased, letters only ("red-scarfed" is "red", "scarfed").
pub fn description_words(description: &str) -> Vec<String> {
    description
        .to_lowercase()
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// The colour a colour word is drawn in ("red" is `#d8433b`).
pub fn colour(word: &str) -> Option<&'static str> {
    COLOURS.iter().find(|(n, _)| *n == word).map(|(_, c)| *c)
}

/// The natural colour of a kind of creature, when the description names none.
fn natural_body(kind: &str) -> &'static str {
    let k = kind.to_lowercase();
    let has = |ws: &[&str]| ws.iter().any(|w| k.contains(w));
    if has(&["hedgehog", "porcupine"]) {
        "#8b5a3c"
    } else if has(&["mouse", "mice", "rat", "elephant", "koala", "wolf"]) {
        "#a3a3ab"
    } else if has(&["sheep", "lamb", "unicorn"]) {
        "#f4f1ea"
    } else if has(&["giraffe"]) {
        "#e8b54a"
    } else if has(&["horse", "pony", "donkey"]) {
        "#9b6a43"
    } else if has(&["zebra"]) {
        "#e9e9e9"
    } else if has(&["pig", "piglet"]) {
        "#f2a5b8"
    } else if has(&["frog", "toad", "turtle", "tortoise"]) {
        "#6cb55a"
    } else if has(&["lion", "duck", "chick"]) {
        "#e6b43c"
    } else if has(&["penguin"]) {
        "#2f3a4a"
    } else if has(&["rabbit", "bunny", "hare"]) {
        "#b8b1a8"
    } else if has(&[
        "fox", "cat", "kitten", "wolf", "dog", "puppy", "tiger", "lion",
    ]) {
        "#e07b39"
    } else if has(&["bear", "mouse", "panda", "koala", "badger", "pig", "monkey"]) {
        "#8d6445"
    } else if has(&[
        "owl", "bird", "duck", "chick", "hen", "penguin", "parrot", "robin",
    ]) {
        "#9b7653"
    } else if has(&["robot", "android"]) {
        "#aab4bf"
    } else if has(&["dragon", "dinosaur", "lizard", "crocodile"]) {
        "#5aa55a"
    } else {
        "#3f7fd1"
    }
}

/// Whether a kind is a person (their belly colour is a skin tone).
fn is_person(kind: &str) -> bool {
    natural_body(kind) == "#3f7fd1"
}

/// A pick from `options` fixed by `seed` and `salt` (splitmix64).
fn pick<'a>(options: &[&'a str], seed: u64, salt: u64) -> &'a str {
    let mut x = seed ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    options[(x % options.len() as u64) as usize]
}

impl ReferenceSheet {
    /// Draws up a sheet from the character's kind, description and seed: colours the
    /// description names, the creature's natural colours where it names none, and gaps
    /// filled from the seed.
    pub fn draw_up(kind: &str, description: &str, seed: u64) -> ReferenceSheet {
        let words = description_words(description);
        let wearable = |w: &str| WEARABLES.contains(&w);
        // "a red scarf": the colour just before something worn is the accent.
        let accent = words.iter().enumerate().find_map(|(i, w)| {
            (wearable(w))
                .then(|| i.checked_sub(1).and_then(|j| colour(&words[j])))
                .flatten()
        });
        let body = words.iter().enumerate().find_map(|(i, w)| {
            let worn = words.get(i + 1).is_some_and(|n| wearable(n));
            colour(w).filter(|_| !worn)
        });
        let accent = accent.unwrap_or_else(|| {
            pick(
                &[
                    "#d8433b", "#3f7fd1", "#f2c53d", "#8a5cc2", "#2d9c9c", "#ef8fb4",
                ],
                seed,
                1,
            )
        });
        let belly = if is_person(kind) {
            pick(
                &["#f1c9a5", "#d9a07a", "#a8734f", "#7a4e33", "#f5d6bd"],
                seed,
                2,
            )
        } else {
            "#f3e6c4"
        };
        ReferenceSheet {
            description: description.trim().to_owned(),
            palette: Palette {
                body: body.unwrap_or(natural_body(kind)).to_owned(),
                belly: belly.to_owned(),
                accent: accent.to_owned(),
            },
            seed,
        }
    }

    /// The palette in words a prompt can carry.
    pub fn palette_words(&self) -> String {
        format!(
            "body {}, belly {}, accent {}",
            self.palette.body, self.palette.belly, self.palette.accent
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_names_the_colours_and_the_seed_fills_the_rest() {
        let hazel =
            ReferenceSheet::draw_up("hedgehog", "a small brown hedgehog with a red scarf", 1);
        assert_eq!(hazel.palette.body, "#8b5a3c");
        assert_eq!(hazel.palette.accent, "#d8433b");
        assert_eq!(hazel.palette.belly, "#f3e6c4");
        assert_eq!(hazel.seed, 1);
        let owl = ReferenceSheet::draw_up("owl", "a big grey owl with round glasses", 2);
        assert_eq!(owl.palette.body, "#9a9a9a");
        // Nothing worn has a colour: the seed picks the accent, the same one every time.
        assert_eq!(
            owl,
            ReferenceSheet::draw_up("owl", "a big grey owl with round glasses", 2)
        );
        let fox = ReferenceSheet::draw_up("fox", "a fox with a bushy tail", 3);
        assert_eq!(
            fox.palette.body, "#e07b39",
            "a fox is fox-coloured unless told"
        );
    }
}
