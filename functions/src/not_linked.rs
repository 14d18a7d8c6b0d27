//! A port a function is built without.

use async_trait::async_trait;
use storyloom_domain::ports::{
    BookRenderer, ImageModel, ImageRequest, ImageResponse, ModelInfo, PrintBook, TextModel,
    TextRequest, TextResponse,
};
use storyloom_domain::{Error, Result};

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
