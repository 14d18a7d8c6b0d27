//! How long to wait before trying again.

use std::time::Duration;

/// Backoff with full jitter: a delay uniformly drawn from `[0, min(cap, base * 2^attempt))`.
/// `unit` is a random number in `[0, 1)` supplied by the caller (the domain draws none).
pub fn backoff(attempt: u32, base: Duration, cap: Duration, unit: f64) -> Duration {
    let ceiling = base.saturating_mul(1u32 << attempt.min(20)).min(cap);
    ceiling.mul_f64(unit.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_then_caps_and_jitters() {
        let base = Duration::from_secs(1);
        let cap = Duration::from_secs(60);
        assert_eq!(
            backoff(0, base, cap, 0.999),
            Duration::from_secs(1).mul_f64(0.999)
        );
        assert_eq!(backoff(3, base, cap, 0.5), Duration::from_secs(4));
        assert_eq!(backoff(30, base, cap, 0.5), Duration::from_secs(30));
        assert_eq!(backoff(5, base, cap, 0.0), Duration::ZERO);
    }
}
