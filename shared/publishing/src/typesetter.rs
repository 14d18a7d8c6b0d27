//! The typesetting port's adapter: the PDF (krilla) and the EPUB 3 e-book.

use async_trait::async_trait;
use storyloom_domain::ports::{BookRenderer, PrintBook};
use storyloom_domain::{Error, Result};

/// Typesets finished books as a print-ready PDF and as an EPUB 3 e-book.
#[derive(Debug, Clone, Default)]
pub struct Typesetter;

#[async_trait]
impl BookRenderer for Typesetter {
    async fn render_pdf(&self, book: &PrintBook) -> Result<Vec<u8>> {
        let book = book.clone();
        // Decoding and compressing the pictures and subsetting fonts are CPU-bound.
        storyloom_cpu::run(move || crate::pdf::render(&book))
            .await
            .map_err(|e| Error::Transient(format!("typesetting: {e}")))?
    }

    async fn render_epub(&self, book: &PrintBook) -> Result<Vec<u8>> {
        let book = book.clone();
        // Stored entries, but every picture is copied and checksummed.
        storyloom_cpu::run(move || crate::epub::package(&book))
            .await
            .map_err(|e| Error::Transient(format!("packaging the e-book: {e}")))?
    }
}
