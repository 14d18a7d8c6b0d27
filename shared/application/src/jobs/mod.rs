//! The scheduled jobs: housekeeping that keeps the pipeline honest when messages are lost,
//! poisoned or left behind.

pub mod purge_expired;
pub mod redrive_dead_letters;
pub mod sweep_stalled;
