//! A character's fixed look, read from their kind and visual description. The same
//! description and seed always give the same look, on every page.

use crate::rng::Dice;

/// The body plan the illustrator draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Hedgehog,
    LongEars,
    PointyEars,
    RoundEars,
    Bird,
    Person,
    Robot,
    Dragon,
}

/// Something a character wears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accessory {
    Scarf,
    Hat,
    Bow,
    Glasses,
    Cape,
}

/// Everything needed to draw a character the same way every time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Look {
    pub shape: Shape,
    pub body: String,
    pub belly: String,
    pub accent: String,
    pub accessories: Vec<Accessory>,
    /// Relative height (1.0 is a child).
    pub size: f32,
}

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

fn colour(word: &str) -> Option<&'static str> {
    COLOURS.iter().find(|(n, _)| *n == word).map(|(_, c)| *c)
}

fn shape_of(kind: &str) -> (Shape, &'static str, f32) {
    let k = kind.to_lowercase();
    let has = |ws: &[&str]| ws.iter().any(|w| k.contains(w));
    if has(&["hedgehog", "porcupine"]) {
        (Shape::Hedgehog, "#8b5a3c", 0.6)
    } else if has(&["rabbit", "bunny", "hare"]) {
        (Shape::LongEars, "#b8b1a8", 0.7)
    } else if has(&[
        "fox", "cat", "kitten", "wolf", "dog", "puppy", "tiger", "lion",
    ]) {
        (Shape::PointyEars, "#e07b39", 0.75)
    } else if has(&["bear", "mouse", "panda", "koala", "badger", "pig", "monkey"]) {
        (Shape::RoundEars, "#8d6445", 0.85)
    } else if has(&[
        "owl", "bird", "duck", "chick", "hen", "penguin", "parrot", "robin",
    ]) {
        (Shape::Bird, "#9b7653", 0.6)
    } else if has(&["robot", "android"]) {
        (Shape::Robot, "#aab4bf", 0.95)
    } else if has(&["dragon", "dinosaur", "lizard", "crocodile"]) {
        (Shape::Dragon, "#5aa55a", 1.1)
    } else {
        (Shape::Person, "#3f7fd1", 1.0)
    }
}

impl Look {
    /// Reads a look from a kind and a description, filling gaps from the seed.
    pub(crate) fn of(kind: &str, description: &str, seed: u64) -> Look {
        let mut dice = Dice::new(seed);
        let (shape, default_body, size) = shape_of(kind);
        let words: Vec<String> = description
            .to_lowercase()
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        let accessory_of = |w: &str| match w {
            "scarf" | "scarves" => Some(Accessory::Scarf),
            "hat" | "cap" | "beret" => Some(Accessory::Hat),
            "bow" | "ribbon" => Some(Accessory::Bow),
            "glasses" | "spectacles" => Some(Accessory::Glasses),
            "cape" | "cloak" => Some(Accessory::Cape),
            _ => None,
        };
        let mut accessories = Vec::new();
        let mut accent = None;
        let mut body = None;
        for (i, w) in words.iter().enumerate() {
            if let Some(a) = accessory_of(w) {
                accessories.push(a);
                // "a red scarf": the colour just before an accessory belongs to it.
                if let Some(c) = i.checked_sub(1).and_then(|j| colour(&words[j])) {
                    accent.get_or_insert(c);
                }
            }
        }
        for (i, w) in words.iter().enumerate() {
            let next_is_accessory = words.get(i + 1).is_some_and(|n| accessory_of(n).is_some());
            if let Some(c) = colour(w).filter(|_| !next_is_accessory) {
                body.get_or_insert(c);
            }
        }
        let palette = [
            "#d8433b", "#3f7fd1", "#f2c53d", "#8a5cc2", "#2d9c9c", "#ef8fb4",
        ];
        let accent = accent
            .map(str::to_owned)
            .unwrap_or_else(|| dice.pick(&palette).to_string());
        let body = body.unwrap_or(default_body).to_owned();
        let belly = if shape == Shape::Person {
            dice.pick(&["#f1c9a5", "#d9a07a", "#a8734f", "#7a4e33", "#f5d6bd"])
                .to_string()
        } else {
            "#f3e6c4".to_owned()
        };
        let small = words
            .iter()
            .any(|w| ["small", "little", "tiny"].contains(&w.as_str()));
        let big = words
            .iter()
            .any(|w| ["big", "tall", "large", "huge"].contains(&w.as_str()));
        let size = size
            * if small {
                0.85
            } else if big {
                1.2
            } else {
                1.0
            };
        Look {
            shape,
            body,
            belly,
            accent,
            accessories,
            size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_drive_the_look_and_stay_stable() {
        let a = Look::of("hedgehog", "a small brown hedgehog with a red scarf", 1);
        assert_eq!(a.shape, Shape::Hedgehog);
        assert_eq!(a.body, "#8b5a3c");
        assert_eq!(a.accent, "#d8433b");
        assert_eq!(a.accessories, vec![Accessory::Scarf]);
        assert_eq!(
            a,
            Look::of("hedgehog", "a small brown hedgehog with a red scarf", 1)
        );
        let owl = Look::of("owl", "a big grey owl with round glasses", 2);
        assert_eq!((owl.shape, owl.body.as_str()), (Shape::Bird, "#9a9a9a"));
        assert!(owl.accessories.contains(&Accessory::Glasses));
    }
}
