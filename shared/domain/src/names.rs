//! Whether, and where, a text names someone: the matcher the gates, the pictures and the
//! staging share, so a name counts the same everywhere.

use crate::readability::words;

/// Whether `text` names `name` ("Hazel's" names Hazel; every word of a two-word name).
pub fn mentions(text: &str, name: &str) -> bool {
    first_mention(text, name).is_some()
}

/// Where `text` first names `name`, counted in words (see [`mentions`]).
pub fn first_mention(text: &str, name: &str) -> Option<usize> {
    // "Hazel's" mentions Hazel.
    let hay: Vec<String> = words(text)
        .into_iter()
        .map(|w| w.strip_suffix("'s").map(str::to_owned).unwrap_or(w))
        .collect();
    let needle = words(name);
    if needle.is_empty() {
        return None;
    }
    hay.windows(needle.len())
        .position(|w| w == needle.as_slice())
}
