//! Metrics as CloudWatch Embedded Metric Format: one JSON line per sample on standard
//! output, which Lambda ships to CloudWatch Logs, where CloudWatch extracts the metric.
//! No API call, no batching to lose on a frozen or retired environment.

use serde_json::{Map, Value, json};
use std::io::Write;
use std::sync::Mutex;
use storyloom_domain::metrics::{Metrics, Sample, Summary};

/// The CloudWatch namespace of every Storyloom metric.
pub const NAMESPACE: &str = "Storyloom";

/// Writes EMF lines to a writer (standard output in a function).
pub struct EmfMetrics {
    service: String,
    function: String,
    out: Mutex<Box<dyn Write + Send>>,
}

impl EmfMetrics {
    /// Metrics of `function` in `service`, written to standard output.
    pub fn stdout(service: &str, function: &str) -> Self {
        Self::to(service, function, Box::new(std::io::stdout()))
    }

    /// As [`EmfMetrics::stdout`], written to `out`.
    pub fn to(service: &str, function: &str, out: Box<dyn Write + Send>) -> Self {
        EmfMetrics {
            service: service.to_owned(),
            function: function.to_owned(),
            out: Mutex::new(out),
        }
    }

    /// The EMF document for one sample at `timestamp_ms`. A sample with a dimension is
    /// published twice over: broken down by it, and as the service's total (which alarms
    /// can watch without knowing every value of the dimension).
    pub fn document(&self, sample: &Sample, timestamp_ms: u64) -> Value {
        let mut dimensions = vec![vec!["Service"]];
        let mut line = Map::new();
        line.insert("Service".into(), json!(self.service));
        line.insert("Function".into(), json!(self.function));
        if let Some((key, value)) = &sample.dimension {
            dimensions.insert(0, vec!["Service", key]);
            line.insert((*key).to_owned(), json!(value));
        }
        line.insert(sample.name.to_owned(), json!(sample.value));
        line.insert(
            "_aws".into(),
            json!({
                "Timestamp": timestamp_ms,
                "CloudWatchMetrics": [{
                    "Namespace": NAMESPACE,
                    "Dimensions": dimensions,
                    "Metrics": [{"Name": sample.name, "Unit": sample.unit.as_str()}]
                }]
            }),
        );
        Value::Object(line)
    }
}

impl Metrics for EmfMetrics {
    fn record(&self, sample: Sample) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or_default();
        let line = self.document(&sample, now).to_string();
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        // Standard output closed: the metric has nowhere to go and the call must not fail.
        let _ = writeln!(out, "{line}");
    }

    fn summaries(&self) -> Option<Vec<Summary>> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_sample_is_one_emf_line_with_its_dimension() {
        let captured = Captured::default();
        let m = EmfMetrics::to("storyloom", "illustrate-page", Box::new(captured.clone()));
        m.record(Sample::millis("StageDuration", 12.5).by("Stage", "illustrate"));
        m.record(Sample::count("ColdStarts", 1.0));
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        let first = &lines[0];
        assert_eq!(first["StageDuration"], 12.5);
        assert_eq!(first["Stage"], "illustrate");
        assert_eq!(first["Function"], "illustrate-page");
        let directive = &first["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], NAMESPACE);
        assert_eq!(
            directive["Dimensions"],
            json!([["Service", "Stage"], ["Service"]])
        );
        assert_eq!(
            directive["Metrics"],
            json!([{"Name": "StageDuration", "Unit": "Milliseconds"}])
        );
        assert!(first["_aws"]["Timestamp"].as_u64().unwrap() > 1_700_000_000_000);
        assert_eq!(
            lines[1]["_aws"]["CloudWatchMetrics"][0]["Dimensions"],
            json!([["Service"]])
        );
        assert!(m.summaries().is_none());
    }
}
