//! What a reader pays for. Paid readers' books travel the priority lane of every stage's
//! queue, which the stage workers drain first.

use crate::lane::Lane;
use serde::{Deserialize, Serialize};

/// A reader's plan, as their verified token states it (the `tier` claim).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// The default: books travel the standard lane.
    #[default]
    Free,
    /// Books travel the priority lane.
    Paid,
}

impl Tier {
    /// The token claim that names the tier.
    pub const CLAIM: &'static str = "tier";

    /// Every tier there is.
    pub const ALL: [Tier; 2] = [Tier::Free, Tier::Paid];

    /// The tier a claim names. A missing or unknown value is [`Tier::Free`]: a typo in an
    /// identity provider's setup must never promote anyone (see [`Tier::known`] to tell
    /// the two apart).
    pub fn from_claim(claim: Option<&str>) -> Tier {
        claim.and_then(Tier::known).unwrap_or_default()
    }

    /// The tier a claim value names exactly, if it names one.
    pub fn known(claim: &str) -> Option<Tier> {
        Self::ALL.into_iter().find(|t| t.as_str() == claim)
    }

    /// The claim's value for this tier.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Free => "free",
            Tier::Paid => "paid",
        }
    }

    /// The queue lane this tier's books travel.
    pub fn lane(self) -> Lane {
        match self {
            Tier::Free => Lane::Standard,
            Tier::Paid => Lane::Priority,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_exact_paid_claim_promotes() {
        assert_eq!(Tier::from_claim(Some("paid")), Tier::Paid);
        for other in [None, Some("Paid"), Some("premium"), Some("")] {
            assert_eq!(Tier::from_claim(other), Tier::Free, "{other:?}");
        }
        assert_eq!(Tier::Paid.lane(), Lane::Priority);
        assert_eq!(Tier::from_claim(Some(Tier::Paid.as_str())), Tier::Paid);
    }
}
