//! Embedded adapters: everything Storyloom needs on one machine, with no server to run.
//!
//! - [`FileStore`]: characters, books and pages (and local accounts and their sessions) in
//!   a transactional redb file;
//! - [`FileQueue`]: durable work queues with SQS semantics (delays, visibility timeouts,
//!   receive counts, a dead-letter queue per queue) in a second redb file;
//! - [`DirBlobStore`]: pictures and PDFs as files under a directory;
//! - [`FileSecrets`]: credentials from a git-ignored JSON file, cached for a bounded time;
//! - [`MetricsRegistry`]: metrics aggregated in the process, for `/v1/metrics`.

mod accounts;
mod blobs;
mod committer;
mod db;
mod live;
mod metrics;
mod queue;
mod secrets;
mod store;

pub use blobs::DirBlobStore;
pub use committer::{CommitStats, Grouping};
pub use metrics::MetricsRegistry;
pub use queue::{FileQueue, QueueSettings};
pub use secrets::FileSecrets;
pub use store::FileStore;
