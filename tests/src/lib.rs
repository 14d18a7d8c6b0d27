//! Shared test support: the port contract suites that every adapter must pass, and the
//! fixtures that stand adapters up (embedded on a temporary directory, AWS on
//! `moto_server`).

pub mod clock;
pub mod contract;
pub mod fixture;
pub mod lambda;
pub mod pdf;
