//! Model calls measured: latency, errors by class, tokens, pictures and what each call
//! cost at the configured prices, all reported through the metrics port.

use async_trait::async_trait;
use std::sync::Arc;
use std::time::Instant;
use storyloom_domain::metrics::{Metrics, Sample, names};
use storyloom_domain::ports::{
    ImageModel, ImageRequest, ImageResponse, ModelInfo, TextModel, TextRequest, TextResponse, Usage,
};
use storyloom_domain::{PriceTable, Result};

/// A model whose every call is measured.
pub struct Metered<M: ?Sized> {
    inner: Arc<M>,
    model: String,
    metrics: Arc<dyn Metrics>,
    prices: Arc<PriceTable>,
}

impl<M: ?Sized> Metered<M> {
    fn observe<T>(&self, started: Instant, outcome: &Result<T>, usage: Option<&Usage>) {
        let m = &self.metrics;
        let model = &self.model;
        m.record(
            Sample::millis(names::MODEL_LATENCY, started.elapsed().as_secs_f64() * 1e3)
                .by("Model", model),
        );
        match (outcome, usage) {
            (Err(e), _) => {
                m.record(
                    Sample::count(names::MODEL_ERRORS, 1.0).by("ErrorClass", e.class().as_str()),
                );
            }
            (Ok(_), Some(usage)) => {
                let tokens = usage.input_tokens + usage.output_tokens;
                if tokens > 0 {
                    m.record(Sample::count(names::TOKENS, tokens as f64).by("Model", model));
                }
                if usage.images > 0 {
                    m.record(
                        Sample::count(names::IMAGES, f64::from(usage.images)).by("Model", model),
                    );
                }
                match self.prices.price(model) {
                    Some(price) => {
                        m.record(Sample::dollars(names::COST, price.of(usage)).by("Model", model))
                    }
                    None => {
                        tracing::warn!(%model, "no price for this model; its cost is not counted")
                    }
                }
            }
            (Ok(_), None) => {}
        }
    }
}

#[async_trait]
impl TextModel for Metered<dyn TextModel> {
    fn info(&self) -> ModelInfo {
        self.inner.info()
    }

    async fn generate(&self, request: &TextRequest) -> Result<TextResponse> {
        let started = Instant::now();
        let outcome = self.inner.generate(request).await;
        let usage = outcome.as_ref().ok().map(|r| &r.usage);
        self.observe(started, &outcome, usage);
        outcome
    }
}

#[async_trait]
impl ImageModel for Metered<dyn ImageModel> {
    fn info(&self) -> ModelInfo {
        self.inner.info()
    }

    async fn draw(&self, request: &ImageRequest) -> Result<ImageResponse> {
        let started = Instant::now();
        let outcome = self.inner.draw(request).await;
        let usage = outcome.as_ref().ok().map(|r| &r.usage);
        self.observe(started, &outcome, usage);
        outcome
    }
}

fn metered<M: ?Sized>(
    inner: Arc<M>,
    model: String,
    metrics: Arc<dyn Metrics>,
    prices: Arc<PriceTable>,
) -> Metered<M> {
    Metered {
        inner,
        model,
        metrics,
        prices,
    }
}

/// `inner`, measured.
pub fn meter_text(
    inner: Arc<dyn TextModel>,
    metrics: Arc<dyn Metrics>,
    prices: Arc<PriceTable>,
) -> Arc<dyn TextModel> {
    let model = inner.info().id;
    Arc::new(metered(inner, model, metrics, prices))
}

/// `inner`, measured.
pub fn meter_image(
    inner: Arc<dyn ImageModel>,
    metrics: Arc<dyn Metrics>,
    prices: Arc<PriceTable>,
) -> Arc<dyn ImageModel> {
    let model = inner.info().id;
    Arc::new(metered(inner, model, metrics, prices))
}
