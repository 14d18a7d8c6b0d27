//! The `Secrets` contract.

use super::unique;
use crate::fixture::{Fixture, SECRET_TTL};

/// A missing secret is `None`; a set one is read; a rotated value shows once the cache
/// expires, not before.
pub async fn secrets_are_read_and_cached_for_their_ttl(f: &Fixture) {
    let name = unique("storyloom-test-key");
    assert_eq!(f.secrets.get(&name).await.unwrap(), None);
    f.secret_writer.set(&name, "first").await;
    tokio::time::sleep(SECRET_TTL).await;
    let cached = std::time::Instant::now();
    assert_eq!(
        f.secrets.get(&name).await.unwrap().as_deref(),
        Some("first")
    );
    f.secret_writer.set(&name, "second").await;
    let read = f.secrets.get(&name).await.unwrap();
    // Only while the cached value is surely young: a machine slow enough to spend the TTL
    // on one write may rightly have re-read it.
    if cached.elapsed() < SECRET_TTL {
        assert_eq!(read.as_deref(), Some("first"), "the cache was bypassed");
    }
    tokio::time::sleep(SECRET_TTL).await;
    assert_eq!(
        f.secrets.get(&name).await.unwrap().as_deref(),
        Some("second"),
        "the cache never expired"
    );
}
