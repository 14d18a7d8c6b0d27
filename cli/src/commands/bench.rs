//! `storyloom bench`: the performance figures, one `name=value` line each.

use clap::Args;
use std::path::PathBuf;
use storyloom_cli::bench::{self, BenchOptions};
use storyloom_embedded::Grouping;

#[derive(Args)]
pub struct Bench {
    /// The release build's output directory, holding the function binaries.
    #[arg(long, default_value = "target/release")]
    binaries: PathBuf,
    /// Books made at once for the concurrent pipeline figure.
    #[arg(long, default_value_t = 50)]
    concurrent_books: usize,
    /// Run only these (comma-separated): cold-start, handler, api, pipeline, aws-ops.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// An AWS API server (e.g. moto_server) for the per-book AWS requests and cost.
    #[arg(long, value_name = "ENDPOINT")]
    aws: Option<String>,
    /// Sync the embedded store and queues after every write transaction instead of once
    /// per group of concurrent ones (to compare the two).
    #[arg(long)]
    sync_each_transaction: bool,
}

impl Bench {
    pub async fn run(self) -> anyhow::Result<()> {
        bench::run(&BenchOptions {
            binaries: self.binaries,
            concurrent_books: self.concurrent_books,
            only: self.only,
            aws: self.aws,
            grouping: match self.sync_each_transaction {
                true => Grouping::PerTransaction,
                false => Grouping::Grouped,
            },
        })
        .await
    }
}
