//! Per-user limits: a token bucket on requests, and caps on books started per day and on
//! books being made at once. The state is one [`Allowance`] per user, kept in the store and
//! changed by compare-and-swap, so every instance shares it.

use crate::config::{ConfigErrors, ConfigProblem, ConfigSource};
use crate::error::Error;
use crate::ids::{BookId, OwnerId};
use serde::{Deserialize, Serialize};

const DAY_MS: u64 = 24 * 3600 * 1000;
/// One request's worth of bucket, in thousandths (integers keep the arithmetic exact).
const TOKEN: u64 = 1000;
/// How soon to suggest trying again when too many books are being made at once.
const CONCURRENT_RETRY_MS: u64 = 30_000;

/// The limits, from configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Requests per minute a user's bucket refills with.
    pub requests_per_minute: u32,
    /// Requests a user may make in a burst (the bucket's size).
    pub burst: u32,
    /// Books a user may order per UTC day.
    pub books_per_day: u32,
    /// Books of one user the pipeline makes at once.
    pub concurrent_books: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            requests_per_minute: 600,
            burst: 60,
            books_per_day: 20,
            concurrent_books: 3,
        }
    }
}

/// The configuration variables of each limit, in [`Limits`] field order.
pub const VARIABLES: [&str; 4] = [
    "LIMIT_REQUESTS_PER_MINUTE",
    "LIMIT_BURST",
    "LIMIT_BOOKS_PER_DAY",
    "LIMIT_CONCURRENT_BOOKS",
];

impl Limits {
    /// The limits from a configuration (see [`VARIABLES`]); unset ones keep their defaults,
    /// and every bad value is a problem naming its variable (a zero would lock every user
    /// out, so each must be at least 1).
    pub fn from_config(source: &ConfigSource) -> Result<Self, ConfigErrors> {
        let defaults = Limits::default();
        let mut values = [
            defaults.requests_per_minute,
            defaults.burst,
            defaults.books_per_day,
            defaults.concurrent_books,
        ];
        let mut problems = Vec::new();
        for (name, value) in VARIABLES.iter().zip(values.iter_mut()) {
            if let Some(raw) = source.get(name) {
                match raw.trim().parse::<u32>() {
                    Ok(v) if v > 0 => *value = v,
                    _ => problems.push(ConfigProblem::new(
                        name,
                        format!("must be a whole number of at least 1, not {raw:?}"),
                    )),
                }
            }
        }
        if !problems.is_empty() {
            return Err(ConfigErrors(problems));
        }
        let [requests_per_minute, burst, books_per_day, concurrent_books] = values;
        Ok(Limits {
            requests_per_minute,
            burst,
            books_per_day,
            concurrent_books,
        })
    }
}

/// Why a request or a book was refused, and when trying again can succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub reason: String,
    pub retry_after_ms: u64,
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Error::Limited {
            reason: r.reason,
            retry_after_ms: r.retry_after_ms,
        }
    }
}

/// One user's standing against the limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowance {
    pub owner: OwnerId,
    /// Requests left in the bucket, in thousandths of a request.
    pub tokens: u64,
    pub refilled_at_ms: u64,
    /// The UTC day (days since the epoch) `books_today` counts.
    pub day: u64,
    /// Books ordered on `day` (ids, so a retried order is not counted twice).
    pub books_today: Vec<BookId>,
    /// Books admitted and maybe still being made.
    pub active: Vec<BookId>,
    /// Compare-and-swap version (0: never stored).
    pub version: u64,
}

impl Allowance {
    /// A user's first allowance: a full bucket, no books.
    pub fn new(owner: OwnerId, limits: &Limits, now_ms: u64) -> Self {
        Allowance {
            owner,
            tokens: u64::from(limits.burst) * TOKEN,
            refilled_at_ms: now_ms,
            day: now_ms / DAY_MS,
            books_today: Vec::new(),
            active: Vec::new(),
            version: 0,
        }
    }

    /// Takes one request from the bucket, or says how long until one is there.
    pub fn take_request(&mut self, limits: &Limits, now_ms: u64) -> Result<(), Refusal> {
        self.take_requests(limits, now_ms, 1).map(|_| ())
    }

    /// Takes up to `most` requests from the bucket (at least one), returning how many, or
    /// says how long until one is there.
    pub fn take_requests(
        &mut self,
        limits: &Limits,
        now_ms: u64,
        most: u32,
    ) -> Result<u32, Refusal> {
        let rate = u64::from(limits.requests_per_minute.max(1));
        let capacity = u64::from(limits.burst.max(1)) * TOKEN;
        let elapsed = now_ms.saturating_sub(self.refilled_at_ms);
        // tokens per ms = rate * TOKEN / 60_000
        self.tokens = (self.tokens + elapsed * rate * TOKEN / 60_000).min(capacity);
        self.refilled_at_ms = now_ms.max(self.refilled_at_ms);
        if self.tokens >= TOKEN {
            let taken = (self.tokens / TOKEN).min(u64::from(most.max(1)));
            self.tokens -= taken * TOKEN;
            return Ok(taken as u32);
        }
        let missing = TOKEN - self.tokens;
        Err(Refusal {
            reason: format!(
                "too many requests: at most {} a minute, {} at once",
                limits.requests_per_minute, limits.burst
            ),
            retry_after_ms: (missing * 60_000).div_ceil(rate * TOKEN),
        })
    }

    /// Admits a new book, or refuses it when the user has ordered too many today or has
    /// too many being made. Admitting the same book again changes nothing.
    pub fn admit_book(&mut self, id: &BookId, limits: &Limits, now_ms: u64) -> Result<(), Refusal> {
        let today = now_ms / DAY_MS;
        if self.day != today {
            self.day = today;
            self.books_today.clear();
        }
        if self.books_today.contains(id) || self.active.contains(id) {
            return Ok(());
        }
        if self.books_today.len() >= limits.books_per_day as usize {
            return Err(Refusal {
                reason: format!(
                    "you have ordered {} books today, the daily limit",
                    limits.books_per_day
                ),
                retry_after_ms: (today + 1) * DAY_MS - now_ms,
            });
        }
        if self.active.len() >= limits.concurrent_books as usize {
            return Err(Refusal {
                reason: format!(
                    "{} of your books are being made; wait for one to finish",
                    limits.concurrent_books
                ),
                retry_after_ms: CONCURRENT_RETRY_MS,
            });
        }
        self.books_today.push(id.clone());
        self.active.push(id.clone());
        Ok(())
    }

    /// Forgets books that are no longer being made; true when any was removed.
    pub fn release(&mut self, finished: &[BookId]) -> bool {
        let before = self.active.len();
        self.active.retain(|id| !finished.contains(id));
        self.active.len() != before
    }

    /// When the record can be dropped: once its day is over and its bucket would be full
    /// again (an absent record means exactly that).
    pub fn expires_at_ms(&self) -> u64 {
        (self.day + 2) * DAY_MS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(n: u32) -> BookId {
        BookId::parse(&format!("b-{n}")).expect("valid")
    }

    fn limits() -> Limits {
        Limits {
            requests_per_minute: 60,
            burst: 3,
            books_per_day: 4,
            concurrent_books: 2,
        }
    }

    fn fresh(now: u64) -> Allowance {
        Allowance::new(OwnerId::parse("alice").expect("valid"), &limits(), now)
    }

    #[test]
    fn a_burst_drains_the_bucket_then_it_refills_at_the_rate() {
        let mut a = fresh(0);
        for _ in 0..3 {
            assert!(a.take_request(&limits(), 0).is_ok());
        }
        let refused = a.take_request(&limits(), 0).expect_err("bucket empty");
        assert_eq!(refused.retry_after_ms, 1000, "one a second at 60 a minute");
        assert!(a.take_request(&limits(), 500).is_err());
        assert!(a.take_request(&limits(), 1000).is_ok());
        // Long idle: refilled to the burst, no more.
        let mut taken = 0;
        while a.take_request(&limits(), 3_600_000).is_ok() {
            taken += 1;
        }
        assert_eq!(taken, 3);
    }

    #[test]
    fn several_requests_are_taken_at_once_up_to_what_the_bucket_holds() {
        let mut a = fresh(0);
        assert_eq!(a.take_requests(&limits(), 0, 10), Ok(3), "the burst is 3");
        assert!(a.take_requests(&limits(), 0, 10).is_err());
        assert_eq!(a.take_requests(&limits(), 2_000, 10), Ok(2));
    }

    #[test]
    fn books_are_capped_at_once_and_per_day_and_a_retry_is_not_counted_twice() {
        let mut a = fresh(0);
        assert!(a.admit_book(&book(1), &limits(), 0).is_ok());
        assert!(a.admit_book(&book(1), &limits(), 0).is_ok());
        assert!(a.admit_book(&book(2), &limits(), 0).is_ok());
        let busy = a
            .admit_book(&book(3), &limits(), 0)
            .expect_err("two at once");
        assert_eq!(busy.retry_after_ms, CONCURRENT_RETRY_MS);
        assert!(a.release(&[book(1), book(2)]));
        assert!(!a.release(&[book(1)]));
        assert!(a.admit_book(&book(3), &limits(), 0).is_ok());
        assert!(a.admit_book(&book(4), &limits(), 0).is_ok());
        a.release(&[book(3), book(4)]);
        let daily = a
            .admit_book(&book(5), &limits(), 1000)
            .expect_err("four a day");
        assert_eq!(daily.retry_after_ms, DAY_MS - 1000);
        // The next day counts afresh.
        assert!(a.admit_book(&book(5), &limits(), DAY_MS).is_ok());
    }

    #[test]
    fn limits_come_from_variables_and_every_bad_one_is_named() {
        let config = |pairs: &[(&str, &str)]| {
            let vars = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()));
            ConfigSource::layered(vars, None).expect("well-formed")
        };
        assert_eq!(Limits::from_config(&config(&[])), Ok(Limits::default()));
        let set = Limits::from_config(&config(&[("LIMIT_BURST", "5")])).expect("valid");
        assert_eq!(set.burst, 5);
        let errors = Limits::from_config(&config(&[
            ("LIMIT_BURST", "0"),
            ("LIMIT_BOOKS_PER_DAY", "lots"),
        ]))
        .expect_err("bad limits accepted");
        let fields: Vec<_> = errors.0.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(fields, ["LIMIT_BURST", "LIMIT_BOOKS_PER_DAY"]);
    }
}
