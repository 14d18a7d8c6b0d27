//! The pipeline's overhead on top of the models: with every text call taking 200 ms and
//! every picture 500 ms, the time books take end to end divided by their critical path of
//! model calls (a book's text calls one after another, then one round of pictures drawn
//! in parallel; for many books at once, the longest of theirs, since every page of every
//! book may be drawn at once). 1.00 would be a pipeline that costs nothing; queues,
//! stores and workers add the rest. Also counted: the durable syncs and write
//! transactions of the store and the queues per book, and the API's throughput and
//! latency while the most books are being made.

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

/// What making some books at once measured.
struct Made {
    /// Elapsed time over the critical path.
    efficiency: f64,
    /// Durable syncs per book (store and queues).
    syncs: f64,
    /// Write transactions per book (store and queues).
    transactions: f64,
    /// The API's figures while the books were made, when asked for.
    load: Option<super::api::Load>,
}

/// Measures `pipeline_efficiency`, `syncs_per_book` and `transactions_per_book` for one,
/// ten and `concurrent` books at once, then the API under the load of `concurrent` books.
pub async fn run(options: &StackOptions, concurrent: usize) -> anyhow::Result<()> {
    let mut sizes = vec![1, 10, concurrent];
    sizes.sort_unstable();
    sizes.dedup();
    for books in sizes {
        let made = make(options, books, false).await?;
        report(
            &format!("pipeline_efficiency_{books}_books"),
            made.efficiency,
        );
        report(&format!("syncs_per_book_{books}_books"), made.syncs);
        report(
            &format!("transactions_per_book_{books}_books"),
            made.transactions,
        );
    }
    let made = make(options, concurrent, true).await?;
    let load = made.load.context("the API was measured")?;
    report(&format!("api_rps_{concurrent}_books_being_made"), load.rps);
    report(
        &format!("api_p95_ms_{concurrent}_books_being_made"),
        load.p95_ms,
    );
    report(
        &format!("api_error_rate_{concurrent}_books_being_made"),
        load.error_rate,
    );
    Ok(())
}

/// Makes `books` books at once on a fresh stack; with `load`, wrk reads the first one's
/// progress meanwhile.
async fn make(options: &StackOptions, books: usize, load: bool) -> anyhow::Result<Made> {
    // Workers wait on the models, not on a core: enough of them that every page of every
    // book can be drawn at once, as Lambda would scale out.
    let options = StackOptions {
        latency: Some(LATENCY),
        workers: Some(books * PAGES as usize),
        ..options.clone()
    };
    let dir = tempfile::tempdir()?;
    let mut stack = LocalStack::open_with(dir.path(), &options).await?;
    stack.start_workers();
    let addr = stack.serve("127.0.0.1:0".parse()?).await?;
    let token = stack.token("bench-reader")?;
    let http = crate::client::signed_in(&token)?;
    let base = format!("http://{addr}");
    super::book::draw_first_picture(&http, &base).await?;
    let (store, queues) = (stack.files.commits(), stack.queue.commits());
    let (syncs, transactions) = (
        store.syncs() + queues.syncs(),
        store.transactions() + queues.transactions(),
    );
    let started = Instant::now();
    let first = super::book::order(&http, &base, PAGES, 0).await?;
    let runs = (0..books).map(|i| {
        let (http, base, first) = (http.clone(), base.clone(), first.clone());
        async move {
            let id = match i {
                0 => first,
                _ => super::book::order(&http, &base, PAGES, i as u64).await?,
            };
            let book = super::book::finished(&http, &base, &id).await?;
            let calls = book["usage"]["calls"]
                .as_u64()
                .context("the book's text calls")?;
            anyhow::Ok(LATENCY.text * calls as u32 + LATENCY.image)
        }
    });
    let measured = async {
        match load {
            true => super::api::progress_load(dir.path(), &base, &token, &first)
                .await
                .map(Some),
            false => Ok(None),
        }
    };
    let (critical, load) = tokio::try_join!(futures::future::try_join_all(runs), measured)?;
    let elapsed = started.elapsed();
    let per_book = |n: u64| n as f64 / books as f64;
    let made = Made {
        // All books at once can finish no sooner than the longest critical path among them.
        efficiency: elapsed.as_secs_f64()
            / critical.into_iter().max().unwrap_or_default().as_secs_f64(),
        syncs: per_book(store.syncs() + queues.syncs() - syncs),
        transactions: per_book(store.transactions() + queues.transactions() - transactions),
        load,
    };
    stack.stop().await;
    Ok(made)
}
