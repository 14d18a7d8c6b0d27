//! `storyloom bench`: the performance figures, one `name=value` line each. What is measured
//! and how is documented on each module; the targets live in the README beside the last
//! figures, never in tests.

pub mod api;
#[cfg(feature = "aws")]
pub mod aws_ops;
mod book;
pub mod cold_start;
pub mod handler;
pub mod latency;
pub mod pipeline;

use crate::stack::StackOptions;
use std::path::PathBuf;
use storyloom_domain::Limits;
pub use storyloom_domain::metrics::percentile;
use storyloom_embedded::Grouping;

/// What to run.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Where the release function binaries are (for the cold starts).
    pub binaries: PathBuf,
    /// Books made at once for the concurrent pipeline figure.
    pub concurrent_books: usize,
    /// The benchmarks to run (`cold-start`, `handler`, `api`, `pipeline`, `aws-ops`); all
    /// when empty.
    pub only: Vec<String>,
    /// An AWS API server (`moto_server`) for the per-book AWS requests and cost.
    pub aws: Option<String>,
    /// Whether the embedded store and queues share durable syncs (the default), or sync
    /// every transaction, for comparison.
    pub grouping: Grouping,
}

impl BenchOptions {
    fn wants(&self, name: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == name)
    }
}

/// Prints one figure as it is measured.
pub fn report(name: &str, value: f64) {
    // Dollars per book are small: they keep their significant digits.
    if value != 0.0 && value.abs() < 0.01 {
        println!("{name}={value:.7}");
    } else {
        println!("{name}={value:.3}");
    }
}

/// Limits out of the way: the benchmarks measure capacity, and the limits are per user.
pub(crate) const UNLIMITED: Limits = Limits {
    requests_per_minute: u32::MAX / 2,
    burst: u32::MAX / 2,
    books_per_day: u32::MAX / 2,
    concurrent_books: u32::MAX / 2,
};

/// Runs every benchmark.
pub async fn run(options: &BenchOptions) -> anyhow::Result<()> {
    let stack = StackOptions {
        limits: Some(UNLIMITED),
        grouping: options.grouping,
        ..StackOptions::default()
    };
    if options.wants("cold-start") {
        cold_start::run(&options.binaries).await?;
    }
    if options.wants("handler") {
        handler::run(&stack).await?;
    }
    if options.wants("api") {
        api::run(&stack).await?;
    }
    if options.wants("pipeline") {
        pipeline::run(&stack, options.concurrent_books).await?;
    }
    if options.wants("aws-ops") {
        match &options.aws {
            #[cfg(feature = "aws")]
            Some(endpoint) => aws_ops::run(endpoint).await?,
            #[cfg(not(feature = "aws"))]
            Some(_) => anyhow::bail!(crate::WITHOUT_AWS),
            None => eprintln!(
                "aws_ops_per_book and infra_usd_per_book need an AWS API server: \
                 --aws http://127.0.0.1:5000 (a moto_server), built with --features aws"
            ),
        }
    }
    Ok(())
}
