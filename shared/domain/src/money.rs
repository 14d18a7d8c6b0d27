//! Amounts of money as whole millionths of a dollar (`micros`), so sums never drift.

/// Millionths of a dollar in a dollar.
pub const MICROS_PER_USD: f64 = 1e6;

/// Dollars as micros, rounding up (a cap of $0.0000001 is not zero); `None` for a
/// negative or non-finite amount.
pub fn micros(usd: f64) -> Option<u64> {
    (usd.is_finite() && usd >= 0.0).then(|| (usd * MICROS_PER_USD).ceil() as u64)
}

/// Micros as dollars, for people.
pub fn usd(micros: u64) -> f64 {
    micros as f64 / MICROS_PER_USD
}
