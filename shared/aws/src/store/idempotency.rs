//! [`IdempotencyStore`] on the DynamoDB table: idempotency records.

use super::*;

#[async_trait]
impl IdempotencyStore for DynamoStore {
    async fn claim_idempotency(&self, record: &IdempotencyRecord, now: u64) -> Result<Claim> {
        let mut item = to_item(record, idem_pk(&record.key), IDEM.into())?;
        // DynamoDB's TTL reads epoch seconds.
        item.insert(TTL_ATTRIBUTE.into(), n(record.expires_at_ms / 1000));
        for _ in 0..3 {
            let put = self
                .client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(item.clone()))
                .condition_expression(
                    "attribute_not_exists(#pk) OR #expires <= :now \
                     OR (#status = :in_progress AND #until <= :now)",
                )
                .expression_attribute_names("#pk", PK)
                .expression_attribute_names("#expires", "expires_at_ms")
                .expression_attribute_names("#status", "status")
                .expression_attribute_names("#until", "in_progress_until_ms")
                .expression_attribute_values(":now", n(now))
                .expression_attribute_values(
                    ":in_progress",
                    attribute(IdempotencyStatus::InProgress)?,
                )
                .send()
                .await;
            match put {
                Ok(_) => return Ok(Claim::Started),
                Err(e) if code(&e) == Some(CONDITION_FAILED) => {
                    // Held by another request; if it vanished meanwhile, claim again.
                    if let Some(existing) = self.get_item(idem_pk(&record.key), IDEM.into()).await?
                    {
                        return Ok(Claim::Existing(from_item(existing)?));
                    }
                }
                Err(e) => return Err(classify("claiming an idempotency key", e)),
            }
        }
        Err(Error::Transient(format!(
            "idempotency key {} kept changing hands",
            record.key
        )))
    }

    async fn complete_idempotency(&self, key: &str, response: &StoredResponse) -> Result<()> {
        let response = attribute(response)?;
        let status = attribute(IdempotencyStatus::Completed)?;
        match self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(idem_pk(key), IDEM.into())))
            .update_expression("SET #status = :status, #response = :response")
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#response", "response")
            .expression_attribute_values(":status", status)
            .expression_attribute_values(":response", response)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if code(&e) == Some(CONDITION_FAILED) => {
                Err(Error::NotFound(format!("idempotency record {key}")))
            }
            Err(e) => Err(classify("completing an idempotency record", e)),
        }
    }

    async fn release_idempotency(&self, key: &str) -> Result<()> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(idem_pk(key), IDEM.into())))
            .send()
            .await
            .map_err(|e| classify("releasing an idempotency key", e))?;
        Ok(())
    }

    async fn purge_expired(&self, _now: u64) -> Result<u32> {
        // DynamoDB's TTL deletes expired records (`expires_at`); expired ones it has not
        // reached yet are already treated as absent by `claim_idempotency`.
        Ok(0)
    }
}
