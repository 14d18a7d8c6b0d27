//! [`IdempotencyStore`] in the store's redb file: idempotency records.

use super::*;

#[async_trait]
impl IdempotencyStore for FileStore {
    async fn claim_idempotency(&self, record: &IdempotencyRecord, now: u64) -> Result<Claim> {
        let record = record.clone();
        self.write(move |tx| {
            let mut t = tx.open_table(IDEMPOTENCY).map_err(err)?;
            if let Some(existing) = get_json::<IdempotencyRecord>(&t, &record.key)?
                && existing.holds(now)
            {
                return Ok(Claim::Existing(existing));
            }
            t.insert(record.key.as_str(), to_json(&record)?.as_str())
                .map_err(err)?;
            Ok(Claim::Started)
        })
        .await
    }

    async fn complete_idempotency(&self, key: &str, response: &StoredResponse) -> Result<()> {
        let key = key.to_owned();
        let response = response.clone();
        self.write(move |tx| {
            let mut t = tx.open_table(IDEMPOTENCY).map_err(err)?;
            let Some(mut record) = get_json::<IdempotencyRecord>(&t, &key)? else {
                return Err(Error::NotFound(format!("idempotency record {key}")));
            };
            record.status = IdempotencyStatus::Completed;
            record.response = Some(response);
            t.insert(key.as_str(), to_json(&record)?.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn release_idempotency(&self, key: &str) -> Result<()> {
        let key = key.to_owned();
        self.write(move |tx| {
            tx.open_table(IDEMPOTENCY)
                .map_err(err)?
                .remove(key.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn purge_expired(&self, now: u64) -> Result<u32> {
        self.write(move |tx| {
            let expired =
                purge_where::<IdempotencyRecord>(tx, IDEMPOTENCY, now, |r| r.expires_at_ms)?;
            let idle = purge_where::<Allowance>(tx, ALLOWANCES, now, Allowance::expires_at_ms)?;
            let live = crate::live::purge_expired(tx, now)?;
            Ok(expired + idle + live)
        })
        .await
    }
}
