//! What a process's use cases call beyond storage, queues, blobs and secrets: the models
//! and the typesetter. A Lambda function builds (and so links) only what its work needs.

use crate::Ports;
use async_trait::async_trait;
use std::sync::Arc;
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::{
    BookRenderer, ImageModel, ImageRequest, ImageResponse, ModelInfo, PrintBook, TextModel,
    TextRequest, TextResponse,
};
use storyloom_domain::{Error, Result};

/// The ports beyond storage a unit of work calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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

/// Stands in, in a function built without it, for a model or the typesetter that the
/// function's work never calls. A call means the function was wired for the wrong work:
/// it fails permanently and says so, rather than doing anything in the port's name.
#[derive(Debug, Clone, Copy)]
pub struct NotLinked {
    /// The function (binary) that left the port out.
    pub function: &'static str,
}

impl NotLinked {
    fn error(&self, port: &str) -> Error {
        Error::Permanent(format!(
            "the {} function is built without {port}; this work belongs to another function",
            self.function
        ))
    }

    fn info(&self) -> ModelInfo {
        ModelInfo {
            id: "not-linked".to_owned(),
            offline: true,
            description: format!("no model: {} does not call one", self.function),
        }
    }

    /// These ports with every model and the typesetter left out.
    pub fn everything_in(self, ports: Ports) -> Ports {
        Ports {
            text: Arc::new(self),
            image: Arc::new(self),
            renderer: Arc::new(self),
            ..ports
        }
    }
}

#[async_trait]
impl TextModel for NotLinked {
    fn info(&self) -> ModelInfo {
        NotLinked::info(self)
    }

    async fn generate(&self, _: &TextRequest) -> Result<TextResponse> {
        Err(self.error("a text model"))
    }
}

#[async_trait]
impl ImageModel for NotLinked {
    fn info(&self) -> ModelInfo {
        NotLinked::info(self)
    }

    async fn draw(&self, _: &ImageRequest) -> Result<ImageResponse> {
        Err(self.error("an image model"))
    }
}

#[async_trait]
impl BookRenderer for NotLinked {
    async fn render_pdf(&self, _: &PrintBook) -> Result<Vec<u8>> {
        Err(self.error("the typesetter"))
    }

    async fn render_epub(&self, _: &PrintBook) -> Result<Vec<u8>> {
        Err(self.error("the typesetter"))
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

    #[test]
    fn a_port_left_out_fails_permanently_naming_the_function() {
        let absent = NotLinked {
            function: "get-budget",
        };
        let error = absent.error("an image model");
        assert!(
            matches!(&error, Error::Permanent(m) if m.contains("get-budget") && m.contains("an image model")),
            "{error}"
        );
        assert_eq!(TextModel::info(&absent).id, "not-linked");
    }
}
