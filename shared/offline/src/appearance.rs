//! A character's fixed look, read from their kind and visual description. The same
//! description and seed always give the same look, on every page.

use storyloom_domain::sheet::Palette;

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

fn shape_of(kind: &str) -> (Shape, f32) {
    let k = kind.to_lowercase();
    let has = |ws: &[&str]| ws.iter().any(|w| k.contains(w));
    if has(&["hedgehog", "porcupine"]) {
        (Shape::Hedgehog, 0.6)
    } else if has(&["rabbit", "bunny", "hare"]) {
        (Shape::LongEars, 0.7)
    } else if has(&[
        "fox", "cat", "kitten", "wolf", "dog", "puppy", "tiger", "lion",
    ]) {
        (Shape::PointyEars, 0.75)
    } else if has(&["bear", "mouse", "panda", "koala", "badger", "pig", "monkey"]) {
        (Shape::RoundEars, 0.85)
    } else if has(&[
        "owl", "bird", "duck", "chick", "hen", "penguin", "parrot", "robin",
    ]) {
        (Shape::Bird, 0.6)
    } else if has(&["robot", "android"]) {
        (Shape::Robot, 0.95)
    } else if has(&["dragon", "dinosaur", "lizard", "crocodile"]) {
        (Shape::Dragon, 1.1)
    } else {
        (Shape::Person, 1.0)
    }
}

impl Look {
    /// Reads a look from a character's kind and reference sheet: the shape and what they
    /// wear from the description, the colours from the sheet's palette.
    pub(crate) fn of(kind: &str, description: &str, palette: &Palette) -> Look {
        let (shape, size) = shape_of(kind);
        let words = storyloom_domain::sheet::description_words(description);
        let accessories: Vec<Accessory> = words
            .iter()
            .filter_map(|w| match w.as_str() {
                "scarf" | "scarves" => Some(Accessory::Scarf),
                "hat" | "cap" | "beret" => Some(Accessory::Hat),
                "bow" | "ribbon" => Some(Accessory::Bow),
                "glasses" | "spectacles" => Some(Accessory::Glasses),
                "cape" | "cloak" => Some(Accessory::Cape),
                _ => None,
            })
            .collect();
        let (body, belly, accent) = (
            palette.body.clone(),
            palette.belly.clone(),
            palette.accent.clone(),
        );
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

    fn look(kind: &str, description: &str, seed: u64) -> Look {
        let sheet = storyloom_domain::sheet::ReferenceSheet::draw_up(kind, description, seed);
        Look::of(kind, description, &sheet.palette)
    }

    #[test]
    fn descriptions_drive_the_look_and_stay_stable() {
        let a = look("hedgehog", "a small brown hedgehog with a red scarf", 1);
        assert_eq!(a.shape, Shape::Hedgehog);
        assert_eq!(a.body, "#8b5a3c");
        assert_eq!(a.accent, "#d8433b");
        assert_eq!(a.accessories, vec![Accessory::Scarf]);
        assert_eq!(
            a,
            look("hedgehog", "a small brown hedgehog with a red scarf", 1)
        );
        let owl = look("owl", "a big grey owl with round glasses", 2);
        assert_eq!((owl.shape, owl.body.as_str()), (Shape::Bird, "#9a9a9a"));
        assert!(owl.accessories.contains(&Accessory::Glasses));
    }
}
