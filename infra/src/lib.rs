//! The local stack: the API and every pipeline worker in one process, over the embedded
//! adapters and the offline models.

#[cfg(feature = "aws")]
pub mod aws_mode;
pub mod chaos;
pub mod demo;
#[cfg(feature = "aws")]
pub mod driver;
pub mod schedule;
pub mod stack;

pub use stack::LocalStack;
