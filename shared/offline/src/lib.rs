//! Offline models: a deterministic storyteller and illustrator that need no network and no
//! weights. They sit behind the same ports as managed providers, say plainly that they are
//! offline, and do real work: the storyteller plans an arc from the premise and cast and
//! writes each page for its age band; the illustrator stages and paints each scene.

mod appearance;
mod figure;
mod illustrator;
mod premise;
mod props;
mod quest;
mod rng;
mod scenery;

mod storyteller;
mod voice;

pub use illustrator::{Drawing, DrawnCharacter, OfflineIllustrator};
pub use storyteller::OfflineStoryteller;
