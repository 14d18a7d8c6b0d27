//! The `SpendingStore` contract.

use super::*;

/// An allowance is absent until stored, then stored only at the version it was read at.
pub async fn allowances_are_versioned_per_user(f: &Fixture) {
    use storyloom_domain::{Allowance, Limits};
    let alice = owner();
    assert_eq!(f.store.get_allowance(&alice).await.unwrap(), None);
    let mut first = Allowance::new(alice.clone(), &Limits::default(), 1_000);
    first.take_request(&Limits::default(), 1_000).unwrap();
    let stored = f.store.put_allowance(&first).await.unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(
        f.store.get_allowance(&alice).await.unwrap(),
        Some(stored.clone())
    );
    // A racer that also started from nothing loses.
    assert!(matches!(
        f.store.put_allowance(&first).await,
        Err(Error::Conflict(_))
    ));
    let mut next = stored.clone();
    next.take_request(&Limits::default(), 2_000).unwrap();
    assert_eq!(f.store.put_allowance(&next).await.unwrap().version, 2);
    assert!(matches!(
        f.store.put_allowance(&stored).await,
        Err(Error::Conflict(_))
    ));
    assert_eq!(f.store.get_allowance(&owner()).await.unwrap(), None);
}

/// Budgets (per owner) are compare-and-swap records.
pub async fn budgets_are_versioned(f: &Fixture) {
    let me = owner();
    let fresh = f.store.get_budget(&me).await.unwrap();
    assert_eq!((fresh.version, fresh.monthly_micros), (0, None));
    let mut budget = fresh.clone();
    budget.monthly_micros = Some(2_000_000);
    budget.charge(1_500, 1_795_435_200_000);
    let saved = f.store.put_budget(&budget).await.unwrap();
    assert_eq!(saved.version, 1);
    assert!(matches!(
        f.store.put_budget(&budget).await,
        Err(Error::Conflict(_))
    ));
    let read = f.store.get_budget(&me).await.unwrap();
    assert_eq!(read, saved);
    assert_eq!(f.store.get_budget(&owner()).await.unwrap().version, 0);
}
