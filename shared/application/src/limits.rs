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
    update(ports, owner, None, |a, now| {
        a.take_request(&ports.limits, now).map(|()| true)
    })
    .await
}

/// Admits a new book for `owner` against the daily and concurrent caps. Books that are no
/// longer being made are forgotten first, so a finished book frees its place without the
/// pipeline having to report back.
pub async fn admit_book(ports: &Ports, owner: &OwnerId, id: &BookId) -> Result<()> {
    let limits = ports.limits;
    let current = ports.store.get_allowance(owner).await?;
    let mut finished = Vec::new();
    for active in current.iter().flat_map(|a| &a.active) {
        let in_flight = ports
            .store
            .get_book(active)
            .await?
            .is_some_and(|b| b.status.in_flight());
        if !in_flight && active != id {
            finished.push(active.clone());
        }
    }
    update(ports, owner, Some(current), |a, now| {
        a.release(&finished);
        a.admit_book(id, &limits, now).map(|()| true)
    })
    .await
}

/// Gives back a book's place (it was admitted but never made, or it was deleted).
pub async fn release_book(ports: &Ports, owner: &OwnerId, id: &BookId) -> Result<()> {
    update(ports, owner, None, |a, _| {
        Ok(a.release(std::slice::from_ref(id)))
    })
    .await
}

/// Applies `change` to the stored allowance (a fresh one if none) and stores it when it
/// says something changed; retries when another request stored first. `read` is the
/// stored allowance when the caller has just read it, saving the first read.
async fn update(
    ports: &Ports,
    owner: &OwnerId,
    mut read: Option<Option<Allowance>>,
    change: impl Fn(&mut Allowance, u64) -> std::result::Result<bool, Refusal>,
) -> Result<()> {
    for _ in 0..ATTEMPTS {
        let now = ports.clock.now_ms();
        let stored = match read.take() {
            Some(stored) => stored,
            None => ports.store.get_allowance(owner).await?,
        };
        let mut allowance =
            stored.unwrap_or_else(|| Allowance::new(owner.clone(), &ports.limits, now));
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
