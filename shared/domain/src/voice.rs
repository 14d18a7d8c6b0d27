//! How a character speaks, read from the free-text voice a person gave them, and the
//! lines a story gives each character, so writers can follow a voice and the voice gate
//! can check they did.

use crate::readability::{syllables, words};

/// The features of a declared voice that a line of speech can keep or break.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VoiceProfile {
    /// Asks questions.
    pub questions: bool,
    /// Speaks softly.
    pub whisper: bool,
    /// Speaks loudly.
    pub loud: bool,
    /// Speaks in rhymes or song.
    pub rhymes: bool,
    /// Uses grand, long words.
    pub grand: bool,
}

impl VoiceProfile {
    /// Reads a voice description ("whispers", "asks lots of questions", "slow and grand").
    pub fn read(description: &str) -> VoiceProfile {
        let d = description.to_lowercase();
        let has = |ws: &[&str]| ws.iter().any(|w| d.contains(w));
        VoiceProfile {
            questions: has(&["question", "asks", "curious", "wonder"]),
            whisper: has(&["whisper", "quiet", "soft", "shy"]),
            loud: has(&["loud", "boom", "shout", "big voice"]),
            rhymes: has(&["rhyme", "sing", "song"]),
            grand: has(&["grand", "fancy", "long words", "posh", "wise"]),
        }
    }

    /// The speech verb that fits this voice (`said` when none is called for).
    pub fn verb(self) -> &'static str {
        if self.whisper {
            "whispered"
        } else if self.loud {
            "called out"
        } else if self.rhymes {
            "sang"
        } else {
            "said"
        }
    }
}

/// Speech verbs a soft voice never uses.
const LOUD_VERBS: &[&str] = &[
    "shouted", "shouts", "yelled", "yells", "boomed", "booms", "roared", "roars", "bellowed",
    "screamed", "hollered",
];
/// Speech verbs a loud voice never uses.
const QUIET_VERBS: &[&str] = &[
    "whispered",
    "whispers",
    "murmured",
    "murmurs",
    "mumbled",
    "breathed",
];

/// One line of speech, and the words around it that say who spoke and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speech {
    pub speaker: String,
    /// The words inside the quotation marks.
    pub line: String,
    /// The narration around the quotation ("whispered Hazel").
    pub tag: String,
}

/// The lines in `text` attributed to one of `names`: a sentence with a quotation whose
/// narration names exactly one of them.
pub fn speeches(text: &str, names: &[String]) -> Vec<Speech> {
    let mut found = Vec::new();
    for sentence in quoted_sentences(text) {
        let (line, tag) = split_quote(&sentence);
        let tag_words = words(&tag);
        let speakers: Vec<&String> = names
            .iter()
            .filter(|n| {
                let nw = words(n);
                !nw.is_empty() && tag_words.windows(nw.len()).any(|w| w == nw.as_slice())
            })
            .collect();
        if let [speaker] = speakers.as_slice() {
            found.push(Speech {
                speaker: (*speaker).clone(),
                line,
                tag,
            });
        }
    }
    found
}

/// Sentences holding a quotation; a quotation's own `.`, `!` or `?` does not end the
/// sentence around it.
fn quoted_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut inside = false;
    for ch in text.chars() {
        current.push(ch);
        match ch {
            '"' => inside = !inside,
            '\u{201c}' => inside = true,
            '\u{201d}' => inside = false,
            '.' | '!' | '?' if !inside => {
                if current.contains(['"', '\u{201c}']) {
                    out.push(current.trim().to_owned());
                }
                current.clear();
            }
            _ => {}
        }
    }
    if current.contains(['"', '\u{201c}']) {
        out.push(current.trim().to_owned());
    }
    out
}

fn split_quote(sentence: &str) -> (String, String) {
    let mut line = String::new();
    let mut tag = String::new();
    let mut inside = false;
    for ch in sentence.chars() {
        match ch {
            '"' => inside = !inside,
            '\u{201c}' => inside = true,
            '\u{201d}' => inside = false,
            c if inside => line.push(c),
            c => tag.push(c),
        }
    }
    (line.trim().to_owned(), tag.trim().to_owned())
}

/// Everyday words that still sound grand in a picture book.
const GRAND_WORDS: &[&str] = &[
    "splendid",
    "triumph",
    "propose",
    "confess",
    "onwards",
    "courage",
    "allow",
    "indeed",
    "truly",
    "cunning",
    "suggest",
    "uneasy",
    "troubling",
    "shall",
];

/// A grand word: long, many-syllabled, or one of [`GRAND_WORDS`].
fn grand(word: &str) -> bool {
    syllables(word) >= 3 || word.len() >= 9 || GRAND_WORDS.contains(&word)
}

/// Whether a line rhymes with itself: two different words ending alike, one of them the
/// line's last ("…come and play, it is a lovely day").
pub fn rhymes(line: &str) -> bool {
    let ws: Vec<String> = words(line).into_iter().filter(|w| w.len() >= 2).collect();
    let Some(last) = ws.last() else {
        return false;
    };
    let tail = |w: &str| w.chars().rev().take(2).collect::<String>();
    ws[..ws.len() - 1]
        .iter()
        .any(|w| w != last && tail(w) == tail(last))
}

/// What is wrong with a character's lines for their voice (empty when they fit), and the
/// share of their lines that fit it. For the youngest readers (`simple`) plain words win
/// over a grand voice.
pub fn judge(
    profile: VoiceProfile,
    name: &str,
    lines: &[&Speech],
    simple: bool,
) -> (Vec<String>, f64) {
    let mut problems = Vec::new();
    let mut fitting = 0usize;
    for speech in lines {
        let tag = words(&speech.tag);
        let mut fits = true;
        if profile.whisper
            && let Some(v) = tag.iter().find(|w| LOUD_VERBS.contains(&w.as_str()))
        {
            problems.push(format!(
                "{name} speaks softly, but \"{}\" is {v}; keep their voice quiet",
                speech.line
            ));
            fits = false;
        }
        if profile.loud
            && let Some(v) = tag.iter().find(|w| QUIET_VERBS.contains(&w.as_str()))
        {
            problems.push(format!(
                "{name} has a big voice, but \"{}\" is {v}; let them speak up",
                speech.line
            ));
            fits = false;
        }
        fitting += usize::from(fits);
    }
    // A habit shows over several lines; one line need not carry it.
    if lines.len() >= 2 {
        let any = |f: &dyn Fn(&Speech) -> bool| lines.iter().any(|s| f(s));
        if profile.questions && !any(&|s| s.line.trim_end().ends_with('?')) {
            problems.push(format!(
                "{name} asks questions, but none of their {} lines is a question",
                lines.len()
            ));
        }
        if profile.rhymes
            && !any(&|s| {
                rhymes(&s.line)
                    || words(&s.tag)
                        .iter()
                        .any(|w| w.starts_with("sang") || w.starts_with("sing"))
            })
        {
            problems.push(format!(
                "{name} speaks in rhyme or song, but none of their {} lines does",
                lines.len()
            ));
        }
        if profile.grand && !simple && !any(&|s| words(&s.line).iter().any(|w| grand(w))) {
            problems.push(format!(
                "{name} speaks grandly, but none of their {} lines has a grand word",
                lines.len()
            ));
        }
    }
    let share = if lines.is_empty() {
        1.0
    } else {
        fitting as f64 / lines.len() as f64
    };
    (problems, share)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["Hazel".into(), "Otto".into()]
    }

    #[test]
    fn lines_are_found_with_their_speaker_and_tag() {
        let text = "The sun was up. \u{201c}Is it time yet?\u{201d} asked Hazel. Otto said, \
                    \"Not yet, my friend.\" They waited.";
        let found = speeches(text, &names());
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].speaker, "Hazel");
        assert_eq!(found[0].line, "Is it time yet?");
        assert_eq!(found[1].speaker, "Otto");
        assert_eq!(found[1].line, "Not yet, my friend.");
    }

    #[test]
    fn a_whisperer_who_shouts_breaks_their_voice() {
        let text =
            "\u{201c}Come here!\u{201d} shouted Hazel. \u{201c}Yes.\u{201d} whispered Hazel.";
        let found = speeches(text, &names());
        let lines: Vec<&Speech> = found.iter().collect();
        let (problems, share) = judge(VoiceProfile::read("whispers"), "Hazel", &lines, false);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("shouted"));
        assert!((share - 0.5).abs() < 1e-9);
    }

    #[test]
    fn habits_show_over_several_lines() {
        let said = |line: &str| Speech {
            speaker: "Otto".into(),
            line: line.into(),
            tag: "said Otto".into(),
        };
        let plain = [said("I like it."), said("Let us go.")];
        let refs: Vec<&Speech> = plain.iter().collect();
        for voice in [
            "asks lots of questions",
            "sings in rhymes",
            "slow and grand",
        ] {
            let (problems, _) = judge(VoiceProfile::read(voice), "Otto", &refs, false);
            assert_eq!(problems.len(), 1, "{voice}: {problems:?}");
        }
        let fitting = [
            said("Where shall we go?"),
            said("Hip hip hooray, what a wonderful day."),
        ];
        let refs: Vec<&Speech> = fitting.iter().collect();
        for voice in [
            "asks lots of questions",
            "sings in rhymes",
            "slow and grand",
        ] {
            let (problems, share) = judge(VoiceProfile::read(voice), "Otto", &refs, false);
            assert!(problems.is_empty(), "{voice}: {problems:?}");
            assert!((share - 1.0).abs() < 1e-9);
        }
    }
}
