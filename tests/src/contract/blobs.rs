//! The `BlobStore` contract.

use super::unique;
use crate::fixture::Fixture;
use std::time::Duration;

/// Bytes come back as stored, are replaced by a second put, list under their prefix in key
/// order, and are gone after a delete (which is also fine for a missing key).
pub async fn blobs_round_trip_list_and_delete(f: &Fixture) {
    let prefix = format!("books/{}/", unique("b"));
    let pdf = format!("{prefix}book.pdf");
    let pic = format!("{prefix}pictures/1-a.png");
    assert_eq!(f.blobs.get(&pdf).await.unwrap(), None);
    f.blobs
        .put(&pdf, b"%PDF-1.7 first".to_vec(), "application/pdf")
        .await
        .unwrap();
    f.blobs
        .put(&pdf, b"%PDF-1.7 second".to_vec(), "application/pdf")
        .await
        .unwrap();
    f.blobs
        .put(&pic, vec![0x89, b'P', b'N', b'G'], "image/png")
        .await
        .unwrap();
    f.blobs
        .put(
            &format!("books/{}/book.pdf", unique("other")),
            b"x".to_vec(),
            "application/pdf",
        )
        .await
        .unwrap();
    assert_eq!(
        f.blobs.get(&pdf).await.unwrap().as_deref(),
        Some(&b"%PDF-1.7 second"[..])
    );
    let listed = f.blobs.list(&prefix).await.unwrap();
    assert_eq!(
        listed.iter().map(|b| b.key.as_str()).collect::<Vec<_>>(),
        vec![pdf.as_str(), pic.as_str()]
    );
    assert_eq!(listed[0].size, 15);
    assert!(listed.iter().all(|b| b.modified_ms > 1_600_000_000_000));
    let pictures = f.blobs.list(&format!("{prefix}pictures/")).await.unwrap();
    assert_eq!(pictures.len(), 1);

    f.blobs.delete(&pdf).await.unwrap();
    f.blobs.delete(&pdf).await.unwrap();
    assert_eq!(f.blobs.get(&pdf).await.unwrap(), None);
    assert_eq!(f.blobs.list(&prefix).await.unwrap().len(), 1);
}

/// Keys that could escape a directory or smuggle URL syntax are refused by every store.
pub async fn bad_blob_keys_are_refused(f: &Fixture) {
    for bad in [
        "../escape",
        "books/../../etc/passwd",
        "books//x",
        "a b",
        "a?b=c",
        "",
    ] {
        assert!(
            f.blobs.put(bad, b"x".to_vec(), "text/plain").await.is_err(),
            "{bad:?} was stored"
        );
        assert!(f.blobs.get(bad).await.is_err(), "{bad:?} was read");
    }
}

/// A store that presigns gives a URL that serves the bytes without credentials.
pub async fn a_presigned_url_serves_the_bytes(f: &Fixture) {
    let key = format!("books/{}/book.pdf", unique("b"));
    f.blobs
        .put(&key, b"%PDF-1.7 presigned".to_vec(), "application/pdf")
        .await
        .unwrap();
    match f
        .blobs
        .presign_get(&key, Duration::from_secs(300))
        .await
        .unwrap()
    {
        // The embedded store streams blobs through the API instead.
        None => assert!(f.blobs.get(&key).await.unwrap().is_some()),
        Some(url) => {
            let response = crate::http().get(&url).send().await.unwrap();
            assert!(response.status().is_success(), "{}", response.status());
            assert_eq!(
                response.bytes().await.unwrap().as_ref(),
                b"%PDF-1.7 presigned"
            );
        }
    }
}
