//! What the typesetter is given: a finished book's pages, pictures and front matter.

use crate::request::AgeBand;

/// A finished book, ready to typeset.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintBook {
    /// The book's id (the e-book's identifier).
    pub id: String,
    /// When it was typeset, ms since the epoch.
    pub made_at_ms: u64,
    pub title: String,
    pub age_band: AgeBand,
    pub cast: Vec<(String, String)>,
    pub pages: Vec<PrintPage>,
    /// Who wrote and drew it (an offline book says so).
    pub colophon: String,
    /// The owner's dedication, printed on its own page after the title page.
    pub dedication: Option<String>,
}

impl PrintBook {
    /// The page whose picture the cover is made from: the first one drawn (the opening
    /// scene, with the cast as the story introduces them).
    pub fn cover_page(&self) -> Option<&PrintPage> {
        self.pages.iter().find(|p| p.picture.is_some())
    }
}

/// One typeset page.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintPage {
    pub number: u32,
    pub text: String,
    /// PNG bytes, absent when the picture failed or was refused.
    pub picture: Option<Vec<u8>>,
    pub alt_text: String,
}
