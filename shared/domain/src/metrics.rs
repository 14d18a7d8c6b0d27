//! What Storyloom measures, and the port it reports through. Every sample has a name, a
//! value, a unit and at most one dimension (stage, model, error class, outcome), so the
//! same figures read alike in CloudWatch (Embedded Metric Format) and on the local stack's
//! `/v1/metrics`.

use serde::Serialize;

/// A metric's unit, as CloudWatch names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
pub enum Unit {
    Count,
    Milliseconds,
    /// US dollars (CloudWatch has no currency unit).
    None,
}

impl Unit {
    /// The CloudWatch name of the unit.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "Count",
            Unit::Milliseconds => "Milliseconds",
            Unit::None => "None",
        }
    }
}

/// One measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: &'static str,
    pub value: f64,
    pub unit: Unit,
    /// The one dimension the sample is broken down by, if any: (`Stage`, `illustrate`).
    pub dimension: Option<(&'static str, String)>,
}

impl Sample {
    /// A count of `n`.
    pub fn count(name: &'static str, n: f64) -> Self {
        Sample {
            name,
            value: n,
            unit: Unit::Count,
            dimension: None,
        }
    }

    /// A duration in milliseconds.
    pub fn millis(name: &'static str, ms: f64) -> Self {
        Sample {
            name,
            value: ms,
            unit: Unit::Milliseconds,
            dimension: None,
        }
    }

    /// An amount of US dollars.
    pub fn dollars(name: &'static str, usd: f64) -> Self {
        Sample {
            name,
            value: usd,
            unit: Unit::None,
            dimension: None,
        }
    }

    /// The same sample, broken down by `key` = `value`.
    pub fn by(self, key: &'static str, value: impl Into<String>) -> Self {
        Sample {
            dimension: Some((key, value.into())),
            ..self
        }
    }
}

/// The metric names.
pub mod names {
    /// Books ordered.
    pub const BOOKS_REQUESTED: &str = "BooksRequested";
    /// Books that reached an end, by `Outcome` (ready, partial, failed).
    pub const BOOKS_FINISHED: &str = "BooksFinished";
    /// Time a stage took to handle one message, by `Stage`.
    pub const STAGE_DURATION: &str = "StageDuration";
    /// Time a model call took, by `Model`.
    pub const MODEL_LATENCY: &str = "ModelLatency";
    /// Model calls that failed, by `ErrorClass`.
    pub const MODEL_ERRORS: &str = "ModelErrors";
    /// Tokens in and out of text models, by `Model`.
    pub const TOKENS: &str = "Tokens";
    /// Pictures drawn, by `Model`.
    pub const IMAGES: &str = "Images";
    /// What model calls cost, in US dollars, by `Model`.
    pub const COST: &str = "ModelCost";
    /// Messages waiting in dead-letter queues, by `Stage` (sampled by the redrive job).
    pub const DEAD_LETTERS: &str = "DeadLetters";
    /// Function instances started (Lambda cold starts; one per local stack).
    pub const COLD_STARTS: &str = "ColdStarts";

    /// Every metric.
    pub const ALL: [&str; 10] = [
        BOOKS_REQUESTED,
        BOOKS_FINISHED,
        STAGE_DURATION,
        MODEL_LATENCY,
        MODEL_ERRORS,
        TOKENS,
        IMAGES,
        COST,
        DEAD_LETTERS,
        COLD_STARTS,
    ];
}

/// Aggregates of one metric (one name and dimension), as a metrics view shows them.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub name: String,
    pub dimension: Option<String>,
    pub unit: Unit,
    pub count: u64,
    pub sum: f64,
    pub min: f64,
    pub max: f64,
    /// Median of the most recent samples.
    pub p50: f64,
    /// 95th percentile of the most recent samples.
    pub p95: f64,
}

/// The value at quantile `q` (0 to 1) of samples sorted ascending, by nearest rank; NaN
/// when there are none.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n => sorted[((q * (n - 1) as f64).round() as usize).min(n - 1)],
    }
}

/// Where samples go: Embedded Metric Format lines on Lambda, an in-process registry on
/// the local stack. Recording never fails and never blocks on I/O a caller waits for.
pub trait Metrics: Send + Sync {
    /// Records one sample.
    fn record(&self, sample: Sample);

    /// The aggregates so far, from an adapter that keeps them in this process; `None`
    /// from one that ships every sample elsewhere (CloudWatch is then the view).
    fn summaries(&self) -> Option<Vec<Summary>>;
}
