//! Applying the per-user limits: each read-modify-write of a user's allowance is a
//! compare-and-swap, so concurrent requests on any number of instances share one bucket
//! and no more get through than it holds. A refusal writes nothing.
//!
//! Requests are taken from the shared bucket a few at a time ([`lease_size`]) and spent from a
//! per-process lease, one user at a time: a busy user costs one conditional write per
//! lease instead of one per request, and their concurrent requests queue on the lease
//! instead of racing each other's writes.

use crate::Ports;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use storyloom_domain::limits::{Allowance, Refusal};
use storyloom_domain::ports::{BookStore, Clock, SpendingStore, Store};
use storyloom_domain::{BookId, Error, Limits, OwnerId, Result};

/// Compare-and-swap attempts before giving up on a hot allowance.
const ATTEMPTS: u32 = 16;

/// Requests taken from a user's shared bucket at once, at the least.
pub const LEASE: u32 = 10;

/// Requests taken at once, at the most.
pub const MOST_LEASED: u32 = 1_000;

/// Requests taken from a user's shared bucket at once: a tenth of a second of their
/// allowed rate, between [`LEASE`] and [`MOST_LEASED`] (and never more than the bucket
/// holds). A process holds at most this many less one unspent per user, so the bucket
/// may refuse a user on one instance while another holds a few of their requests: a
/// small, bounded unfairness, the same in time whatever the rate. A user allowed
/// thousands of requests a second would otherwise cost a conditional write every ten.
pub fn lease_size(limits: &Limits) -> u32 {
    (limits.requests_per_minute / 600).clamp(LEASE, MOST_LEASED)
}

/// Requests this process has taken from users' buckets and not yet spent. Holding a
/// user's lease also serializes this process's updates of their allowance, so a burst of
/// one user's orders queues here instead of racing conditional writes.
#[derive(Debug, Default)]
pub struct Leases {
    held: Mutex<HashMap<OwnerId, Arc<tokio::sync::Mutex<u32>>>>,
}

impl Leases {
    fn of(&self, owner: &OwnerId) -> Arc<tokio::sync::Mutex<u32>> {
        // A poisoned map only means a panic while inserting; the map is still whole.
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        held.entry(owner.clone()).or_default().clone()
    }
}

/// What applying the limits touches: the stored allowances (and the books, to forget
/// finished ones), the clock, this process's leases and the limits themselves.
pub struct Limiter<'a, S: ?Sized> {
    /// Where allowances (and books) are stored.
    pub store: &'a S,
    /// The time buckets refill by.
    pub clock: &'a dyn Clock,
    /// This process's unspent requests.
    pub leases: &'a Leases,
    /// The per-user limits.
    pub limits: &'a Limits,
}

impl<'a> Limiter<'a, dyn Store> {
    /// The limiter of a process's ports.
    pub fn of(ports: &'a Ports) -> Self {
        Limiter {
            store: &*ports.store,
            clock: &*ports.clock,
            leases: &ports.leases,
            limits: &ports.limits,
        }
    }
}

impl<S: SpendingStore + ?Sized> Limiter<'_, S> {
    /// Takes one request from `owner`'s bucket, or refuses with `Error::Limited`.
    pub async fn take_request(&self, owner: &OwnerId) -> Result<()> {
        let lease = self.leases.of(owner);
        let mut held = lease.lock().await;
        if *held > 0 {
            *held -= 1;
            return Ok(());
        }
        let mut taken = 0;
        let limits = self.limits;
        self.update(owner, None, |a, now| {
            taken = a.take_requests(limits, now, lease_size(limits))?;
            Ok(true)
        })
        .await?;
        *held = taken.saturating_sub(1);
        Ok(())
    }

    /// Gives back a book's place (it was admitted but never made, or it was deleted).
    pub async fn release_book(&self, owner: &OwnerId, id: &BookId) -> Result<()> {
        let lease = self.leases.of(owner);
        let _serialized = lease.lock().await;
        self.update(owner, None, |a, _| Ok(a.release(std::slice::from_ref(id))))
            .await
    }

    /// Applies `change` to the stored allowance (a fresh one if none) and stores it when
    /// it says something changed; retries when another request stored first. `read` is
    /// the stored allowance when the caller has just read it, saving the first read.
    async fn update(
        &self,
        owner: &OwnerId,
        mut read: Option<Option<Allowance>>,
        mut change: impl FnMut(&mut Allowance, u64) -> std::result::Result<bool, Refusal>,
    ) -> Result<()> {
        for _ in 0..ATTEMPTS {
            let now = self.clock.now_ms();
            let stored = match read.take() {
                Some(stored) => stored,
                None => self.store.get_allowance(owner).await?,
            };
            let mut allowance =
                stored.unwrap_or_else(|| Allowance::new(owner.clone(), self.limits, now));
            if !change(&mut allowance, now)? {
                return Ok(());
            }
            match self.store.put_allowance(&allowance).await {
                Ok(_) => return Ok(()),
                Err(Error::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(Error::Transient(format!(
            "the allowance of {owner} is too busy to update; try again"
        )))
    }
}

impl<S: SpendingStore + BookStore + ?Sized> Limiter<'_, S> {
    /// Admits a new book for `owner` against the daily and concurrent caps. Books that
    /// are no longer being made are forgotten first, so a finished book frees its place
    /// without the pipeline having to report back.
    pub async fn admit_book(&self, owner: &OwnerId, id: &BookId) -> Result<()> {
        let lease = self.leases.of(owner);
        let _serialized = lease.lock().await;
        let limits = self.limits;
        let current = self.store.get_allowance(owner).await?;
        let mut finished = Vec::new();
        for active in current.iter().flat_map(|a| &a.active) {
            let in_flight = self
                .store
                .get_book(active)
                .await?
                .is_some_and(|b| b.status.in_flight());
            if !in_flight && active != id {
                finished.push(active.clone());
            }
        }
        self.update(owner, Some(current), |a, now| {
            a.release(&finished);
            a.admit_book(id, limits, now).map(|()| true)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_minute(requests_per_minute: u32) -> Limits {
        Limits {
            requests_per_minute,
            ..Limits::default()
        }
    }

    #[test]
    fn a_lease_is_a_tenth_of_a_second_of_the_rate_within_bounds() {
        assert_eq!(lease_size(&per_minute(60)), LEASE);
        assert_eq!(lease_size(&per_minute(60_000)), 100);
        assert_eq!(lease_size(&per_minute(u32::MAX)), MOST_LEASED);
    }
}
