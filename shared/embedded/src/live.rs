//! [`LiveStore`] in the store's redb file: tickets, connections and subscriptions, each
//! dropped once expired (on read, and by the purge job).

use crate::db::{err, from_json, to_json};
use crate::store::{FileStore, get_json, prefix_values, purge_where};
use async_trait::async_trait;
use redb::TableDefinition;
use storyloom_domain::live::{
    Connection, ConnectionId, LiveTicket, MAX_SUBSCRIPTIONS, Subscription, too_many_subscriptions,
};
use storyloom_domain::ports::LiveStore;
use storyloom_domain::{BookId, Error, OwnerId, Result};

/// Tickets by their text.
pub(crate) const TICKETS: TableDefinition<&str, &str> = TableDefinition::new("live_tickets");
/// Connections by id.
pub(crate) const CONNECTIONS: TableDefinition<&str, &str> =
    TableDefinition::new("live_connections");
/// `<book>#<connection>` -> subscription: a book's followers under one prefix.
pub(crate) const SUBSCRIPTIONS: TableDefinition<&str, &str> =
    TableDefinition::new("live_subscriptions");

fn subscription_key(book: &BookId, connection: &ConnectionId) -> String {
    format!("{book}#{connection}")
}

#[async_trait]
impl LiveStore for FileStore {
    async fn put_ticket(&self, ticket: &LiveTicket) -> Result<()> {
        let json = to_json(ticket)?;
        let key = ticket.ticket.clone();
        self.write(move |tx| {
            tx.open_table(TICKETS)
                .map_err(err)?
                .insert(key.as_str(), json.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn redeem_ticket(&self, ticket: &str, now: u64) -> Result<Option<OwnerId>> {
        let key = ticket.to_owned();
        self.write(move |tx| {
            let mut t = tx.open_table(TICKETS).map_err(err)?;
            let removed = t.remove(key.as_str()).map_err(err)?;
            let Some(json) = removed else {
                return Ok(None);
            };
            let ticket: LiveTicket = from_json(json.value())?;
            Ok((ticket.expires_at_ms > now).then_some(ticket.owner))
        })
        .await
    }

    async fn put_connection(&self, connection: &Connection) -> Result<()> {
        let json = to_json(connection)?;
        let key = connection.id.to_string();
        self.write(move |tx| {
            tx.open_table(CONNECTIONS)
                .map_err(err)?
                .insert(key.as_str(), json.as_str())
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn get_connection(&self, id: &ConnectionId, now: u64) -> Result<Option<Connection>> {
        let key = id.to_string();
        let found: Option<Connection> = self
            .read(move |tx| get_json(&tx.open_table(CONNECTIONS).map_err(err)?, &key))
            .await?;
        Ok(found.filter(|c| c.expires_at_ms > now))
    }

    async fn subscribe(&self, subscription: &Subscription) -> Result<()> {
        let subscription = subscription.clone();
        self.write(move |tx| {
            let mut connections = tx.open_table(CONNECTIONS).map_err(err)?;
            let key = subscription.connection.to_string();
            let Some(mut connection) = get_json::<Connection>(&connections, &key)? else {
                return Err(Error::NotFound(format!("connection {key}")));
            };
            if !connection.books.contains(&subscription.book) {
                if connection.books.len() >= MAX_SUBSCRIPTIONS {
                    return Err(too_many_subscriptions());
                }
                connection.books.push(subscription.book.clone());
                connections
                    .insert(key.as_str(), to_json(&connection)?.as_str())
                    .map_err(err)?;
            }
            tx.open_table(SUBSCRIPTIONS)
                .map_err(err)?
                .insert(
                    subscription_key(&subscription.book, &subscription.connection).as_str(),
                    to_json(&subscription)?.as_str(),
                )
                .map_err(err)?;
            Ok(())
        })
        .await
    }

    async fn subscribers(&self, book: &BookId, now: u64) -> Result<Vec<Subscription>> {
        let prefix = format!("{book}#");
        let all: Vec<Subscription> = self
            .read(move |tx| prefix_values(&tx.open_table(SUBSCRIPTIONS).map_err(err)?, &prefix))
            .await?;
        Ok(all.into_iter().filter(|s| s.expires_at_ms > now).collect())
    }

    async fn remove_connection(&self, id: &ConnectionId) -> Result<()> {
        let id = id.clone();
        self.write(move |tx| {
            let mut connections = tx.open_table(CONNECTIONS).map_err(err)?;
            let removed = connections.remove(id.as_str()).map_err(err)?;
            let Some(json) = removed else {
                return Ok(());
            };
            let connection: Connection = from_json(json.value())?;
            let mut subscriptions = tx.open_table(SUBSCRIPTIONS).map_err(err)?;
            for book in &connection.books {
                subscriptions
                    .remove(subscription_key(book, &id).as_str())
                    .map_err(err)?;
            }
            Ok(())
        })
        .await
    }
}

/// Removes expired tickets, connections and subscriptions; returns how many.
pub(crate) fn purge_expired(tx: &redb::WriteTransaction, now: u64) -> Result<u32> {
    let mut removed = 0;
    removed += purge_where::<LiveTicket>(tx, TICKETS, now, |t| t.expires_at_ms)?;
    removed += purge_where::<Connection>(tx, CONNECTIONS, now, |c| c.expires_at_ms)?;
    removed += purge_where::<Subscription>(tx, SUBSCRIPTIONS, now, |s| s.expires_at_ms)?;
    Ok(removed)
}
