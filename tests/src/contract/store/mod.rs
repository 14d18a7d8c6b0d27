//! The store's contracts, one file per port; the helpers they share are here.

use super::{book, character, page, unique};
use crate::fixture::Fixture;
use std::collections::BTreeSet;
use storyloom_domain::book::IllustrationTally;
use storyloom_domain::ports::IllustrationOutcome;
use storyloom_domain::{BookStatus, Error, IllustrationStatus, OwnerId};

mod books;
mod characters;
mod idempotency;
mod operations;
mod pages;
mod revisions;
mod shares;
mod spending;

pub use books::*;
pub use characters::*;
pub use idempotency::*;
pub use operations::*;
pub use pages::*;
pub use revisions::*;
pub use shares::*;
pub use spending::*;

fn owner() -> OwnerId {
    OwnerId::parse(&unique("owner")).expect("valid owner")
}

fn ok(key: &str) -> IllustrationOutcome {
    IllustrationOutcome {
        status: IllustrationStatus::Ok,
        image_key: Some(key.to_owned()),
        note: None,
        cost_micros: 1500,
    }
}
