//! The messages that link pipeline stages, and the envelope they travel in.

use crate::ids::BookId;
use serde::{Deserialize, Serialize};

/// One unit of pipeline work. Every handler is idempotent for its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StageMessage {
    WriteStory { book_id: BookId },
    ReviewStory { book_id: BookId },
    IllustratePage { book_id: BookId, page: u32 },
    AssembleBook { book_id: BookId },
}

impl StageMessage {
    /// The queue this message travels on.
    pub fn queue(&self) -> QueueName {
        match self {
            StageMessage::WriteStory { .. } => QueueName::Story,
            StageMessage::ReviewStory { .. } => QueueName::Review,
            StageMessage::IllustratePage { .. } => QueueName::Illustrate,
            StageMessage::AssembleBook { .. } => QueueName::Assemble,
        }
    }

    /// The book the message is about.
    pub fn book_id(&self) -> &BookId {
        match self {
            StageMessage::WriteStory { book_id }
            | StageMessage::ReviewStory { book_id }
            | StageMessage::IllustratePage { book_id, .. }
            | StageMessage::AssembleBook { book_id } => book_id,
        }
    }
}

/// A message with the correlation id that follows a book from its HTTP request to its PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub message: StageMessage,
    pub correlation_id: String,
    /// Times this message was taken back from its dead-letter queue.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub redrives: u32,
}

impl Envelope {
    /// A first-time message.
    pub fn new(message: StageMessage, correlation_id: impl Into<String>) -> Self {
        Envelope {
            message,
            correlation_id: correlation_id.into(),
            redrives: 0,
        }
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The work queues, one per stage (each with its dead-letter queue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueName {
    Story,
    Review,
    Illustrate,
    Assemble,
}

impl QueueName {
    /// Every work queue.
    pub const ALL: [QueueName; 4] = [
        QueueName::Story,
        QueueName::Review,
        QueueName::Illustrate,
        QueueName::Assemble,
    ];

    /// The queue's short name.
    pub fn as_str(self) -> &'static str {
        match self {
            QueueName::Story => "story",
            QueueName::Review => "review",
            QueueName::Illustrate => "illustrate",
            QueueName::Assemble => "assemble",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_a_type_tag() {
        let m = StageMessage::IllustratePage {
            book_id: BookId::parse("b1").unwrap(),
            page: 3,
        };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(
            json,
            r#"{"type":"illustrate_page","book_id":"b1","page":3}"#
        );
        assert_eq!(serde_json::from_str::<StageMessage>(&json).unwrap(), m);
        assert_eq!(m.queue(), QueueName::Illustrate);
    }
}
