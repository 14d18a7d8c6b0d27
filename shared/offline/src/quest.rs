//! What a premise names, carried through the story: a line for each object and place a
//! page can put to use ("They tied sticks together to build a raft."), so the raft, the
//! river and the kite of a premise are in the book, not only in its blurb.

use storyloom_domain::plan::TimeOfDay;

/// The attempt lines for a premise's object or place: with a helper, and alone.
/// `{hero}` and `{helper}` are filled in.
fn lines(thing: &str) -> Option<(&'static str, &'static str)> {
    Some(match thing {
        "kite" => (
            "{helper} spotted a kite tail flapping high in a tree.",
            "{hero} spotted a kite tail flapping high in a tree.",
        ),
        "balloon" => (
            "{hero} and {helper} tied a red balloon to a stick to see which way the wind blew.",
            "{hero} held up a red balloon to see which way the wind blew.",
        ),
        "rainbow" => (
            "A rainbow came out, and {helper} said it pointed the way.",
            "A rainbow came out, and {hero} followed where it pointed.",
        ),
        "moon" => (
            "The moon came up, round and bright, and {helper} pointed at it.",
            "The moon came up, round and bright, and lit the way for {hero}.",
        ),
        "stars" => (
            "{hero} and {helper} followed the brightest of the stars.",
            "{hero} followed the brightest of the stars.",
        ),
        "river" => (
            "They came to the wide river, and the water rushed past.",
            "{hero} came to the wide river, and the water rushed past.",
        ),
        "rain" => (
            "Rain began to fall, so {hero} and {helper} shared a big leaf.",
            "Rain began to fall, so {hero} hid under a big leaf.",
        ),
        "fireflies" => (
            "Fireflies came out and glowed around {hero} and {helper}.",
            "Fireflies came out and glowed all around {hero}.",
        ),
        "raft" => (
            "{hero} and {helper} tied sticks together to build a raft.",
            "{hero} tied sticks together to build a little raft.",
        ),
        "boat" => (
            "{helper} found an old boat, and {hero} helped to pull it out.",
            "{hero} found an old boat and pulled it to the water.",
        ),
        "bridge" => (
            "They built a bridge of planks, one plank at a time.",
            "{hero} found a little bridge of planks and crossed it slowly.",
        ),
        "lantern" => (
            "{helper} lit a lantern, and its glow made the path clear.",
            "{hero} lit a lantern, and its glow made the path clear.",
        ),
        "map" => (
            "{helper} drew a map, and {hero} marked the way with a cross.",
            "{hero} drew a map and marked the way with a cross.",
        ),
        "ball" => (
            "{hero} and {helper} kicked a ball back and forth to think.",
            "{hero} bounced a ball while thinking hard.",
        ),
        "umbrella" => (
            "{helper} opened a big umbrella over {hero}.",
            "{hero} opened a big umbrella and felt safe under it.",
        ),
        "soft toy" => (
            "{hero} held a soft toy close, and {helper} held a paw.",
            "{hero} held a soft toy close and felt calmer.",
        ),
        "book" => (
            "{helper} opened a book full of pictures that showed the way.",
            "{hero} opened a book full of pictures that showed the way.",
        ),
        "cake" => (
            "{hero} and {helper} mixed the flour and the eggs for a cake.",
            "{hero} mixed the flour and the eggs for a cake.",
        ),
        "flowers" => (
            "{hero} and {helper} picked flowers along the path.",
            "{hero} picked flowers along the path.",
        ),
        "tent" => (
            "They put up a little tent to rest in.",
            "{hero} put up a little tent to rest in.",
        ),
        "key" => (
            "{helper} found a shiny key under a stone.",
            "{hero} found a shiny key under a stone.",
        ),
        "shell" => (
            "{hero} and {helper} found a shell and listened to it.",
            "{hero} found a shell and listened to it.",
        ),
        "basket" => (
            "They packed a basket with everything they would need.",
            "{hero} packed a basket with everything needed.",
        ),
        "forest" => (
            "They set off into the forest, under the tall trees.",
            "{hero} set off into the forest, under the tall trees.",
        ),
        "seaside" => (
            "They set off for the seaside and the sound of the waves.",
            "{hero} set off for the seaside and the sound of the waves.",
        ),
        "meadow" => (
            "They set off across the meadow, through the long grass.",
            "{hero} set off across the meadow, through the long grass.",
        ),
        "city" => (
            "They set off for the busy town, past the shops.",
            "{hero} set off for the busy town, past the shops.",
        ),
        "mountain" => (
            "They set off up the mountain, one step at a time.",
            "{hero} set off up the mountain, one step at a time.",
        ),
        "garden" => (
            "They went out into the garden, past the bean poles.",
            "{hero} went out into the garden, past the bean poles.",
        ),
        "space" => (
            "They climbed into a rocket and flew up into space.",
            "{hero} climbed into a rocket and flew up into space.",
        ),
        "farm" => (
            "They set off for the farm, past the big red barn.",
            "{hero} set off for the farm, past the big red barn.",
        ),
        "castle" => (
            "They set off for the castle on the hill.",
            "{hero} set off for the castle on the hill.",
        ),
        "home" => (
            "They hurried back home as fast as they could.",
            "{hero} hurried back home as fast as possible.",
        ),
        _ => return None,
    })
}

/// The attempt line for `thing`, with a helper when there is one.
pub(crate) fn line(thing: &str, solo: bool) -> Option<&'static str> {
    lines(thing).map(|(together, alone)| if solo { alone } else { together })
}

/// Whether a premise's thing can only be seen at night: a page showing it goes dark.
pub(crate) fn night_only(thing: &str) -> bool {
    matches!(thing, "fireflies" | "stars")
}

/// The light a page must have for the things it shows.
pub(crate) fn light_for(things: &[String], planned: TimeOfDay) -> TimeOfDay {
    if things.iter().any(|t| night_only(t)) && planned != TimeOfDay::Night {
        TimeOfDay::Evening
    } else {
        planned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyloom_domain::{places, props};

    #[test]
    fn every_object_and_place_has_a_line_that_names_it() {
        let things = props::PROPS
            .iter()
            .map(|p| p.name)
            .chain(places::PLACES.iter().map(|(p, _)| *p));
        for thing in things {
            for solo in [true, false] {
                let line = line(thing, solo).unwrap_or_else(|| panic!("{thing} has no line"));
                let named = props::props_in(line).contains(&thing.to_owned())
                    || places::places_in(line).contains(&thing);
                assert!(named, "{thing}: {line}");
                assert!(!solo || !line.contains("{helper}"), "{line}");
            }
        }
    }
}
