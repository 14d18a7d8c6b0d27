//! Typesetting: a finished book as a print-ready PDF (8.5 × 8.5 in trim, 0.125 in bleed,
//! pictures at 300 dpi, text broken into lines by an optimal-fit algorithm over real glyph
//! advances, the DejaVu fonts embedded) and as an EPUB 3 e-book.

mod epub;
pub mod fonts;
mod layout;
mod pdf;
mod typesetter;

pub use typesetter::Typesetter;
