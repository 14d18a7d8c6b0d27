//! Words against pictures: what a page's text names (who, what, where) and whether its
//! scene shows it. The offline illustrator draws exactly its scene, so the scene is its
//! record of what it drew; a managed model is given the scene in its prompt.

use crate::names::mentions;
use crate::page::Scene;

/// What a page names and what of that its picture would not show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Agreement {
    /// Characters, things and places the text names.
    pub named: Vec<String>,
    /// Those the scene leaves out.
    pub missing: Vec<String>,
}

impl Agreement {
    /// The share of what the text names that the picture shows (1 when it names nothing).
    pub fn share(&self) -> f64 {
        if self.named.is_empty() {
            1.0
        } else {
            1.0 - self.missing.len() as f64 / self.named.len() as f64
        }
    }
}

/// Compares a page's text with its scene: every cast member it names must be in the
/// picture, every thing it names among the picture's objects (unless it says the thing is
/// missing), and when it names places,
/// the picture must be set in one of them (a picture shows one place).
pub fn agreement(text: &str, scene: &Scene, cast: &[String]) -> Agreement {
    let mut a = Agreement::default();
    for name in cast.iter().filter(|n| mentions(text, n)) {
        a.named.push(name.clone());
        if !scene.characters.contains(name) {
            a.missing.push(name.clone());
        }
    }
    // A thing the text says is missing need not be drawn.
    for thing in crate::props::seen_in(text) {
        // The night sky always has its moon and stars.
        let in_the_sky = scene.time_of_day == crate::TimeOfDay::Night
            && matches!(thing.as_str(), "moon" | "stars");
        if !scene.objects.contains(&thing) && !in_the_sky {
            a.missing.push(thing.clone());
        }
        a.named.push(thing);
    }
    let places = crate::places::places_in(text);
    if !places.is_empty() {
        a.named.push(places.join(" or "));
        if !places.contains(&scene.setting.as_str()) {
            a.missing.push(format!("the {}", places.join(" or the ")));
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::TimeOfDay;

    fn scene(characters: &[&str], objects: &[&str], setting: &str) -> Scene {
        Scene {
            setting: setting.into(),
            time_of_day: TimeOfDay::Morning,
            characters: characters.iter().map(|s| s.to_string()).collect(),
            mood: "warm".into(),
            objects: objects.iter().map(|s| s.to_string()).collect(),
            shot: Default::default(),
            figures: vec![],
        }
    }

    #[test]
    fn a_picture_agrees_when_it_shows_who_what_and_where_the_words_name() {
        let cast = ["Mila".to_string(), "Bram".to_string()];
        let text = "Mila and Bram tied sticks to build a raft by the river in the forest.";
        let good = agreement(
            text,
            &scene(&["Mila", "Bram"], &["raft", "river"], "forest"),
            &cast,
        );
        assert_eq!(good.missing, Vec::<String>::new());
        assert_eq!(good.share(), 1.0);
        let missing = "Mila could not find the kite. Mila and Bram looked.";
        assert_eq!(
            agreement(missing, &scene(&["Mila", "Bram"], &[], "meadow"), &cast).missing,
            Vec::<String>::new()
        );
        let bad = agreement(text, &scene(&["Mila"], &["raft"], "meadow"), &cast);
        assert_eq!(bad.missing, vec!["Bram", "river", "the forest"]);
        assert!((bad.share() - 0.4).abs() < 1e-9, "{bad:?}");
        assert_eq!(
            agreement("Hello.", &scene(&[], &[], "home"), &cast).share(),
            1.0
        );
    }
}
