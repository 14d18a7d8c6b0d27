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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_round_up_to_micros_and_reject_nonsense() {
        assert_eq!(micros(0.25), Some(250_000));
        assert_eq!(micros(0.000_000_1), Some(1));
        assert_eq!(micros(-1.0), None);
        assert_eq!(micros(f64::NAN), None);
    }
}
