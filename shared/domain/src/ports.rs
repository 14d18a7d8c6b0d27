//! The ports: what the application needs from the world, as traits. Adapters implement them
//! (embedded files and in-process queues locally; DynamoDB, SQS, S3, Secrets Manager and
//! managed model providers on AWS).

use crate::error::Result;
use crate::live::{ConnectionId, Delivery};
use crate::message::{Envelope, QueueName};
use async_trait::async_trait;
use std::time::Duration;

// The types the model and typesetting ports speak in live in files named for them; they
// are re-exported here so an adapter names a port and its types from one place.
pub use crate::models::{
    CastMember, CharacterLook, ImageRequest, ImageResponse, ModelInfo, PICTURE_HEIGHT,
    PICTURE_WIDTH, StoryBrief, TextRequest, TextResponse, TextTask, Usage,
};
pub use crate::print::{PrintBook, PrintPage};
pub use crate::retry::backoff;
pub use crate::store::{
    BookStore, CharacterStore, IdempotencyStore, IllustrationOutcome, LiveStore, OperationsStore,
    PageStore, RevisionStore, ShareStore, SpendingStore, Store,
};

/// Sends a frame down an open WebSocket (API Gateway's management API on AWS).
#[async_trait]
pub trait Pusher: Send + Sync {
    /// Sends `frame` to `to`; [`Delivery::Gone`] when the client is no longer there.
    async fn push(&self, to: &ConnectionId, frame: &[u8]) -> Result<Delivery>;
}

/// A message as a consumer receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub message_id: String,
    /// The raw body: parsed by the consumer, so a malformed one can be dead-lettered.
    pub body: String,
    /// Hand this back to `ack` or `retry_later`.
    pub receipt: String,
    /// 1 on first delivery.
    pub receive_count: u32,
}

/// At-least-once work queues with SQS semantics: delays, visibility timeouts, receive counts
/// and a dead-letter queue after a bounded number of receives.
#[async_trait]
pub trait JobQueue: Send + Sync {
    /// Sends a message to its stage's queue, visible after `delay`.
    async fn send(&self, envelope: &Envelope, delay: Duration) -> Result<()>;
    /// Receives up to `max` visible messages, hiding them for `visibility`.
    async fn receive(
        &self,
        queue: QueueName,
        max: u32,
        visibility: Duration,
    ) -> Result<Vec<Received>>;
    /// Deletes a handled message.
    async fn ack(&self, queue: QueueName, receipt: &str) -> Result<()>;
    /// Makes a message visible again after `delay` (backoff for a transient failure).
    async fn retry_later(&self, queue: QueueName, receipt: &str, delay: Duration) -> Result<()>;
    /// How many messages sit in the queue's dead-letter queue.
    async fn dead_letter_count(&self, queue: QueueName) -> Result<u64>;
    /// Receives up to `max` messages from the queue's dead-letter queue, hiding them for
    /// `visibility` (they stay there until acked with [`JobQueue::ack_dead_letter`]).
    async fn receive_dead_letters(
        &self,
        queue: QueueName,
        max: u32,
        visibility: Duration,
    ) -> Result<Vec<Received>>;
    /// Deletes a handled dead letter.
    async fn ack_dead_letter(&self, queue: QueueName, receipt: &str) -> Result<()>;
}

/// Pictures and PDFs.
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores bytes under a key (`books/<id>/...`), replacing any previous value.
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<()>;
    /// The bytes under a key.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>>;
    /// Removes a key (no error when absent).
    async fn delete(&self, key: &str) -> Result<()>;
    /// A short-lived URL a client may download from directly, when the store offers one.
    async fn presign_get(&self, key: &str, ttl: Duration) -> Result<Option<String>>;
    /// Every blob whose key starts with `prefix`, in key order.
    async fn list(&self, prefix: &str) -> Result<Vec<BlobInfo>>;
}

/// A stored blob, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    pub key: String,
    pub size: u64,
    /// Last written, ms since the epoch.
    pub modified_ms: u64,
}

/// Credentials, read at run time and cached for a bounded time.
#[async_trait]
pub trait Secrets: Send + Sync {
    /// The secret's value, or `None` when it is not set.
    async fn get(&self, name: &str) -> Result<Option<String>>;
}

/// Milliseconds since the Unix epoch.
pub trait Clock: Send + Sync {
    /// Now.
    fn now_ms(&self) -> u64;
}

/// Writes text.
#[async_trait]
pub trait TextModel: Send + Sync {
    /// Who this model is.
    fn info(&self) -> ModelInfo;
    /// One completion. Errors are classified: transient, permanent or policy block.
    async fn generate(&self, request: &TextRequest) -> Result<TextResponse>;
}

/// Draws pictures.
#[async_trait]
pub trait ImageModel: Send + Sync {
    /// Who this model is.
    fn info(&self) -> ModelInfo;
    /// One picture, as PNG.
    async fn draw(&self, request: &ImageRequest) -> Result<ImageResponse>;
}

/// Typesets books.
#[async_trait]
pub trait BookRenderer: Send + Sync {
    /// A print-ready PDF.
    async fn render_pdf(&self, book: &PrintBook) -> Result<Vec<u8>>;
    /// An EPUB 3 e-book: the same pages, with the pictures and their descriptions.
    async fn render_epub(&self, book: &PrintBook) -> Result<Vec<u8>>;
}
