//! The `IdempotencyStore` contract.

use super::*;

/// An idempotency key is claimed once; the claim is seen by a second request; a completed
/// record replays until it expires; an abandoned in-progress claim can be taken over after
/// its in-progress expiry; a released key is free again; expired records can be purged.
pub async fn idempotency_keys_are_claimed_once_and_expire(f: &Fixture) {
    use storyloom_domain::idempotency::{
        Claim, IN_PROGRESS_TTL_MS, IdempotencyRecord, IdempotencyStatus, RECORD_TTL_MS,
        StoredResponse,
    };
    let now = 1_800_000_000_000;
    let key = unique("owner:POST /v1/books:key");
    let first = IdempotencyRecord::claim(key.clone(), "hash-a".into(), now);
    assert_eq!(
        f.store.claim_idempotency(&first, now).await.unwrap(),
        Claim::Started
    );
    let second = IdempotencyRecord::claim(key.clone(), "hash-b".into(), now + 10);
    match f.store.claim_idempotency(&second, now + 10).await.unwrap() {
        Claim::Existing(r) => {
            assert_eq!(r.status, IdempotencyStatus::InProgress);
            assert_eq!(r.payload_hash, "hash-a");
        }
        Claim::Started => panic!("a held key was claimed twice"),
    }
    let response = StoredResponse {
        status: 202,
        content_type: Some("application/json".into()),
        location: Some("/v1/books/b-1".into()),
        body: "{\"id\":\"b-1\"}".into(),
    };
    f.store.complete_idempotency(&key, &response).await.unwrap();
    // Completed records outlive the in-progress expiry.
    let later = now + IN_PROGRESS_TTL_MS + 1;
    match f
        .store
        .claim_idempotency(
            &IdempotencyRecord::claim(key.clone(), "hash-a".into(), later),
            later,
        )
        .await
        .unwrap()
    {
        Claim::Existing(r) => {
            assert_eq!(r.status, IdempotencyStatus::Completed);
            assert_eq!(r.response, Some(response.clone()));
        }
        Claim::Started => panic!("a completed record was overwritten"),
    }
    // ... until the record itself expires.
    let expired = now + RECORD_TTL_MS;
    assert_eq!(
        f.store
            .claim_idempotency(
                &IdempotencyRecord::claim(key.clone(), "hash-c".into(), expired),
                expired
            )
            .await
            .unwrap(),
        Claim::Started
    );

    // A crashed holder blocks only until its in-progress expiry.
    let stuck = unique("owner:POST /v1/books:stuck");
    let claim = |at: u64| IdempotencyRecord::claim(stuck.clone(), "h".into(), at);
    f.store.claim_idempotency(&claim(now), now).await.unwrap();
    assert!(matches!(
        f.store
            .claim_idempotency(&claim(now + 1), now + 1)
            .await
            .unwrap(),
        Claim::Existing(_)
    ));
    let takeover = now + IN_PROGRESS_TTL_MS;
    assert_eq!(
        f.store
            .claim_idempotency(&claim(takeover), takeover)
            .await
            .unwrap(),
        Claim::Started
    );
    // A released key is free at once.
    f.store.release_idempotency(&stuck).await.unwrap();
    assert_eq!(
        f.store
            .claim_idempotency(&claim(takeover + 1), takeover + 1)
            .await
            .unwrap(),
        Claim::Started
    );
    assert!(
        f.store
            .complete_idempotency(&unique("missing"), &response)
            .await
            .is_err()
    );
    // Purging never removes a live record (stores with native expiry purge nothing).
    f.store.purge_expired(now).await.unwrap();
    assert!(matches!(
        f.store
            .claim_idempotency(&claim(takeover + 2), takeover + 2)
            .await
            .unwrap(),
        Claim::Existing(_)
    ));
}
