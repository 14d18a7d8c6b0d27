//! Stage timings under many books at once: every book that leaves a stage adds its sample,
//! however many leave together.

use futures::future::join_all;
use storyloom_application::timings::{TimingsCache, stage_ended};
use storyloom_domain::BookStatus;
use storyloom_domain::ports::OperationsStore;
use storyloom_domain::timings::KEEP;
use storyloom_embedded::FileStore;
use storyloom_tests::clock::HandClock;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_book_leaving_a_stage_at_once_leaves_its_sample() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = FileStore::open(&dir.path().join("store.redb")).expect("store opens");
    let clock = HandClock::at(100_000);
    let cache = TimingsCache::default();
    let books = KEEP as u64;
    join_all((0..books).map(|i| {
        stage_ended(
            &store,
            &clock,
            &cache,
            BookStatus::Reviewing,
            100_000 - 1_000 - i,
            12,
        )
    }))
    .await;
    let timings = store.get_timings().await.expect("timings read");
    let mut samples = timings.samples["reviewing"].clone();
    samples.sort_unstable();
    let expected: Vec<u64> = (0..books).map(|i| 1_000 + i).collect();
    assert_eq!(
        samples, expected,
        "one sample per book, none lost to the race"
    );
}
