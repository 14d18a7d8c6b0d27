//! The local stack's metrics: every sample aggregated in this process (count, sum, min,
//! max, and percentiles over the most recent samples), for `/v1/metrics`.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use storyloom_domain::metrics::{Metrics, Sample, Summary, Unit, percentile};

/// Samples kept per metric for its percentiles.
const RECENT: usize = 1024;

struct Aggregate {
    unit: Unit,
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
    recent: VecDeque<f64>,
}

/// Metrics aggregated in memory.
#[derive(Default)]
pub struct MetricsRegistry {
    metrics: Mutex<HashMap<(&'static str, Option<String>), Aggregate>>,
}

impl MetricsRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Metrics for MetricsRegistry {
    fn record(&self, sample: Sample) {
        let key = (
            sample.name,
            sample.dimension.map(|(k, v)| format!("{k}={v}")),
        );
        // A poisoned lock only means a recorder panicked mid-update of plain numbers.
        let mut metrics = self.metrics.lock().unwrap_or_else(|e| e.into_inner());
        let a = metrics.entry(key).or_insert_with(|| Aggregate {
            unit: sample.unit,
            count: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            recent: VecDeque::with_capacity(RECENT),
        });
        a.count += 1;
        a.sum += sample.value;
        a.min = a.min.min(sample.value);
        a.max = a.max.max(sample.value);
        if a.recent.len() == RECENT {
            a.recent.pop_front();
        }
        a.recent.push_back(sample.value);
    }

    fn summaries(&self) -> Option<Vec<Summary>> {
        let metrics = self.metrics.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<Summary> = metrics
            .iter()
            .map(|((name, dimension), a)| {
                let mut sorted: Vec<f64> = a.recent.iter().copied().collect();
                sorted.sort_by(f64::total_cmp);
                Summary {
                    name: (*name).to_owned(),
                    dimension: dimension.clone(),
                    unit: a.unit,
                    count: a.count,
                    sum: a.sum,
                    min: a.min,
                    max: a.max,
                    p50: percentile(&sorted, 0.50),
                    p95: percentile(&sorted, 0.95),
                }
            })
            .collect();
        out.sort_by(|a, b| (&a.name, &a.dimension).cmp(&(&b.name, &b.dimension)));
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_aggregate_per_name_and_dimension() {
        let r = MetricsRegistry::new();
        for ms in 1..=100 {
            r.record(Sample::millis("StageDuration", f64::from(ms)).by("Stage", "story"));
        }
        r.record(Sample::millis("StageDuration", 7.0).by("Stage", "review"));
        let all = r.summaries().expect("kept in process");
        assert_eq!(all.len(), 2);
        let story = all
            .iter()
            .find(|s| s.dimension.as_deref() == Some("Stage=story"))
            .expect("story");
        assert_eq!(story.count, 100);
        assert_eq!(story.sum, 5050.0);
        assert_eq!((story.min, story.max), (1.0, 100.0));
        assert_eq!(story.p50, 51.0);
        assert_eq!(story.p95, 95.0);
    }
}
