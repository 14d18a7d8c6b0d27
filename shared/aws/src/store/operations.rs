//! [`OperationsStore`] on the DynamoDB table: circuit breakers and stage timings.

use super::*;

#[async_trait]
impl OperationsStore for DynamoStore {
    async fn get_breaker(&self, provider: &str) -> Result<Breaker> {
        match self.get_item(breaker_pk(provider), BREAKER.into()).await? {
            Some(item) => from_item(item),
            None => Ok(Breaker::closed(provider)),
        }
    }

    async fn put_breaker(&self, breaker: &Breaker) -> Result<Breaker> {
        let mut next = breaker.clone();
        next.version += 1;
        let item = to_item(&next, breaker_pk(&next.provider), BREAKER.into())?;
        self.put_versioned(
            item,
            breaker.version,
            &format!("breaker {}", breaker.provider),
        )
        .await?;
        Ok(next)
    }

    async fn get_timings(&self) -> Result<StageTimings> {
        match self.get_item(TIMINGS.into(), TIMINGS.into()).await? {
            Some(item) => from_item(item),
            None => Ok(StageTimings::default()),
        }
    }

    async fn put_timings(&self, timings: &StageTimings) -> Result<StageTimings> {
        let next = StageTimings {
            version: timings.version + 1,
            ..timings.clone()
        };
        let item = to_item(&next, TIMINGS.into(), TIMINGS.into())?;
        self.put_versioned(item, timings.version, "stage timings")
            .await?;
        Ok(next)
    }
}
