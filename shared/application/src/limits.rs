//! Applying the per-user limits: each read-modify-write of a user's allowance is a
//! compare-and-swap, so concurrent requests on any number of instances share one bucket
//! and exactly as many as it holds get through. A refusal writes nothing.

use crate::Ports;
use storyloom_domain::limits::{Allowance, Refusal};
use storyloom_domain::{BookId, Error, OwnerId, Result};

/// Compare-and-swap attempts before giving up on a hot allowance.
const ATTEMPTS: u32 = 16;

/// Takes one request from `owner`'s bucket, or refuses with `Error::Limited`.
pub async fn take_request(ports: &Ports, owner: &OwnerId) -> Result<()> {
    update(ports, owner, |a, now| {
        a.take_request(&ports.limits, now).map(|()| true)
    })
    .await
}

/// Admits a new book for `owner` against the daily and concurrent caps. Books that are no
/// longer being made are forgotten first, so a finished book frees its place without the
/// pipeline having to report back.
pub async fn admit_book(ports: &Ports, owner: &OwnerId, id: &BookId) -> Result<()> {
    let limits = ports.limits;
    let Some(current) = ports.store.get_allowance(owner).await? else {
        return update(ports, owner, |a, now| {
            a.admit_book(id, &limits, now).map(|()| true)
        })
        .await;
    };
    let mut finished = Vec::new();
    for active in &current.active {
        let in_flight = ports
            .store
            .get_book(active)
            .await?
            .is_some_and(|b| b.status.in_flight());
        if !in_flight && active != id {
            finished.push(active.clone());
        }
    }
    update(ports, owner, |a, now| {
        a.release(&finished);
        a.admit_book(id, &limits, now).map(|()| true)
    })
    .await
}

/// Gives back a book's place (it was admitted but never made, or it was deleted).
pub async fn release_book(ports: &Ports, owner: &OwnerId, id: &BookId) -> Result<()> {
    update(ports, owner, |a, _| Ok(a.release(std::slice::from_ref(id)))).await
}

/// Applies `change` to the stored allowance (a fresh one if none) and stores it when it
/// says something changed; retries when another request stored first.
async fn update(
    ports: &Ports,
    owner: &OwnerId,
    change: impl Fn(&mut Allowance, u64) -> std::result::Result<bool, Refusal>,
) -> Result<()> {
    for _ in 0..ATTEMPTS {
        let now = ports.clock.now_ms();
        let mut allowance = match ports.store.get_allowance(owner).await? {
            Some(a) => a,
            None => Allowance::new(owner.clone(), &ports.limits, now),
        };
        if !change(&mut allowance, now)? {
            return Ok(());
        }
        match ports.store.put_allowance(&allowance).await {
            Ok(_) => return Ok(()),
            Err(Error::Conflict(_)) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Error::Transient(format!(
        "the allowance of {owner} is too busy to update; try again"
    )))
}
