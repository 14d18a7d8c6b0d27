//! Sign-in throttling: failed attempts counted per account and per client address over a
//! sliding window, in this process (the local stack is one process; on AWS, Cognito does
//! this). A successful sign-in clears its account's count, not its address's.

use std::collections::HashMap;
use std::sync::Mutex;

/// The window failures are counted over.
pub const WINDOW_MS: u64 = 15 * 60 * 1000;
/// Failures allowed per account in a window before it must wait.
pub const PER_ACCOUNT: usize = 5;
/// Failures (and sign-ups) allowed per address in a window.
pub const PER_ADDRESS: usize = 20;

/// Recent failures by key (`login:…` or `addr:…`).
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<u64>>>,
}

impl Throttle {
    /// Milliseconds until `login` from `address` may try again, if either is over its limit.
    pub fn wait(&self, login: &str, address: &str, now: u64) -> Option<u64> {
        let mut all = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        [
            (login_key(login), PER_ACCOUNT),
            (addr_key(address), PER_ADDRESS),
        ]
        .into_iter()
        .filter_map(|(key, limit)| {
            let times = all.get_mut(&key)?;
            times.retain(|t| now.saturating_sub(*t) < WINDOW_MS);
            (times.len() >= limit).then(|| times[times.len() - limit] + WINDOW_MS - now)
        })
        .max()
    }

    /// Counts a failed attempt (or a sign-up, against the address only when `login` is
    /// empty).
    pub fn fail(&self, login: &str, address: &str, now: u64) {
        let mut all = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if !login.is_empty() {
            all.entry(login_key(login)).or_default().push(now);
        }
        all.entry(addr_key(address)).or_default().push(now);
        // Keys of idle windows are dropped now and then, so the map stays small.
        if all.len() > 10_000 {
            all.retain(|_, times| times.iter().any(|t| now.saturating_sub(*t) < WINDOW_MS));
        }
    }

    /// Clears an account's failures after it signed in.
    pub fn succeed(&self, login: &str) {
        let mut all = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        all.remove(&login_key(login));
    }
}

fn login_key(login: &str) -> String {
    format!("login:{}", login.trim().to_lowercase())
}

fn addr_key(address: &str) -> String {
    format!("addr:{address}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_waits_after_five_failures_until_the_window_moves_on() {
        let t = Throttle::default();
        for i in 0..PER_ACCOUNT as u64 {
            assert_eq!(t.wait("ana", "1.2.3.4", i), None);
            t.fail("Ana", "1.2.3.4", i);
        }
        assert_eq!(t.wait("ana", "5.6.7.8", 10), Some(WINDOW_MS - 10));
        assert_eq!(t.wait("bob", "5.6.7.8", 10), None, "others are not held up");
        assert_eq!(t.wait("ana", "5.6.7.8", WINDOW_MS + 5), None);
    }

    #[test]
    fn an_address_waits_after_twenty_failures_across_accounts() {
        let t = Throttle::default();
        for i in 0..PER_ADDRESS as u64 {
            t.fail(&format!("user{i}"), "9.9.9.9", 100);
        }
        assert!(t.wait("someone-new", "9.9.9.9", 200).is_some());
        assert_eq!(t.wait("someone-new", "8.8.8.8", 200), None);
    }

    #[test]
    fn signing_in_clears_the_accounts_count() {
        let t = Throttle::default();
        for i in 0..PER_ACCOUNT as u64 {
            t.fail("ana", "1.1.1.1", i);
        }
        t.succeed("ana");
        assert_eq!(t.wait("ana", "2.2.2.2", 10), None);
    }
}
