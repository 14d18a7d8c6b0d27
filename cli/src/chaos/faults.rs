//! Fault injection for the models: the offline models wrapped so a share of calls fail the
//! way managed providers do (timeouts after a wait, throttling at once), some pictures are
//! refused by a content policy, and every call takes a little longer. Deterministic for a
//! seed, so a run can be repeated.

use async_trait::async_trait;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use storyloom_domain::ports::{
    ImageModel, ImageRequest, ImageResponse, ModelInfo, TextModel, TextRequest, TextResponse,
};
use storyloom_domain::{Error, Result};

/// What to inject.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Faults {
    /// Share of calls that fail transiently (half as timeouts, half as throttling).
    pub fail_rate: f64,
    /// Share of pictures refused by the content policy.
    pub policy_rate: f64,
    /// Extra latency per call, drawn uniformly up to this.
    pub max_latency: Duration,
    pub seed: u64,
}

/// What one call meets.
enum Fate {
    Answer,
    Timeout,
    Throttled,
    Refused,
}

/// Draws each call's fate from a seeded sequence.
struct Dice {
    faults: Faults,
    calls: AtomicU64,
}

impl Dice {
    async fn roll(&self, can_refuse: bool) -> Fate {
        let n = self.calls.fetch_add(1, Ordering::Relaxed);
        let mut rng =
            ChaCha8Rng::seed_from_u64(self.faults.seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let latency = self.faults.max_latency.mul_f64(rng.random::<f64>());
        tokio::time::sleep(latency).await;
        let x: f64 = rng.random();
        if x < self.faults.fail_rate / 2.0 {
            // A timeout costs its wait before it fails.
            tokio::time::sleep(self.faults.max_latency).await;
            Fate::Timeout
        } else if x < self.faults.fail_rate {
            Fate::Throttled
        } else if can_refuse && x < self.faults.fail_rate + self.faults.policy_rate {
            Fate::Refused
        } else {
            Fate::Answer
        }
    }
}

/// A text model with injected faults.
pub struct FaultyText {
    inner: Arc<dyn TextModel>,
    dice: Dice,
}

/// An image model with injected faults.
pub struct FaultyImage {
    inner: Arc<dyn ImageModel>,
    dice: Dice,
}

impl FaultyText {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn TextModel>, faults: Faults) -> Self {
        FaultyText {
            inner,
            dice: Dice {
                faults,
                calls: AtomicU64::new(0),
            },
        }
    }
}

impl FaultyImage {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn ImageModel>, faults: Faults) -> Self {
        FaultyImage {
            inner,
            dice: Dice {
                faults: Faults {
                    seed: faults.seed.rotate_left(17),
                    ..faults
                },
                calls: AtomicU64::new(0),
            },
        }
    }
}

fn injected(fate: &Fate) -> Option<Error> {
    match fate {
        Fate::Answer => None,
        Fate::Timeout => Some(Error::Transient(
            "injected fault: the provider timed out".into(),
        )),
        Fate::Throttled => Some(Error::Transient(
            "injected fault: the provider is throttling (429)".into(),
        )),
        Fate::Refused => Some(Error::PolicyBlocked(
            "injected fault: the provider's content filter refused the picture".into(),
        )),
    }
}

#[async_trait]
impl TextModel for FaultyText {
    fn info(&self) -> ModelInfo {
        self.inner.info()
    }

    async fn generate(&self, request: &TextRequest) -> Result<TextResponse> {
        match injected(&self.dice.roll(false).await) {
            Some(e) => Err(e),
            None => self.inner.generate(request).await,
        }
    }
}

#[async_trait]
impl ImageModel for FaultyImage {
    fn info(&self) -> ModelInfo {
        self.inner.info()
    }

    async fn draw(&self, request: &ImageRequest) -> Result<ImageResponse> {
        match injected(&self.dice.roll(true).await) {
            Some(e) => Err(e),
            None => self.inner.draw(request).await,
        }
    }
}
