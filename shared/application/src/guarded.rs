//! Model calls behind their provider's circuit breaker (state in the store, shared by every
//! instance). A closed breaker costs one read per call; an open one refuses at once with
//! [`Error::CircuitOpen`], which the worker turns into a delayed re-send rather than a
//! spent attempt.

use async_trait::async_trait;
use std::sync::Arc;
use storyloom_domain::breaker::{Admission, Breaker, FAILURE_THRESHOLD};
use storyloom_domain::ports::{
    Clock, ImageModel, ImageRequest, ImageResponse, ModelInfo, OperationsStore, TextModel,
    TextRequest, TextResponse,
};
use storyloom_domain::{Error, ErrorClass, Result};

/// Attempts at a breaker update that lost to another instance's.
const UPDATE_ATTEMPTS: u32 = 5;

/// A model wrapped in its provider's breaker.
pub struct Guarded<M: ?Sized> {
    inner: Arc<M>,
    store: Arc<dyn OperationsStore>,
    clock: Arc<dyn Clock>,
    provider: String,
}

impl<M: ?Sized> Guarded<M> {
    /// Guards `inner`; the breaker is keyed by `provider`.
    pub fn new(
        inner: Arc<M>,
        provider: impl Into<String>,
        store: Arc<dyn OperationsStore>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Guarded {
            inner,
            store,
            clock,
            provider: provider.into(),
        }
    }

    /// Lets the call through, claims the probe, or refuses it. Returns the breaker as it
    /// stood when the call was let through, for [`Guarded::record`].
    async fn admit(&self) -> Result<Breaker> {
        for _ in 0..UPDATE_ATTEMPTS {
            let now = self.clock.now_ms();
            let mut breaker = self.store.get_breaker(&self.provider).await?;
            match breaker.admit(now) {
                Admission::Call => return Ok(breaker),
                Admission::Refused { retry_after_ms } => {
                    return Err(Error::CircuitOpen {
                        provider: self.provider.clone(),
                        retry_after_ms,
                    });
                }
                Admission::Probe => {
                    breaker.start_probe(now);
                    match self.store.put_breaker(&breaker).await {
                        Ok(stored) => {
                            tracing::info!(provider = %self.provider, "probing an open circuit");
                            return Ok(stored);
                        }
                        // Another instance claimed the probe: look again.
                        Err(Error::Conflict(_)) => continue,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        Err(Error::Transient(format!(
            "the {} circuit kept changing",
            self.provider
        )))
    }

    /// Records a call's outcome on the breaker `seen` at admission (read again only when
    /// another instance changed it meanwhile). Only transient failures count against the
    /// provider; a success on a clean breaker writes nothing, so the healthy path costs the
    /// one read of admission.
    async fn record<T>(&self, outcome: &Result<T>, seen: Breaker) {
        let transient = matches!(outcome, Err(e) if e.class() == ErrorClass::Transient);
        let mut current = Some(seen);
        for _ in 0..UPDATE_ATTEMPTS {
            let mut breaker = match current.take() {
                Some(b) => b,
                None => match self.store.get_breaker(&self.provider).await {
                    Ok(b) => b,
                    Err(_) => return,
                },
            };
            if transient {
                breaker.on_failure(self.clock.now_ms());
                if breaker.consecutive_failures == FAILURE_THRESHOLD {
                    tracing::warn!(provider = %self.provider, "circuit opened");
                }
            } else if breaker.needs_reset() {
                breaker.on_success();
            } else {
                return;
            }
            match self.store.put_breaker(&breaker).await {
                Ok(_) => return,
                Err(Error::Conflict(_)) => continue,
                Err(e) => {
                    tracing::warn!(provider = %self.provider, error = %e, "could not record a call in the circuit breaker");
                    return;
                }
            }
        }
    }
}

#[async_trait]
impl TextModel for Guarded<dyn TextModel> {
    fn info(&self) -> ModelInfo {
        self.inner.info()
    }

    async fn generate(&self, request: &TextRequest) -> Result<TextResponse> {
        let seen = self.admit().await?;
        let outcome = self.inner.generate(request).await;
        self.record(&outcome, seen).await;
        outcome
    }
}

#[async_trait]
impl ImageModel for Guarded<dyn ImageModel> {
    fn info(&self) -> ModelInfo {
        self.inner.info()
    }

    async fn draw(&self, request: &ImageRequest) -> Result<ImageResponse> {
        let seen = self.admit().await?;
        let outcome = self.inner.draw(request).await;
        self.record(&outcome, seen).await;
        outcome
    }
}

/// `inner` behind the breaker of its provider (named by its model id).
pub fn guard_text(
    inner: Arc<dyn TextModel>,
    store: Arc<dyn OperationsStore>,
    clock: Arc<dyn Clock>,
) -> Arc<dyn TextModel> {
    let provider = inner.info().id;
    Arc::new(Guarded::new(inner, provider, store, clock))
}

/// `inner` behind the breaker of its provider (named by its model id).
pub fn guard_image(
    inner: Arc<dyn ImageModel>,
    store: Arc<dyn OperationsStore>,
    clock: Arc<dyn Clock>,
) -> Arc<dyn ImageModel> {
    let provider = inner.info().id;
    Arc::new(Guarded::new(inner, provider, store, clock))
}
