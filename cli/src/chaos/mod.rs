//! `storyloom chaos`: many books made by a stack whose models fail, stall and refuse, while
//! the stack's process is killed and restarted at random moments; then an audit of what
//! came out. See [`run`].

pub mod audit;
pub mod faults;
mod orchestrator;

pub use orchestrator::{ChaosOptions, ChaosRun, audit_data, run};
