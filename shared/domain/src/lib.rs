//! Storyloom's domain: the vocabulary of picture books and the rules they obey.
//!
//! Pure by design: no I/O, no AWS, no async runtime. Ports (the traits in [`ports`]) are
//! how the outer layers plug storage, queues, blobs, secrets, models and time in.

pub mod account;
pub mod blob_key;
pub mod book;
pub mod book_report;
pub mod breaker;
pub mod budget;
pub mod calendar;
pub mod character;
pub mod config;
pub mod diversity;
pub mod error;
pub mod facts;
pub mod gates;
pub mod idempotency;
pub mod ids;
pub mod limits;
pub mod live;
pub mod message;
pub mod metrics;
pub mod models;
pub mod page;
pub mod pictures;
pub mod places;
pub mod plan;
pub mod ports;
pub mod pricing;
pub mod print;
pub mod progress;
pub mod prompt;
pub mod proposal;
pub mod props;
pub mod readability;
pub mod request;
pub mod retry;
pub mod review;
pub mod revision;
pub mod share;
pub mod sheet;
pub mod staging;
pub mod status;
pub mod structured_output;
pub mod tier;
pub mod timings;
pub mod validation;
pub mod voice;

pub use book::Book;
pub use character::{Character, NewCharacter};
pub use error::{Error, ErrorClass, Result};
pub use ids::{BookId, CharacterId, OwnerId};
pub use limits::{Allowance, Limits};
pub use message::{Envelope, StageMessage};
pub use page::{Change, IllustrationStatus, Page};
pub use plan::{ArcPhase, PageBeat, StoryPlan, TimeOfDay};
pub use pricing::{Price, PriceTable};
pub use progress::Progress;
pub use proposal::Proposal;
pub use request::{AgeBand, ArtStyle, BookRequest, NewBook};
pub use revision::Revision;
pub use share::{Access, Need, Role, Share};
pub use status::BookStatus;
pub use tier::Tier;
