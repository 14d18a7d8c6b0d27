//! Seeded randomness: the same seed gives the same story and pictures on every machine.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A portable, seeded generator (ChaCha8 is stable across platforms and versions).
pub(crate) struct Dice(ChaCha8Rng);

impl Dice {
    pub(crate) fn new(seed: u64) -> Self {
        Dice(ChaCha8Rng::seed_from_u64(seed))
    }

    /// One of `items` (which must not be empty).
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.0.random_range(0..items.len())]
    }

    /// A number in `lo..hi`.
    pub(crate) fn range(&mut self, lo: f32, hi: f32) -> f32 {
        self.0.random_range(lo..hi)
    }

    /// For choices spread over a whole book: the `index`-th item of a seeded permutation, so
    /// pages written independently still cycle through every option before repeating one.
    pub(crate) fn spread<T: Clone>(seed: u64, slot: &str, items: &[T], index: usize) -> T {
        let mut dice = Dice::new(seed ^ storyloom_domain::character::seed_from(slot));
        let order = dice.shuffled(items);
        order[index % order.len()].clone()
    }

    /// An index in `0..n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n.max(1))
    }

    /// `items` in a seeded order.
    pub(crate) fn shuffled<T: Clone>(&mut self, items: &[T]) -> Vec<T> {
        let mut v = items.to_vec();
        for i in (1..v.len()).rev() {
            let j = self.0.random_range(0..=i);
            v.swap(i, j);
        }
        v
    }
}
