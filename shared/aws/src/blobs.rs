//! `BlobStore` on a private S3 bucket. Downloads go through presigned GET URLs, so the
//! bucket never needs public access.

use crate::error::{classify, code};
use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use std::time::Duration;
use storyloom_domain::ports::{BlobInfo, BlobStore};
use storyloom_domain::{Error, Result, blob_key};

/// The bucket.
#[derive(Clone, Debug)]
pub struct S3Blobs {
    client: Client,
    bucket: String,
}

impl S3Blobs {
    /// Blobs in `bucket`.
    pub fn new(client: Client, bucket: impl Into<String>) -> Self {
        S3Blobs {
            client,
            bucket: bucket.into(),
        }
    }
}

#[async_trait]
impl BlobStore for S3Blobs {
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<()> {
        blob_key::check(key)?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| classify("storing a blob", e))?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        blob_key::check(key)?;
        let out = match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) if matches!(code(&e), Some("NoSuchKey" | "NotFound")) => return Ok(None),
            Err(e) => return Err(classify("reading a blob", e)),
        };
        let bytes = out
            .body
            .collect()
            .await
            .map_err(|e| Error::Transient(format!("reading blob {key}: {e}")))?;
        Ok(Some(bytes.into_bytes().to_vec()))
    }

    async fn delete(&self, key: &str) -> Result<()> {
        blob_key::check(key)?;
        // S3 deletes are idempotent: a missing key is not an error.
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| classify("deleting a blob", e))?;
        Ok(())
    }

    async fn presign_get(&self, key: &str, ttl: Duration) -> Result<Option<String>> {
        blob_key::check(key)?;
        let config = PresigningConfig::expires_in(ttl)
            .map_err(|e| Error::Permanent(format!("presigning {key}: {e}")))?;
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .presigned(config)
            .await
            .map_err(|e| classify("presigning a download", e))?;
        Ok(Some(request.uri().to_owned()))
    }

    async fn list(&self, prefix: &str) -> Result<Vec<BlobInfo>> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(prefix)
                .set_continuation_token(token.take())
                .send()
                .await
                .map_err(|e| classify("listing blobs", e))?;
            for object in page.contents.unwrap_or_default() {
                let Some(key) = object.key else { continue };
                out.push(BlobInfo {
                    key,
                    size: object.size.unwrap_or(0).max(0) as u64,
                    modified_ms: object
                        .last_modified
                        .and_then(|t| t.to_millis().ok())
                        .map_or(0, |ms| ms.max(0) as u64),
                });
            }
            match page.next_continuation_token {
                Some(t) if page.is_truncated == Some(true) => token = Some(t),
                _ => break,
            }
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }
}
