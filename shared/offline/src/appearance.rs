//! A character's fixed look, read from their kind and visual description. The same
//! description and seed always give the same look, on every page.

use storyloom_domain::sheet::{Palette, colour, description_words};

/// The body plan the illustrator draws: one per kind of creature it knows, so a mouse is
/// drawn as a mouse and a bear as a bear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Hedgehog,
    Rabbit,
    Fox,
    Cat,
    Dog,
    Bear,
    Mouse,
    Pig,
    Lion,
    Monkey,
    Frog,
    Elephant,
    Sheep,
    Turtle,
    Giraffe,
    Horse,
    Unicorn,
    Bird,
    Duck,
    Robot,
    Dragon,
    Person,
    /// Any other creature: an animal of the description's colours, never a person.
    Animal,
}

impl Shape {
    /// Every body the illustrator draws.
    #[cfg(test)]
    pub(crate) const ALL: [Shape; 23] = [
        Shape::Hedgehog,
        Shape::Rabbit,
        Shape::Fox,
        Shape::Cat,
        Shape::Dog,
        Shape::Bear,
        Shape::Mouse,
        Shape::Pig,
        Shape::Lion,
        Shape::Monkey,
        Shape::Frog,
        Shape::Elephant,
        Shape::Sheep,
        Shape::Turtle,
        Shape::Giraffe,
        Shape::Horse,
        Shape::Unicorn,
        Shape::Bird,
        Shape::Duck,
        Shape::Robot,
        Shape::Dragon,
        Shape::Person,
        Shape::Animal,
    ];
}

/// Kinds of creature, the body each is drawn with, and its height (1.0 is a child).
const KINDS: &[(&[&str], Shape, f32)] = &[
    (&["hedgehog", "porcupine"], Shape::Hedgehog, 0.6),
    (&["rabbit", "bunny", "hare"], Shape::Rabbit, 0.7),
    (&["fox", "wolf", "squirrel"], Shape::Fox, 0.75),
    (&["cat", "kitten", "tiger", "leopard"], Shape::Cat, 0.7),
    (&["dog", "puppy", "pup"], Shape::Dog, 0.75),
    (
        &["bear", "panda", "koala", "badger", "otter"],
        Shape::Bear,
        0.95,
    ),
    (&["mouse", "mice", "rat", "hamster"], Shape::Mouse, 0.5),
    (&["pig", "piglet"], Shape::Pig, 0.7),
    (&["lion"], Shape::Lion, 0.95),
    (&["monkey", "chimp", "ape"], Shape::Monkey, 0.75),
    (&["frog", "toad"], Shape::Frog, 0.5),
    (&["elephant"], Shape::Elephant, 1.15),
    (&["sheep", "lamb"], Shape::Sheep, 0.7),
    (&["turtle", "tortoise"], Shape::Turtle, 0.5),
    (&["giraffe"], Shape::Giraffe, 0.85),
    (&["unicorn"], Shape::Unicorn, 1.0),
    (&["horse", "pony", "donkey", "zebra"], Shape::Horse, 1.0),
    (&["duck", "duckling", "goose", "swan"], Shape::Duck, 0.55),
    (
        &[
            "owl", "bird", "chick", "hen", "penguin", "parrot", "robin", "sparrow", "crow",
        ],
        Shape::Bird,
        0.6,
    ),
    (&["robot", "android"], Shape::Robot, 0.95),
    (
        &[
            "girl",
            "boy",
            "child",
            "kid",
            "baby",
            "man",
            "woman",
            "grandma",
            "grandpa",
            "granny",
            "mum",
            "mom",
            "dad",
            "teacher",
            "king",
            "queen",
            "prince",
            "princess",
            "knight",
            "pirate",
            "wizard",
            "witch",
            "astronaut",
            "fairy",
            "elf",
            "giant",
            "person",
            "farmer",
            "doctor",
            "keeper",
            "sister",
            "brother",
            "friend",
            "human",
        ],
        Shape::Person,
        1.0,
    ),
    (
        &["dragon", "dinosaur", "lizard", "crocodile"],
        Shape::Dragon,
        1.1,
    ),
];

/// Something a character wears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accessory {
    Scarf,
    Hat,
    Bow,
    Glasses,
    Cape,
    Backpack,
    Raincoat,
    Boots,
    Crown,
    Bag,
    Necklace,
    Jumper,
}

impl Accessory {
    /// The accessory a description's word names.
    fn named(word: &str) -> Option<Accessory> {
        Some(match word {
            "scarf" | "scarves" => Accessory::Scarf,
            "hat" | "cap" | "beret" => Accessory::Hat,
            "bow" | "ribbon" => Accessory::Bow,
            "glasses" | "spectacles" => Accessory::Glasses,
            "cape" | "cloak" => Accessory::Cape,
            "backpack" | "rucksack" => Accessory::Backpack,
            "raincoat" | "coat" | "jacket" => Accessory::Raincoat,
            "boots" | "wellies" | "wellingtons" => Accessory::Boots,
            "crown" | "tiara" => Accessory::Crown,
            "bag" | "satchel" => Accessory::Bag,
            "necklace" => Accessory::Necklace,
            "jumper" | "sweater" | "dress" | "shirt" | "vest" => Accessory::Jumper,
            _ => return None,
        })
    }

    /// Its name in the illustrator's record of what it drew.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Accessory::Scarf => "scarf",
            Accessory::Hat => "hat",
            Accessory::Bow => "bow",
            Accessory::Glasses => "glasses",
            Accessory::Cape => "cape",
            Accessory::Backpack => "backpack",
            Accessory::Raincoat => "raincoat",
            Accessory::Boots => "boots",
            Accessory::Crown => "crown",
            Accessory::Bag => "bag",
            Accessory::Necklace => "necklace",
            Accessory::Jumper => "jumper",
        }
    }
}

/// Something worn, in its own colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Worn {
    pub item: Accessory,
    pub colour: String,
}

/// Everything needed to draw a character the same way every time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Look {
    pub shape: Shape,
    pub body: String,
    pub belly: String,
    /// What they wear, each in the colour the description gives it (else the sheet's
    /// accent).
    pub worn: Vec<Worn>,
    /// Relative height (1.0 is a child).
    pub size: f32,
}

fn shape_of(kind: &str) -> (Shape, f32) {
    let k = kind.to_lowercase();
    KINDS
        .iter()
        .find(|(words, _, _)| words.iter().any(|w| k.contains(w)))
        .map_or((Shape::Animal, 0.8), |(_, shape, size)| (*shape, *size))
}

/// The accessories a description names, each with its colour: the colour word just
/// before it ("a green backpack"), or one before that ("a bright red scarf").
pub(crate) fn worn(description: &str, accent: &str) -> Vec<Worn> {
    let words = description_words(description);
    let mut worn: Vec<Worn> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(item) = Accessory::named(w) else {
            continue;
        };
        if worn.iter().any(|x| x.item == item) {
            continue;
        }
        let before = |n: usize| i.checked_sub(n).and_then(|j| colour(&words[j]));
        let colour = before(1).or_else(|| before(2)).unwrap_or(accent);
        worn.push(Worn {
            item,
            colour: colour.to_owned(),
        });
    }
    worn
}

impl Look {
    /// Reads a look from a character's kind and reference sheet: the shape and what they
    /// wear from the description, the colours from the sheet's palette.
    pub(crate) fn of(kind: &str, description: &str, palette: &Palette) -> Look {
        let (shape, size) = shape_of(kind);
        let words = description_words(description);
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
            body: palette.body.clone(),
            belly: palette.belly.clone(),
            worn: worn(description, &palette.accent),
            size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(kind: &str, description: &str, seed: u64) -> Look {
        let sheet = storyloom_domain::sheet::ReferenceSheet::draw_up(kind, description, seed);
        Look::of(kind, description, &sheet.palette)
    }

    #[test]
    fn descriptions_drive_the_look_and_stay_stable() {
        let a = look("hedgehog", "a small brown hedgehog with a red scarf", 1);
        assert_eq!(a.shape, Shape::Hedgehog);
        assert_eq!(a.body, "#8b5a3c");
        assert_eq!(
            a.worn,
            vec![Worn {
                item: Accessory::Scarf,
                colour: "#d8433b".into()
            }]
        );
        assert_eq!(
            a,
            look("hedgehog", "a small brown hedgehog with a red scarf", 1)
        );
        let owl = look("owl", "a big grey owl with round glasses", 2);
        assert_eq!((owl.shape, owl.body.as_str()), (Shape::Bird, "#9a9a9a"));
        assert_eq!(owl.worn[0].item, Accessory::Glasses);
    }

    #[test]
    fn every_kind_has_its_own_body_and_every_item_its_own_colour() {
        assert_eq!(look("mouse", "a tiny white mouse", 1).shape, Shape::Mouse);
        assert_eq!(look("bear", "a big brown bear", 1).shape, Shape::Bear);
        assert_eq!(look("giraffe", "a tall giraffe", 1).shape, Shape::Giraffe);
        assert_eq!(look("grandma", "a kind grandma", 1).shape, Shape::Person);
        // A creature the illustrator has no body for is still an animal, not a person.
        assert_eq!(look("wombat", "a round wombat", 1).shape, Shape::Animal);
        assert_ne!(Shape::Mouse, Shape::Bear);
        let bram = look(
            "bear",
            "a big brown bear in a blue raincoat and yellow boots",
            3,
        );
        let items: Vec<(&str, &str)> = bram
            .worn
            .iter()
            .map(|w| (w.item.name(), w.colour.as_str()))
            .collect();
        assert_eq!(items, vec![("raincoat", "#3f7fd1"), ("boots", "#f2c53d")]);
        // Every accessory word the sheet knows is drawn.
        for word in storyloom_domain::sheet::WEARABLES {
            assert!(Accessory::named(word).is_some(), "{word}");
        }
    }
}
