//! [`LiveStore`] on the single table (keys in [`crate::item`]): tickets and connections in
//! their own partitions, a book's followers under the book's partition so one query finds
//! them. Every item carries the TTL attribute, so DynamoDB removes what a lost disconnect
//! left behind; reads ignore what expired but was not yet removed.

use crate::error::{classify, code};
use crate::item::{Item, SK, TTL_ATTRIBUTE, book_pk, from_item, n, s, to_item};
use crate::store::DynamoStore;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, Put, ReturnValue, TransactWriteItem, Update};
use storyloom_domain::live::{
    Connection, ConnectionId, LiveTicket, MAX_SUBSCRIPTIONS, Subscription, too_many_subscriptions,
};
use storyloom_domain::ports::LiveStore;
use storyloom_domain::{BookId, Error, OwnerId, Result};

const TICKET: &str = "TICKET";
const CONN: &str = "CONN";
/// Subscriptions sort under this prefix in a book's partition.
const FOLLOWER: &str = "LIVE#";

fn ticket_pk(ticket: &str) -> String {
    format!("LIVE#{ticket}")
}

fn connection_pk(id: &ConnectionId) -> String {
    format!("CONN#{id}")
}

fn follower_sk(id: &ConnectionId) -> String {
    format!("{FOLLOWER}{id}")
}

/// `value` as an item that DynamoDB's TTL removes after `expires_at_ms`.
fn expiring(
    value: &impl serde::Serialize,
    pk: String,
    sk: String,
    expires_at_ms: u64,
) -> Result<Item> {
    let mut item = to_item(value, pk, sk)?;
    // DynamoDB's TTL reads epoch seconds; round up so nothing goes early.
    item.insert(TTL_ATTRIBUTE.into(), n(expires_at_ms.div_ceil(1000)));
    Ok(item)
}

#[async_trait]
impl LiveStore for DynamoStore {
    async fn put_ticket(&self, ticket: &LiveTicket) -> Result<()> {
        let item = expiring(
            ticket,
            ticket_pk(&ticket.ticket),
            TICKET.into(),
            ticket.expires_at_ms,
        )?;
        self.put_plain(item, "saving a live ticket").await
    }

    async fn redeem_ticket(&self, ticket: &str, now: u64) -> Result<Option<OwnerId>> {
        // One conditional delete: of two concurrent redemptions only one sees the item.
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(ticket_pk(ticket), TICKET.into())))
            .condition_expression("attribute_exists(#sk) AND expires_at_ms > :now")
            .expression_attribute_names("#sk", SK)
            .expression_attribute_values(":now", n(now))
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match out {
            Ok(out) => match out.attributes {
                Some(item) if !item.is_empty() => Ok(Some(from_item::<LiveTicket>(item)?.owner)),
                _ => Ok(None),
            },
            Err(e) if code(&e) == Some("ConditionalCheckFailedException") => Ok(None),
            Err(e) => Err(classify("redeeming a live ticket", e)),
        }
    }

    async fn put_connection(&self, connection: &Connection) -> Result<()> {
        let item = expiring(
            connection,
            connection_pk(&connection.id),
            CONN.into(),
            connection.expires_at_ms,
        )?;
        self.put_plain(item, "saving a connection").await
    }

    async fn get_connection(&self, id: &ConnectionId, now: u64) -> Result<Option<Connection>> {
        match self.get_item(connection_pk(id), CONN.into()).await? {
            Some(item) => {
                Ok(Some(from_item::<Connection>(item)?).filter(|c| c.expires_at_ms > now))
            }
            None => Ok(None),
        }
    }

    async fn subscribe(&self, subscription: &Subscription) -> Result<()> {
        let gone = || Error::NotFound(format!("connection {}", subscription.connection));
        let Some(connection) = self
            .get_item(connection_pk(&subscription.connection), CONN.into())
            .await?
        else {
            return Err(gone());
        };
        let connection: Connection = from_item(connection)?;
        let follower = expiring(
            subscription,
            book_pk(&subscription.book),
            follower_sk(&subscription.connection),
            subscription.expires_at_ms,
        )?;
        if connection.books.contains(&subscription.book) {
            return self.put_plain(follower, "subscribing").await;
        }
        if connection.books.len() >= MAX_SUBSCRIPTIONS {
            return Err(too_many_subscriptions());
        }
        // The book is noted on the connection (so a disconnect finds every subscription)
        // in the same step as the subscription, and only while the connection exists.
        let note = Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(
                connection_pk(&subscription.connection),
                CONN.into(),
            )))
            .update_expression("SET books = list_append(if_not_exists(books, :none), :book)")
            .condition_expression("attribute_exists(#sk) AND size(books) < :cap")
            .expression_attribute_names("#sk", SK)
            .expression_attribute_values(":none", AttributeValue::L(Vec::new()))
            .expression_attribute_values(
                ":book",
                AttributeValue::L(vec![s(subscription.book.to_string())]),
            )
            .expression_attribute_values(":cap", n(MAX_SUBSCRIPTIONS))
            .build()
            .map_err(|e| Error::Permanent(format!("subscription update: {e}")))?;
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(follower))
            .build()
            .map_err(|e| Error::Permanent(format!("subscription put: {e}")))?;
        let items = vec![
            TransactWriteItem::builder().update(note).build(),
            TransactWriteItem::builder().put(put).build(),
        ];
        if self.transact(items, "subscribing").await? {
            return Ok(());
        }
        // The condition failed: the connection closed meanwhile, or filled up.
        match self
            .get_item(connection_pk(&subscription.connection), CONN.into())
            .await?
        {
            None => Err(gone()),
            Some(_) => Err(too_many_subscriptions()),
        }
    }

    async fn subscribers(&self, book: &BookId, now: u64) -> Result<Vec<Subscription>> {
        self.query_prefix(book_pk(book), FOLLOWER, true)
            .await?
            .into_iter()
            .map(from_item::<Subscription>)
            .filter(|s| s.as_ref().map_or(true, |s| s.expires_at_ms > now))
            .collect()
    }

    async fn remove_connection(&self, id: &ConnectionId) -> Result<()> {
        let Some(item) = self.get_item(connection_pk(id), CONN.into()).await? else {
            return Ok(());
        };
        let connection: Connection = from_item(item)?;
        for book in &connection.books {
            self.delete_plain(book_pk(book), follower_sk(id), "unsubscribing")
                .await?;
        }
        // The connection goes last: until then a repeat finds it and finishes the job.
        self.delete_plain(connection_pk(id), CONN.into(), "closing a connection")
            .await
    }
}
