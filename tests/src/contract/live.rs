//! The `LiveStore` contract: single-use tickets, connections that expire, and
//! subscriptions a disconnect removes.

use super::unique;
use crate::fixture::Fixture;
use storyloom_domain::live::{
    CONNECTION_TTL_MS, Connection, ConnectionId, LiveTicket, MAX_SUBSCRIPTIONS, Subscription,
};
use storyloom_domain::{BookId, Error, OwnerId};

fn owner() -> OwnerId {
    OwnerId::parse(&unique("owner")).expect("valid owner")
}

fn connection_id() -> ConnectionId {
    // API Gateway's ids are base64 with padding.
    ConnectionId::parse(&format!("{}=", &unique("C").replace('-', "")[..17])).expect("valid id")
}

fn follow(connection: &Connection, book: &BookId) -> Subscription {
    Subscription {
        book: book.clone(),
        connection: connection.id.clone(),
        owner: connection.owner.clone(),
        expires_at_ms: connection.expires_at_ms,
    }
}

/// A ticket opens one connection, once, and only before it expires.
pub async fn tickets_are_single_use_and_expire(f: &Fixture) {
    let me = owner();
    let ticket = LiveTicket::issue(me.clone(), 1_000);
    f.store.put_ticket(&ticket).await.unwrap();
    let late = ticket.expires_at_ms;
    let stale = LiveTicket::issue(me.clone(), 1_000);
    f.store.put_ticket(&stale).await.unwrap();
    assert_eq!(
        f.store.redeem_ticket(&stale.ticket, late).await.unwrap(),
        None,
        "expired"
    );
    assert_eq!(
        f.store.redeem_ticket(&ticket.ticket, 2_000).await.unwrap(),
        Some(me)
    );
    assert_eq!(
        f.store.redeem_ticket(&ticket.ticket, 2_000).await.unwrap(),
        None,
        "used up"
    );
    let unknown = LiveTicket::issue(owner(), 1_000);
    assert_eq!(
        f.store.redeem_ticket(&unknown.ticket, 2_000).await.unwrap(),
        None
    );
}

/// Connections are found until they expire; subscriptions list a book's followers, stop
/// at the cap, need a live connection, and go with the connection.
pub async fn subscriptions_follow_their_connection(f: &Fixture) {
    let now = 10_000;
    let me = owner();
    let book = BookId::parse(&unique("b")).unwrap();
    let other = BookId::parse(&unique("b")).unwrap();
    let mine = Connection::open(connection_id(), me.clone(), now);
    let yours = Connection::open(connection_id(), owner(), now);
    for c in [&mine, &yours] {
        f.store.put_connection(c).await.unwrap();
    }
    assert_eq!(
        f.store.get_connection(&mine.id, now + 1).await.unwrap(),
        Some(mine.clone())
    );
    assert_eq!(
        f.store
            .get_connection(&mine.id, now + CONNECTION_TTL_MS)
            .await
            .unwrap(),
        None,
        "expired"
    );

    f.store.subscribe(&follow(&mine, &book)).await.unwrap();
    f.store.subscribe(&follow(&mine, &book)).await.unwrap();
    f.store.subscribe(&follow(&mine, &other)).await.unwrap();
    f.store.subscribe(&follow(&yours, &book)).await.unwrap();
    let mut followers: Vec<_> = f
        .store
        .subscribers(&book, now + 1)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.connection, s.owner))
        .collect();
    followers.sort();
    let mut expected = vec![
        (mine.id.clone(), mine.owner.clone()),
        (yours.id.clone(), yours.owner.clone()),
    ];
    expected.sort();
    assert_eq!(followers, expected, "subscribing twice is one subscription");
    let stored = f
        .store
        .get_connection(&mine.id, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.books, vec![book.clone(), other.clone()]);
    assert!(
        f.store
            .subscribers(&book, now + CONNECTION_TTL_MS)
            .await
            .unwrap()
            .is_empty(),
        "expired subscriptions are not followers"
    );

    // At most MAX_SUBSCRIPTIONS books per connection.
    let busy = Connection::open(connection_id(), me.clone(), now);
    f.store.put_connection(&busy).await.unwrap();
    for _ in 0..MAX_SUBSCRIPTIONS {
        let b = BookId::parse(&unique("b")).unwrap();
        f.store.subscribe(&follow(&busy, &b)).await.unwrap();
    }
    let one_more = BookId::parse(&unique("b")).unwrap();
    assert!(matches!(
        f.store.subscribe(&follow(&busy, &one_more)).await,
        Err(Error::Invalid(_))
    ));

    // Gone connections cannot subscribe, and take their subscriptions with them.
    f.store.remove_connection(&mine.id).await.unwrap();
    f.store.remove_connection(&mine.id).await.unwrap();
    assert_eq!(f.store.get_connection(&mine.id, now).await.unwrap(), None);
    assert!(matches!(
        f.store.subscribe(&follow(&mine, &book)).await,
        Err(Error::NotFound(_))
    ));
    let left: Vec<_> = f
        .store
        .subscribers(&book, now)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.connection)
        .collect();
    assert_eq!(left, vec![yours.id.clone()]);
    assert!(f.store.subscribers(&other, now).await.unwrap().is_empty());
}
