//! What a character's persona proposes for a page: what they say and do there, in their
//! own voice. The chronicler writes the page from the beat and these proposals.

use serde::{Deserialize, Serialize};

/// One character's proposal for one page in one writing round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub page: u32,
    /// The writing round it was made for (1 for the first draft).
    pub round: u32,
    pub character: String,
    pub text: String,
}
