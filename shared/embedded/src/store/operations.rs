//! [`OperationsStore`] in the store's redb file: circuit breakers and stage timings.

use super::*;

#[async_trait]
impl OperationsStore for FileStore {
    async fn get_breaker(&self, provider: &str) -> Result<Breaker> {
        let key = provider.to_owned();
        let found: Option<Breaker> = self
            .read(move |tx| get_json(&tx.open_table(BREAKERS).map_err(err)?, &key))
            .await?;
        Ok(found.unwrap_or_else(|| Breaker::closed(provider)))
    }

    async fn put_breaker(&self, breaker: &Breaker) -> Result<Breaker> {
        let expected = breaker.version;
        let next = Breaker {
            version: expected + 1,
            ..breaker.clone()
        };
        self.write(move |tx| {
            let mut t = tx.open_table(BREAKERS).map_err(err)?;
            put_versioned(&mut t, &next.provider, &next, expected, |b: &Breaker| {
                b.version
            })?;
            Ok(next)
        })
        .await
    }

    async fn get_timings(&self) -> Result<StageTimings> {
        let found: Option<StageTimings> = self
            .read(|tx| get_json(&tx.open_table(TIMINGS).map_err(err)?, TIMINGS_KEY))
            .await?;
        Ok(found.unwrap_or_default())
    }

    async fn put_timings(&self, timings: &StageTimings) -> Result<StageTimings> {
        let expected = timings.version;
        let next = StageTimings {
            version: expected + 1,
            ..timings.clone()
        };
        self.write(move |tx| {
            let mut t = tx.open_table(TIMINGS).map_err(err)?;
            put_versioned(&mut t, TIMINGS_KEY, &next, expected, |t: &StageTimings| {
                t.version
            })?;
            Ok(next)
        })
        .await
    }
}
