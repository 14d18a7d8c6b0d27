//! The messages that link pipeline stages, and the envelope they travel in.

use crate::book::Book;
use crate::ids::BookId;
pub use crate::lane::Lane;
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
    /// The lane of its stage's queue the message travels (and is redriven to).
    #[serde(default, skip_serializing_if = "Lane::is_standard")]
    pub lane: Lane,
}

impl Envelope {
    /// A first-time message in the standard lane.
    pub fn new(message: StageMessage, correlation_id: impl Into<String>) -> Self {
        Envelope {
            message,
            correlation_id: correlation_id.into(),
            redrives: 0,
            lane: Lane::Standard,
        }
    }

    /// A first-time message about `book`: its correlation id, in its tier's lane.
    pub fn about(book: &Book, message: StageMessage) -> Self {
        Envelope {
            lane: book.tier.lane(),
            ..Envelope::new(message, book.correlation_id.clone())
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

    /// The name of the queue of this stage's `lane` (`story`, `story-priority`).
    pub fn lane_name(self, lane: Lane) -> String {
        format!("{}{}", self.as_str(), lane.suffix())
    }

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

    #[test]
    fn standard_envelopes_keep_their_old_shape_and_priority_ones_say_so() {
        let m = StageMessage::WriteStory {
            book_id: BookId::parse("b1").unwrap(),
        };
        let standard = Envelope::new(m.clone(), "c1");
        let json = serde_json::to_string(&standard).unwrap();
        assert!(!json.contains("lane"), "{json}");
        let priority = Envelope {
            lane: Lane::Priority,
            ..standard
        };
        let json = serde_json::to_string(&priority).unwrap();
        assert!(json.contains(r#""lane":"priority""#), "{json}");
        assert_eq!(serde_json::from_str::<Envelope>(&json).unwrap(), priority);
    }

    #[test]
    fn lanes_are_told_apart_by_queue_name_and_receipt() {
        assert_eq!(
            Lane::of_queue("arn:aws:sqs:eu-west-1:1:storyloom-dev-story-priority"),
            Lane::Priority
        );
        assert_eq!(
            Lane::of_queue(
                "https://sqs.eu-west-1.amazonaws.com/1/storyloom-dev-story-priority-dlq"
            ),
            Lane::Priority
        );
        assert_eq!(
            Lane::of_queue("arn:aws:sqs:eu-west-1:1:storyloom-dev-story"),
            Lane::Standard
        );
        assert_eq!(QueueName::Story.lane_name(Lane::Priority), "story-priority");
        for lane in Lane::DRAIN_ORDER {
            assert_eq!(Lane::unmark(&lane.mark("AQEB+x/y==")), (lane, "AQEB+x/y=="));
        }
    }
}
