//! Model calls tried again in-process after a transient failure (throttling, a dropped
//! connection, a 5xx), a few times with short jittered backoff, before the failure goes
//! back to the queue. Every failure a stage hands to its queue spends one of the message's
//! receives, and a stage that makes dozens of calls (a plan, a persona line per character
//! per page, each page) would otherwise run out of receives on an ordinary run of 429s
//! and land in the dead-letter queue, leaving its book waiting for the redrive schedule.
//!
//! Each try goes through the provider's circuit breaker (this wraps the guarded model), so
//! an outage still opens the circuit, and an open circuit ends the retries at once.

use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;
use storyloom_domain::ports::{
    ImageModel, ImageRequest, ImageResponse, ModelInfo, TextModel, TextRequest, TextResponse,
    backoff,
};
use storyloom_domain::{Error, Result};
use tokio::time::Instant;

/// Tries of one call, the first included.
pub const CALL_ATTEMPTS: u32 = 3;
/// Backoff bounds between tries (full jitter).
pub const CALL_RETRY_BASE: Duration = Duration::from_millis(250);
/// See [`CALL_RETRY_BASE`].
pub const CALL_RETRY_CAP: Duration = Duration::from_secs(2);
/// A call that has already taken this long is not tried again here: a provider that times
/// out should not hold the stage past its own time limit; the queue's backoff takes over.
pub const RETRY_WITHIN: Duration = Duration::from_secs(30);

/// A model whose transient failures are tried again in-process.
pub struct Retried<M: ?Sized> {
    inner: Arc<M>,
    /// The provider's id, for the retry log lines (read once, not per call).
    provider: String,
}

impl<M: ?Sized> Retried<M> {
    /// Wraps `inner` (the guarded model: each try passes its breaker) of `provider`.
    pub fn new(inner: Arc<M>, provider: impl Into<String>) -> Self {
        Retried {
            inner,
            provider: provider.into(),
        }
    }

    async fn run<T, F>(&self, call: impl Fn() -> F) -> Result<T>
    where
        F: Future<Output = Result<T>>,
    {
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            let outcome = call().await;
            match outcome {
                // Only a failed call: an open circuit, a lost write race or a spending
                // limit is transient too, but not something a second try here would mend.
                Err(e @ Error::Transient(_))
                    if attempt + 1 < CALL_ATTEMPTS && started.elapsed() < RETRY_WITHIN =>
                {
                    let pause = backoff(attempt, CALL_RETRY_BASE, CALL_RETRY_CAP, jitter());
                    tracing::info!(provider = %self.provider, attempt = attempt + 1, error = %e, pause_ms = pause.as_millis() as u64, "model call failed transiently; trying again");
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

/// A number in [0, 1) for the backoff's jitter. Two instances retrying the same throttled
/// provider must not wake together, so it comes from the clock's sub-second digits rather
/// than from anything the callers share.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    f64::from(nanos) / 1e9
}

#[async_trait]
impl TextModel for Retried<dyn TextModel> {
    fn info(&self) -> ModelInfo {
        self.inner.info()
    }

    async fn generate(&self, request: &TextRequest) -> Result<TextResponse> {
        self.run(|| self.inner.generate(request)).await
    }
}

#[async_trait]
impl ImageModel for Retried<dyn ImageModel> {
    fn info(&self) -> ModelInfo {
        self.inner.info()
    }

    async fn draw(&self, request: &ImageRequest) -> Result<ImageResponse> {
        self.run(|| self.inner.draw(request)).await
    }
}

/// `inner` with its transient failures tried again (named by its model id).
pub fn retry_text(inner: Arc<dyn TextModel>) -> Arc<dyn TextModel> {
    let provider = inner.info().id;
    Arc::new(Retried::new(inner, provider))
}

/// `inner` with its transient failures tried again (named by its model id).
pub fn retry_image(inner: Arc<dyn ImageModel>) -> Arc<dyn ImageModel> {
    let provider = inner.info().id;
    Arc::new(Retried::new(inner, provider))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use storyloom_domain::ports::{StoryBrief, TextTask, Usage};

    /// Fails transiently (or with `error`) until its `failures` are spent.
    struct Flaky {
        failures: u32,
        calls: AtomicU32,
        error: fn() -> Error,
    }

    #[async_trait]
    impl TextModel for Flaky {
        fn info(&self) -> ModelInfo {
            ModelInfo {
                id: "flaky".into(),
                offline: true,
                description: "fails its first calls".into(),
            }
        }

        async fn generate(&self, _: &TextRequest) -> Result<TextResponse> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            if n < self.failures {
                return Err((self.error)());
            }
            Ok(TextResponse {
                text: "ok".into(),
                usage: Usage::default(),
            })
        }
    }

    fn request() -> TextRequest {
        TextRequest {
            task: TextTask::Plan {
                brief: StoryBrief {
                    premise: "a fox finds a kite".into(),
                    age_band: storyloom_domain::AgeBand::Ages3To5,
                    page_count: 4,
                    title: None,
                    cast: vec![],
                },
            },
            system: String::new(),
            prompt: String::new(),
            seed: 0,
            max_tokens: 8,
            json: false,
        }
    }

    fn flaky(failures: u32, error: fn() -> Error) -> (Arc<Flaky>, Retried<dyn TextModel>) {
        let model = Arc::new(Flaky {
            failures,
            calls: AtomicU32::new(0),
            error,
        });
        let inner: Arc<dyn TextModel> = model.clone();
        (model, Retried::new(inner, "flaky"))
    }

    #[tokio::test]
    async fn transient_failures_are_tried_again_up_to_the_limit() {
        let (model, retried) = flaky(CALL_ATTEMPTS - 1, || Error::Transient("429".into()));
        assert_eq!(retried.generate(&request()).await.unwrap().text, "ok");
        assert_eq!(model.calls.load(Ordering::SeqCst), CALL_ATTEMPTS);

        let (model, retried) = flaky(CALL_ATTEMPTS, || Error::Transient("429".into()));
        assert!(matches!(
            retried.generate(&request()).await,
            Err(Error::Transient(_))
        ));
        assert_eq!(model.calls.load(Ordering::SeqCst), CALL_ATTEMPTS);
    }

    #[tokio::test]
    async fn other_failures_and_an_open_circuit_are_not_retried() {
        let (model, retried) = flaky(1, || Error::PolicyBlocked("refused".into()));
        assert!(matches!(
            retried.generate(&request()).await,
            Err(Error::PolicyBlocked(_))
        ));
        assert_eq!(model.calls.load(Ordering::SeqCst), 1);

        let (model, retried) = flaky(1, || Error::CircuitOpen {
            provider: "flaky".into(),
            retry_after_ms: 30_000,
        });
        assert!(matches!(
            retried.generate(&request()).await,
            Err(Error::CircuitOpen { .. })
        ));
        assert_eq!(model.calls.load(Ordering::SeqCst), 1);
    }
}
