//! What a process's use cases call beyond storage, queues, blobs and secrets: the models
//! and the typesetter. A Lambda function builds (and so links) only what its work needs.

use storyloom_domain::message::QueueName;

/// The ports beyond storage a unit of work calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// The text model (writing a story).
    pub text: bool,
    /// The image model (drawing a page or a portrait).
    pub image: bool,
    /// The typesetter (assembling a book).
    pub renderer: bool,
}

impl Needs {
    /// Storage, queues, blobs and secrets only.
    pub const STORAGE: Needs = Needs {
        text: false,
        image: false,
        renderer: false,
    };

    /// A pipeline stage's needs. Assembly asks both models who they are, for the
    /// colophon.
    pub const fn of_stage(queue: QueueName) -> Needs {
        match queue {
            QueueName::Story => Needs {
                text: true,
                ..Needs::STORAGE
            },
            QueueName::Review => Needs::STORAGE,
            QueueName::Illustrate => Needs {
                image: true,
                ..Needs::STORAGE
            },
            QueueName::Assemble => Needs {
                text: true,
                image: true,
                renderer: true,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_stages_that_write_draw_or_typeset_need_more_than_storage() {
        assert_eq!(Needs::of_stage(QueueName::Review), Needs::STORAGE);
        assert!(Needs::of_stage(QueueName::Story).text);
        assert!(!Needs::of_stage(QueueName::Story).image);
        assert!(Needs::of_stage(QueueName::Illustrate).image);
        assert!(!Needs::of_stage(QueueName::Illustrate).renderer);
        assert!(Needs::of_stage(QueueName::Assemble).renderer);
    }
}
