//! [`SpendingStore`] in the store's redb file: budgets and allowances.

use super::*;

#[async_trait]
impl SpendingStore for FileStore {
    async fn get_budget(&self, owner: &OwnerId) -> Result<Budget> {
        let key = owner.to_string();
        let found: Option<Budget> = self
            .read(move |tx| get_json(&tx.open_table(BUDGETS).map_err(err)?, &key))
            .await?;
        Ok(found.unwrap_or_else(|| Budget::new(owner.clone())))
    }

    async fn put_budget(&self, budget: &Budget) -> Result<Budget> {
        let expected = budget.version;
        let next = Budget {
            version: expected + 1,
            ..budget.clone()
        };
        self.write(move |tx| {
            let mut t = tx.open_table(BUDGETS).map_err(err)?;
            put_versioned(
                &mut t,
                next.owner.as_str(),
                &next,
                expected,
                |b: &Budget| b.version,
            )?;
            Ok(next)
        })
        .await
    }

    async fn get_allowance(&self, owner: &OwnerId) -> Result<Option<Allowance>> {
        let key = owner.to_string();
        self.read(move |tx| get_json(&tx.open_table(ALLOWANCES).map_err(err)?, &key))
            .await
    }

    async fn put_allowance(&self, allowance: &Allowance) -> Result<Allowance> {
        let expected = allowance.version;
        let next = Allowance {
            version: expected + 1,
            ..allowance.clone()
        };
        self.write(move |tx| {
            let mut t = tx.open_table(ALLOWANCES).map_err(err)?;
            put_versioned(
                &mut t,
                next.owner.as_str(),
                &next,
                expected,
                |a: &Allowance| a.version,
            )?;
            Ok(next)
        })
        .await
    }
}
