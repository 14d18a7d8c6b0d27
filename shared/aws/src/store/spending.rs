//! [`SpendingStore`] on the DynamoDB table: budgets and allowances.

use super::*;

#[async_trait]
impl SpendingStore for DynamoStore {
    async fn get_budget(&self, owner: &OwnerId) -> Result<Budget> {
        match self.get_item(user_pk(owner), BUDGET.into()).await? {
            Some(item) => from_item(item),
            None => Ok(Budget::new(owner.clone())),
        }
    }

    async fn put_budget(&self, budget: &Budget) -> Result<Budget> {
        let next = Budget {
            version: budget.version + 1,
            ..budget.clone()
        };
        let item = to_item(&next, user_pk(&next.owner), BUDGET.into())?;
        self.put_versioned(item, budget.version, &format!("budget of {}", next.owner))
            .await?;
        Ok(next)
    }

    async fn get_allowance(&self, owner: &OwnerId) -> Result<Option<Allowance>> {
        self.get_item(user_pk(owner), ALLOWANCE.into())
            .await?
            .map(from_item)
            .transpose()
    }

    async fn put_allowance(&self, allowance: &Allowance) -> Result<Allowance> {
        let mut next = allowance.clone();
        next.version += 1;
        let mut item = to_item(&next, user_pk(&next.owner), ALLOWANCE.into())?;
        item.insert(TTL_ATTRIBUTE.into(), n(next.expires_at_ms() / 1000));
        self.put_versioned(
            item,
            allowance.version,
            &format!("allowance of {}", next.owner),
        )
        .await?;
        Ok(next)
    }
}
