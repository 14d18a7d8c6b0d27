//! Models with a fixed latency: the offline models' output, delivered after a set delay,
//! so the pipeline's own overhead can be measured against a known critical path.

use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::Result;
use storyloom_domain::ports::{
    ImageModel, ImageRequest, ImageResponse, ModelInfo, TextModel, TextRequest, TextResponse,
};

/// How long each model call takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedLatency {
    pub text: Duration,
    pub image: Duration,
}

/// A model whose every call takes its latency. Text is the inner model's (cheap); the
/// picture is the inner model's first one, reused, so drawing costs no CPU and the time a
/// call takes is the latency alone.
pub struct Delayed<M: ?Sized> {
    inner: Arc<M>,
    delay: Duration,
    picture: tokio::sync::OnceCell<ImageResponse>,
}

impl<M: ?Sized> Delayed<M> {
    /// `inner`, slowed to `delay` per call.
    pub fn new(inner: Arc<M>, delay: Duration) -> Self {
        Delayed {
            inner,
            delay,
            picture: tokio::sync::OnceCell::new(),
        }
    }
}

#[async_trait]
impl TextModel for Delayed<dyn TextModel> {
    fn info(&self) -> ModelInfo {
        self.inner.info()
    }

    async fn generate(&self, request: &TextRequest) -> Result<TextResponse> {
        tokio::time::sleep(self.delay).await;
        self.inner.generate(request).await
    }
}

#[async_trait]
impl ImageModel for Delayed<dyn ImageModel> {
    fn info(&self) -> ModelInfo {
        self.inner.info()
    }

    async fn draw(&self, request: &ImageRequest) -> Result<ImageResponse> {
        let picture = self
            .picture
            .get_or_try_init(|| self.inner.draw(request))
            .await?
            .clone();
        tokio::time::sleep(self.delay).await;
        Ok(picture)
    }
}
