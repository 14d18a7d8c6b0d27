//! The places a story can happen in, and the words that name them. A premise or a page
//! that names a place ("by the sea", "up the mountain") puts its scene there, and the
//! book report checks that the pictures go where the words do.

use crate::readability::words;

/// Every setting the illustrators stage, with the words that name it.
pub const PLACES: &[(&str, &[&str])] = &[
    (
        "forest",
        &["forest", "forests", "wood", "woods", "woodland"],
    ),
    (
        "seaside",
        &["sea", "seaside", "ocean", "beach", "shore", "coast"],
    ),
    ("meadow", &["meadow", "meadows", "field", "fields"]),
    ("city", &["city", "town", "street", "streets"]),
    (
        "mountain",
        &["mountain", "mountains", "hill", "hills", "peak", "hilltop"],
    ),
    ("garden", &["garden", "gardens", "allotment"]),
    ("space", &["space", "planet", "planets", "rocket"]),
    ("farm", &["farm", "farmyard", "barn"]),
    ("castle", &["castle", "castles", "palace"]),
    ("home", &["home", "house", "bedroom", "kitchen", "bedtime"]),
];

/// Whether `name` is a setting the illustrators stage.
pub fn is_place(name: &str) -> bool {
    PLACES.iter().any(|(p, _)| *p == name)
}

/// The settings `text` names, in the order it first names them.
pub fn places_in(text: &str) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    for word in words(text) {
        if let Some((place, _)) = PLACES.iter().find(|(_, ws)| ws.contains(&word.as_str()))
            && !found.contains(place)
        {
            found.push(place);
        }
    }
    found
}

/// What a premise names that a book must keep: its objects (see [`crate::props`]) and
/// its places, in the order the premise names them ("raft", "river", "kite").
pub fn named_in_premise(premise: &str) -> Vec<String> {
    let mut named = crate::props::props_in(premise);
    named.extend(places_in(premise).into_iter().map(String::from));
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_read_from_their_words() {
        assert_eq!(
            places_in("They walked from the woods to the beach, then home."),
            vec!["forest", "seaside", "home"]
        );
        assert!(places_in("Hazel said hello.").is_empty());
        assert!(PLACES.iter().all(|(p, _)| is_place(p)));
    }

    #[test]
    fn a_premise_names_objects_and_places() {
        assert_eq!(
            named_in_premise(
                "A curious fox and a shy bear build a raft to cross the river and find the lost kite"
            ),
            vec!["raft", "river", "kite"]
        );
        assert_eq!(
            named_in_premise("A goat who wants to climb the mountain with a lantern"),
            vec!["lantern", "mountain"]
        );
    }
}
