//! Storyloom's use cases: one function per use case, taking only the ports it uses. HTTP and
//! queue shapes are translated at the edge, not here.

pub mod access;
pub mod accounts;
pub mod books;
pub mod characters;
mod clock;
pub mod config;
pub mod guarded;
pub mod health;
pub mod jobs;
pub mod limits;
pub mod live;
pub mod metered;
mod modify;
pub mod needs;
pub mod pages;
pub mod ports;
pub mod retried;
pub mod shares;
pub mod spending;
pub mod stages;
pub mod telemetry;
pub mod timings;
pub mod worker;

pub use clock::SystemClock;
pub use ports::Ports;
