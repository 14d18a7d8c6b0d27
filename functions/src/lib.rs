//! The Lambda functions' shared wiring. Each binary in `src/bin/` is a few lines: build the
//! adapters once per cold start ([`wiring::start`]) and hand every event to one
//! of the handlers here, which hand it to the application.

pub mod catalog;
pub mod http;
pub mod invoke;
pub mod job;
pub mod live;
pub mod logging;
pub mod not_linked;
pub mod probe;
pub mod shutdown;
pub mod stage;
pub mod wiring;
