//! Line breaking: Knuth–Plass-style optimal fit (textwrap's SMAWK implementation) over
//! break opportunities from the Unicode line-breaking algorithm, measured with the font.

use crate::fonts::Metrics;
use textwrap::WordSeparator;
use textwrap::core::Fragment;
use textwrap::wrap_algorithms::{Penalties, wrap_optimal_fit};

#[derive(Debug)]
struct Piece<'a> {
    word: &'a str,
    width: f64,
    space: f64,
}

impl Fragment for Piece<'_> {
    fn width(&self) -> f64 {
        self.width
    }
    fn whitespace_width(&self) -> f64 {
        self.space
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Breaks `text` into lines no wider than `width` points at `size` points. Paragraphs
/// (blank-line separated or newline separated) start on a new line.
pub(crate) fn break_lines(text: &str, metrics: &Metrics<'_>, size: f64, width: f64) -> Vec<String> {
    let space = metrics.width(" ", size);
    let mut lines = Vec::new();
    for paragraph in text.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
        let pieces: Vec<Piece<'_>> = WordSeparator::UnicodeBreakProperties
            .find_words(paragraph)
            .map(|w| Piece {
                word: w.word,
                width: metrics.width(w.word, size),
                space: if w.whitespace.is_empty() { 0.0 } else { space },
            })
            .collect();
        let wrapped = wrap_optimal_fit(&pieces, &[width], &Penalties::new())
            .unwrap_or_else(|_| vec![&pieces[..]]);
        for line in wrapped {
            let mut s = String::new();
            for (i, p) in line.iter().enumerate() {
                s.push_str(p.word);
                if i + 1 < line.len() && p.space > 0.0 {
                    s.push(' ');
                }
            }
            lines.push(s);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::REGULAR;

    #[test]
    fn lines_fit_the_measure_and_keep_every_word() {
        let m = Metrics::new(REGULAR).unwrap();
        let text = "Hazel was a small brown hedgehog who lived under the old oak tree. \
                    Every evening, when the sky turned the colour of peaches, she curled up tight.";
        let lines = break_lines(text, &m, 16.0, 300.0);
        assert!(lines.len() >= 3);
        for l in &lines {
            assert!(m.width(l, 16.0) <= 300.0 + 0.01, "{l}");
        }
        assert_eq!(
            lines.join(" "),
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn optimal_fit_evens_out_the_rag() {
        let m = Metrics::new(REGULAR).unwrap();
        let text = "aaa bb cc ddddd eeee f gggg hhh ii jjjjj kk lll mmmm n oo ppp";
        let lines = break_lines(text, &m, 12.0, 120.0);
        let widths: Vec<f64> = lines.iter().map(|l| m.width(l, 12.0)).collect();
        let body = &widths[..widths.len() - 1];
        let spread = body.iter().cloned().fold(f64::MIN, f64::max)
            - body.iter().cloned().fold(f64::MAX, f64::min);
        assert!(spread < 45.0, "ragged lines: {widths:?}");
    }
}
