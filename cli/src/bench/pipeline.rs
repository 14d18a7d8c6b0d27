//! The pipeline's overhead on top of the models: with every text call taking 200 ms and
//! every picture 500 ms, a book's end-to-end time divided by its critical path of model
//! calls (its text calls one after another, then one round of pictures drawn in
//! parallel). 1.00 would be a pipeline that costs nothing; queues, stores and workers
//! add the rest.

use super::latency::FixedLatency;
use super::report;
use crate::LocalStack;
use crate::stack::StackOptions;
use anyhow::Context;
use std::time::{Duration, Instant};

/// The model latencies of the measurement.
pub const LATENCY: FixedLatency = FixedLatency {
    text: Duration::from_millis(200),
    image: Duration::from_millis(500),
};
/// Pages per book.
const PAGES: u32 = 12;

/// Measures `pipeline_efficiency` for one book and for `concurrent` books at once.
pub async fn run(options: &StackOptions, concurrent: usize) -> anyhow::Result<()> {
    // Workers wait on the models, not on a core: enough of them that every page of every
    // book can be drawn at once, as Lambda would scale out.
    let options = StackOptions {
        latency: Some(LATENCY),
        workers: Some(concurrent * PAGES as usize),
        ..options.clone()
    };
    for (name, books) in [
        ("pipeline_efficiency_1_book", 1),
        (
            &*format!("pipeline_efficiency_{concurrent}_books"),
            concurrent,
        ),
    ] {
        let dir = tempfile::tempdir()?;
        let mut stack = LocalStack::open_with(dir.path(), &options).await?;
        stack.start_workers();
        let addr = stack.serve("127.0.0.1:0".parse()?).await?;
        let http = crate::client::signed_in(&stack.token("bench-reader")?)?;
        let base = format!("http://{addr}");
        let started = Instant::now();
        let runs = (0..books).map(|i| {
            let (http, base) = (http.clone(), base.clone());
            async move {
                let ordered = Instant::now();
                let id = super::book::order(&http, &base, PAGES, i as u64).await?;
                let book = super::book::finished(&http, &base, &id).await?;
                let calls = book["usage"]["calls"]
                    .as_u64()
                    .context("the book's text calls")?;
                let critical = LATENCY.text * calls as u32 + LATENCY.image;
                anyhow::Ok((ordered.elapsed(), critical))
            }
        });
        let done = futures::future::try_join_all(runs).await?;
        let elapsed = started.elapsed();
        // All books at once can finish no sooner than the longest critical path among them.
        let critical = done.iter().map(|(_, c)| *c).max().unwrap_or_default();
        report(name, elapsed.as_secs_f64() / critical.as_secs_f64());
        stack.stop().await;
    }
    Ok(())
}
