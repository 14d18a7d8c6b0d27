//! The `OperationsStore` contract.

use super::*;

/// A breaker reads closed until stored, and is stored only at the version it was read at.
pub async fn breakers_are_shared_and_versioned(f: &Fixture) {
    use storyloom_domain::breaker::Breaker;
    let provider = unique("provider");
    let fresh = f.store.get_breaker(&provider).await.unwrap();
    assert_eq!(fresh, Breaker::closed(&provider));
    let mut failing = fresh.clone();
    failing.on_failure(1_000);
    let stored = f.store.put_breaker(&failing).await.unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(f.store.get_breaker(&provider).await.unwrap(), stored);
    // A second instance that read the breaker before loses its write.
    assert!(matches!(
        f.store.put_breaker(&failing).await,
        Err(Error::Conflict(_))
    ));
    let mut next = stored.clone();
    next.on_failure(2_000);
    assert_eq!(
        f.store
            .put_breaker(&next)
            .await
            .unwrap()
            .consecutive_failures,
        2
    );
}

/// Stage timings (one record) are a compare-and-swap record.
pub async fn timings_are_versioned(f: &Fixture) {
    // Timings are shared by every test on this store: work from what is there.
    let before = f.store.get_timings().await.unwrap();
    let mut next = before.clone();
    next.record(BookStatus::Assembling, 1_234, 4);
    let stored = f.store.put_timings(&next).await.unwrap();
    assert_eq!(stored.version, before.version + 1);
    assert!(matches!(
        f.store.put_timings(&next).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(
        f.store.get_timings().await.unwrap().samples["assembling"].last(),
        Some(&1_234)
    );
}
