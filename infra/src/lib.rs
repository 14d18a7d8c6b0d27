//! The local stack: the API and every pipeline worker in one process, over the embedded
//! adapters and the offline models.

pub mod aws_mode;
pub mod demo;
pub mod driver;
pub mod schedule;
pub mod stack;

pub use stack::LocalStack;
