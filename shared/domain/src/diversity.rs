//! How alike two stories are: a MinHash fingerprint of each story's word 3-grams, small
//! enough to keep on the book, compared to estimate the share of phrases they have in
//! common (Jaccard similarity) without reading the old book's pages again.

use crate::readability::words;
use serde::{Deserialize, Serialize};

/// Hash functions in a fingerprint: the estimate's standard error is about 1/√64 ≈ 0.06.
pub const FINGERPRINT_SIZE: usize = 64;
/// Word n-grams compared.
const SHINGLE: usize = 3;

/// A story's fingerprint: per hash function, the smallest hash of its 3-grams.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fingerprint(pub Vec<u64>);

impl Fingerprint {
    /// The fingerprint of a story's text (empty for a text under three words).
    pub fn of(text: &str) -> Fingerprint {
        let ws = words(text);
        if ws.len() < SHINGLE {
            return Fingerprint::default();
        }
        let grams: Vec<u64> = ws.windows(SHINGLE).map(|g| fnv(&g.join(" "))).collect();
        Fingerprint(
            (0..FINGERPRINT_SIZE as u64)
                .map(|i| {
                    let salt = splitmix(i.wrapping_add(0x5eed));
                    grams
                        .iter()
                        .map(|g| splitmix(g ^ salt))
                        .min()
                        .unwrap_or(u64::MAX)
                })
                .collect(),
        )
    }

    /// The fingerprint of a story told in `pages`, read in order as one text.
    pub fn of_pages<'a>(pages: impl IntoIterator<Item = &'a str>) -> Fingerprint {
        Fingerprint::of(&pages.into_iter().collect::<Vec<_>>().join(" "))
    }

    /// Estimated share of 3-grams the two stories have in common, from 0 to 1 (0 when
    /// either is empty).
    pub fn similarity(&self, other: &Fingerprint) -> f64 {
        if self.0.is_empty() || self.0.len() != other.0.len() {
            return 0.0;
        }
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / self.0.len() as f64
    }

    /// True when there is nothing to compare.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A strong 64-bit mix, so each salt acts as an independent hash function.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "Hazel the hare lived in a meadow full of clover. Every morning she ran to \
                     the river to say hello to Otto the owl, who told her long stories about \
                     the stars and the moon and the wind in the tall grass.";

    #[test]
    fn identical_stories_match_and_unrelated_ones_do_not() {
        let a = Fingerprint::of(A);
        assert_eq!(a.0.len(), FINGERPRINT_SIZE);
        assert!((a.similarity(&Fingerprint::of(A)) - 1.0).abs() < 1e-9);
        let b = Fingerprint::of(
            "A small red boat sailed over a quiet lake at dawn while two ducks argued \
             about breakfast and a frog counted the clouds drifting past the hills.",
        );
        assert!(a.similarity(&b) < 0.1, "{}", a.similarity(&b));
    }

    #[test]
    fn a_lightly_edited_story_is_mostly_the_same() {
        let edited = A.replace("clover", "daisies").replace("long", "funny");
        let s = Fingerprint::of(A).similarity(&Fingerprint::of(&edited));
        assert!((0.5..1.0).contains(&s), "{s}");
    }

    #[test]
    fn nothing_to_compare_is_not_similar() {
        assert!(Fingerprint::of("hi there").is_empty());
        assert_eq!(Fingerprint::default().similarity(&Fingerprint::of(A)), 0.0);
    }
}
