//! Money: what model calls cost, an owner's monthly budget and a book's cap.
//!
//! Amounts are whole millionths of a dollar (`micros`), so sums never drift. A call is
//! checked against both limits *before* it is made, from an estimate that assumes the
//! whole requested output; its real cost is charged after.

use crate::book::Book;
use crate::error::{Error, Result};
use crate::ids::OwnerId;
use crate::models::{ImageRequest, TextRequest, Usage};
use crate::pricing::PriceTable;
use serde::{Deserialize, Serialize};

use crate::money::{MICROS_PER_USD, usd};

/// What `usage` of `model` costs, in micros (0 for a model without a price).
pub fn cost(prices: &PriceTable, model: &str, usage: &Usage) -> u64 {
    prices
        .price(model)
        .map_or(0, |p| (p.of(usage) * MICROS_PER_USD).ceil() as u64)
}

/// The most a text call can cost: its prompt (at about four characters a token) and its
/// whole output allowance.
pub fn text_estimate(prices: &PriceTable, model: &str, request: &TextRequest) -> u64 {
    let prompt_chars = request.system.len() + request.prompt.len();
    let usage = Usage {
        calls: 1,
        input_tokens: prompt_chars.div_ceil(4) as u64,
        output_tokens: u64::from(request.max_tokens),
        images: 0,
    };
    cost(prices, model, &usage)
}

/// What one picture costs.
pub fn image_estimate(prices: &PriceTable, model: &str, _request: &ImageRequest) -> u64 {
    let usage = Usage {
        calls: 1,
        images: 1,
        ..Usage::default()
    };
    cost(prices, model, &usage)
}

/// An owner's monthly budget and what they spent in the month it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    pub owner: OwnerId,
    /// Most the owner lets their books cost in a calendar month (UTC); `None`: no limit.
    pub monthly_micros: Option<u64>,
    /// The month `spent_micros` counts, as `yyyymm`.
    pub month: u32,
    pub spent_micros: u64,
    /// Compare-and-swap version (0: never stored).
    pub version: u64,
}

impl Budget {
    /// An owner with no limit who spent nothing.
    pub fn new(owner: OwnerId) -> Self {
        Budget {
            owner,
            monthly_micros: None,
            month: 0,
            spent_micros: 0,
            version: 0,
        }
    }

    /// What the owner spent in the month of `now`.
    pub fn spent_in(&self, now_ms: u64) -> u64 {
        if self.month == month_of(now_ms) {
            self.spent_micros
        } else {
            0
        }
    }

    /// Adds a call's cost to the month of `now` (a new month starts from zero).
    pub fn charge(&mut self, micros: u64, now_ms: u64) {
        let month = month_of(now_ms);
        if self.month != month {
            self.month = month;
            self.spent_micros = 0;
        }
        self.spent_micros += micros;
    }
}

/// An owner's budget as people read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BudgetView {
    /// Most the owner's books may cost in a calendar month (UTC); absent: no limit.
    pub monthly_usd: Option<f64>,
    /// What they cost this month so far.
    pub spent_this_month_usd: f64,
    /// The month counted, `yyyy-mm`.
    pub month: String,
}

impl Budget {
    /// The budget as people read it, at `now`.
    pub fn view(&self, now_ms: u64) -> BudgetView {
        let month = month_of(now_ms);
        BudgetView {
            monthly_usd: self.monthly_micros.map(usd),
            spent_this_month_usd: usd(self.spent_in(now_ms)),
            month: format!("{}-{:02}", month / 100, month % 100),
        }
    }
}

/// Refuses a call estimated at `estimate` micros when it would take the book past its cap
/// or the owner past their monthly budget; the reason says which, and by how much.
pub fn admit(book: &Book, budget: &Budget, estimate: u64, now_ms: u64) -> Result<()> {
    if let Some(cap) = book.cap_micros {
        let after = book.spent_micros() + estimate;
        if after > cap {
            return Err(Error::OverBudget(format!(
                "the next model call (up to ${:.4}) would take this book to ${:.4}, past its \
                 cap of ${:.4}; raise the book's cap to go on",
                usd(estimate),
                usd(after),
                usd(cap)
            )));
        }
    }
    if let Some(monthly) = budget.monthly_micros {
        let after = budget.spent_in(now_ms) + estimate;
        if after > monthly {
            return Err(Error::OverBudget(format!(
                "the next model call (up to ${:.4}) would take this month's spending to \
                 ${:.4}, past your monthly budget of ${:.4}; raise the budget to go on",
                usd(estimate),
                usd(after),
                usd(monthly)
            )));
        }
    }
    Ok(())
}

/// The calendar month (UTC) of a time, as `yyyymm`.
pub fn month_of(now_ms: u64) -> u32 {
    let (year, month, _) = crate::calendar::civil(now_ms);
    (year * 100 + i64::from(month)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::BookId;
    use crate::request::BookRequest;

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(month_of(0), 197_001);
        // 2026-11-23T12:00:00Z and 2024-02-29T23:59:59Z.
        assert_eq!(month_of(1_795_435_200_000), 202_611);
        assert_eq!(month_of(1_709_251_199_000), 202_402);
        assert_eq!(month_of(1_709_251_200_000), 202_403);
    }

    #[test]
    fn a_new_month_starts_from_zero() {
        let mut b = Budget::new(OwnerId::parse("ann").expect("valid"));
        b.charge(500, 1_795_435_200_000);
        b.charge(250, 1_795_435_200_000);
        assert_eq!(b.spent_in(1_795_435_200_000), 750);
        assert_eq!(b.spent_in(1_797_000_000_000), 0, "December");
        b.charge(1, 1_797_000_000_000);
        assert_eq!(b.spent_micros, 1);
    }

    fn book(cap: Option<u64>, spent: u64) -> Book {
        let mut book = Book::new(
            BookId::parse("b-1").expect("valid"),
            OwnerId::parse("ann").expect("valid"),
            BookRequest {
                premise: "a hedgehog".into(),
                age_band: crate::AgeBand::Ages3To5,
                page_count: 4,
                art_style: crate::ArtStyle::Ink,
                cast: vec![],
                title: None,
                seed: 1,
                cap_micros: None,
                dedication: None,
            },
            "c".into(),
            0,
        );
        book.cap_micros = cap;
        book.writing_micros = spent;
        book
    }

    #[test]
    fn calls_past_either_limit_are_refused_before_they_are_made() {
        let mut budget = Budget::new(OwnerId::parse("ann").expect("valid"));
        assert!(
            admit(&book(None, 10), &budget, 1_000_000, 0).is_ok(),
            "no limits"
        );
        assert!(
            admit(&book(Some(1000), 900), &budget, 100, 0).is_ok(),
            "exactly the cap"
        );
        let e = admit(&book(Some(1000), 900), &budget, 101, 0).expect_err("past the cap");
        assert!(e.to_string().contains("raise the book's cap"), "{e}");
        budget.monthly_micros = Some(500);
        budget.charge(450, 0);
        let e = admit(&book(None, 0), &budget, 51, 0).expect_err("past the month");
        assert!(e.to_string().contains("monthly budget of $0.0005"), "{e}");
        assert!(admit(&book(None, 0), &budget, 50, 0).is_ok());
    }
}
