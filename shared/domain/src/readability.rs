//! Text statistics: words, sentences, syllables and the Flesch–Kincaid grade.

/// Lower-cased words (letters and apostrophes) of a text.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Sentences, split at `.`, `!` and `?` (a trailing fragment counts as one).
pub fn sentences(text: &str) -> Vec<&str> {
    text.split(['.', '!', '?'])
        .map(str::trim)
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .collect()
}

/// Estimated syllables of one word: vowel groups, less a silent final `e`, at least one.
pub fn syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    if w.is_empty() {
        return 0;
    }
    let is_vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut prev = false;
    for &c in &w {
        let v = is_vowel(c);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    let n = w.len();
    if n > 2 && w[n - 1] == 'e' && !is_vowel(w[n - 2]) && (w[n - 2] != 'l' || is_vowel(w[n - 3])) {
        count -= 1;
    }
    count.max(1)
}

/// The Flesch–Kincaid grade level of a text (0 for an empty one).
pub fn flesch_kincaid_grade(text: &str) -> f64 {
    let ws = words(text);
    let ss = sentences(text).len().max(1);
    if ws.is_empty() {
        return 0.0;
    }
    let syl: usize = ws.iter().map(|w| syllables(w)).sum();
    0.39 * (ws.len() as f64 / ss as f64) + 11.8 * (syl as f64 / ws.len() as f64) - 15.59
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_are_plausible() {
        for (w, n) in [
            ("cat", 1),
            ("rabbit", 2),
            ("little", 2),
            ("brave", 1),
            ("wonderful", 3),
            ("a", 1),
            ("the", 1),
        ] {
            assert_eq!(syllables(w), n, "{w}");
        }
    }

    #[test]
    fn simple_text_grades_low_and_dense_text_high() {
        let easy = "Hazel is a small hedgehog. She lives in the wood. She is brave.";
        let hard = "Notwithstanding considerable apprehension regarding nocturnal circumstances, \
                    the extraordinarily conscientious hedgehog systematically investigated \
                    unfamiliar environmental phenomena throughout the interminable evening.";
        assert!(
            flesch_kincaid_grade(easy) < 2.0,
            "{}",
            flesch_kincaid_grade(easy)
        );
        assert!(
            flesch_kincaid_grade(hard) > 12.0,
            "{}",
            flesch_kincaid_grade(hard)
        );
    }
}
