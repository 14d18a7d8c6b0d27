//! [`AccountStore`] in the store's redb file: accounts by owner (which is their login), and
//! sessions by the hash of their token.

use crate::db::{err, from_json, to_json};
use crate::store::{FileStore, get_json};
use async_trait::async_trait;
use redb::{ReadableTable, TableDefinition};
use storyloom_domain::account::{Account, AccountStore, Session};
use storyloom_domain::{Error, OwnerId, Result};

/// Accounts by owner id.
pub(crate) const ACCOUNTS: TableDefinition<&str, &str> = TableDefinition::new("accounts");
/// SHA-256 of a session token -> session.
pub(crate) const SESSIONS: TableDefinition<&str, &str> = TableDefinition::new("sessions");

#[async_trait]
impl AccountStore for FileStore {
    async fn create_account(&self, account: &Account) -> Result<()> {
        let json = to_json(account)?;
        let owner = account.owner().to_string();
        self.write(move |tx| {
            let mut accounts = tx.open_table(ACCOUNTS).map_err(err)?;
            if accounts.get(owner.as_str()).map_err(err)?.is_some() {
                return Err(Error::Conflict(format!("login {owner} exists")));
            }
            accounts
                .insert(owner.as_str(), json.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn account(&self, owner: &OwnerId) -> Result<Option<Account>> {
        let owner = owner.to_string();
        self.read(move |tx| get_json(&tx.open_table(ACCOUNTS).map_err(err)?, &owner))
            .await
    }

    async fn update_account(&self, account: &Account) -> Result<()> {
        let json = to_json(account)?;
        let owner = account.owner().to_string();
        self.write(move |tx| {
            let mut accounts = tx.open_table(ACCOUNTS).map_err(err)?;
            if accounts.get(owner.as_str()).map_err(err)?.is_none() {
                return Err(Error::NotFound(format!("account {owner}")));
            }
            accounts
                .insert(owner.as_str(), json.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn delete_account(&self, owner: &OwnerId) -> Result<()> {
        let owner = owner.to_string();
        self.write(move |tx| {
            tx.open_table(ACCOUNTS)
                .map_err(err)?
                .remove(owner.as_str())
                .map_err(err)?;
            let mut sessions = tx.open_table(SESSIONS).map_err(err)?;
            let mut theirs = Vec::new();
            for row in sessions.iter().map_err(err)? {
                let (k, v) = row.map_err(err)?;
                if from_json::<Session>(v.value())?.owner.as_str() == owner {
                    theirs.push(k.value().to_owned());
                }
            }
            for k in theirs {
                sessions.remove(k.as_str()).map_err(err)?;
            }
            Ok(())
        })
        .await
    }

    async fn put_session(&self, token_hash: &str, session: &Session) -> Result<()> {
        let json = to_json(session)?;
        let key = token_hash.to_owned();
        self.write(move |tx| {
            tx.open_table(SESSIONS)
                .map_err(err)?
                .insert(key.as_str(), json.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let key = token_hash.to_owned();
        self.read(move |tx| get_json(&tx.open_table(SESSIONS).map_err(err)?, &key))
            .await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        let key = token_hash.to_owned();
        self.write(move |tx| {
            tx.open_table(SESSIONS)
                .map_err(err)?
                .remove(key.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }
}
