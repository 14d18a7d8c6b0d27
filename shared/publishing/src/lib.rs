//! Typesetting: a finished book as an EPUB 3 e-book and as a print-ready PDF (8.5 × 8.5 in trim, 0.125 in bleed,
//! pictures at 300 dpi, text broken into lines by an optimal-fit algorithm over real glyph
//! advances, the DejaVu fonts embedded).

mod epub;
pub mod fonts;
mod layout;
mod pdf;

pub use pdf::PdfRenderer;
