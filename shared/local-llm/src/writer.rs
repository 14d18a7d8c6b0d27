//! SmolLM2 behind the text-model port. A 135M model cannot be trusted with a whole story,
//! so it is given one small job at a time with a tight prompt, and what it writes is
//! cleaned and fitted to the page before the quality gates see it:
//!
//! - **Plan** (the director's call): the offline director's arc. A model this small does
//!   not return a valid JSON plan; the structure is code, the prose is the model's.
//! - **Persona**: one line a character says on the page, asked of the model in that
//!   character's voice.
//! - **Page** (the chronicler's call): the model writes a few sentences from the beat and
//!   the personas' lines; the page opens with who is there, so names and traits are kept
//!   exactly, the model's sentences follow, cut to the age band's length.

use crate::engine::{Engine, EngineError, Generation, Sampler};
use async_trait::async_trait;
use std::sync::Arc;
use storyloom_domain::facts::kind_contradictions;
use storyloom_domain::gates::{Finding, Fix, safety};
use storyloom_domain::plan::{ArcPhase, PageBeat};
use storyloom_domain::ports::{
    CastMember, ModelInfo, StoryBrief, TextModel, TextRequest, TextResponse, TextTask, Usage,
};
use storyloom_domain::readability::words;
use storyloom_domain::voice::VoiceProfile;
use storyloom_domain::{Error, Result};
use storyloom_offline::OfflineStoryteller;

/// The model's id, recorded on every book it writes (and priced at nothing: it runs here).
pub const MODEL_ID: &str = "smollm2-135m-instruct-q4_1";

/// Tries at a persona's line before the persona falls back to a plain one.
const PERSONA_TRIES: u64 = 2;
/// Tries at a page before the too-short draft goes to review as it is.
const PAGE_TRIES: u64 = 3;

/// SmolLM2-135M-Instruct on this machine's CPU.
#[derive(Clone)]
pub struct LocalLlm {
    engine: Engine,
    director: OfflineStoryteller,
}

impl LocalLlm {
    /// A writer over a loaded model.
    pub fn new(engine: Engine) -> Self {
        LocalLlm {
            engine,
            director: OfflineStoryteller,
        }
    }

    async fn reply(
        &self,
        system: String,
        user: String,
        max_tokens: usize,
        seed: u64,
    ) -> Result<Generation> {
        let engine = self.engine.clone();
        let sampler = Sampler {
            temperature: 0.7,
            top_k: 40,
            top_p: 0.9,
            seed,
        };
        // Inference is CPU-bound for seconds: it runs on the bounded CPU pool, never on an
        // async worker thread.
        let generation =
            storyloom_cpu::run(move || engine.reply(&system, &user, max_tokens, sampler))
                .await
                .map_err(|e| Error::Transient(format!("the local model: {e}")))?
                .map_err(|e| match e {
                    EngineError::PromptTooLong(_) => Error::Permanent(e.to_string()),
                    other => Error::Transient(format!("the local model failed: {other}")),
                })?;
        tracing::debug!(
            prompt_tokens = generation.prompt_tokens,
            output_tokens = generation.output_tokens,
            tokens_per_second = generation.tokens_per_second(),
            "local model reply"
        );
        Ok(generation)
    }

    async fn persona(
        &self,
        beat: &PageBeat,
        who: &CastMember,
        kinds: &[(String, String)],
        seed: u64,
    ) -> Result<(String, Usage)> {
        let system = format!(
            "You are {name}, a {kind} in a picture book for children. You are {traits}. \
             You speak like this: {voice}.",
            name = who.name,
            kind = who.kind,
            traits = who.traits.join(" and "),
            voice = if who.voice.is_empty() {
                "kindly"
            } else {
                &who.voice
            },
        );
        let user = format!(
            "In the story, {summary} What do you say? Answer with one short sentence.",
            summary = beat.summary
        );
        let mut usage = Usage::default();
        let mut line = None;
        for attempt in 0..PERSONA_TRIES {
            let generation = self
                .reply(system.clone(), user.clone(), 40, seed.wrapping_add(attempt))
                .await?;
            usage.add(usage_of(&generation));
            line = clean(&generation.text).into_iter().find(|s| {
                kind_contradictions(&[s.as_str()], kinds).is_empty() && !parrots(s, &user)
            });
            if line.is_some() {
                break;
            }
        }
        // A persona with nothing usable to say still shows up, in words that fit the
        // moment, rather than leaving the character silent; two characters on one page, or
        // one on two pages of the same phase, do not say the same thing.
        let line = line.unwrap_or_else(|| {
            let lines: [&str; 3] = match beat.phase {
                ArcPhase::Setup => ["What a day it is.", "Hello, everyone!", "Look at all this!"],
                ArcPhase::Problem => [
                    "Oh no, what shall we do?",
                    "What is wrong?",
                    "How can we fix it?",
                ],
                ArcPhase::Attempt => ["Let us try this way.", "Maybe like this?", "One more try!"],
                ArcPhase::Turn => [
                    "I think I know what to do.",
                    "Wait, look at that!",
                    "Now I see it!",
                ],
                ArcPhase::Resolution => [
                    "We did it together.",
                    "What a happy ending!",
                    "Thank you, my friend.",
                ],
            };
            let place = beat
                .characters
                .iter()
                .position(|n| n == &who.name)
                .unwrap_or(0);
            lines[(place + beat.page as usize) % lines.len()].to_owned()
        });
        let verb = VoiceProfile::read(&who.voice).verb();
        Ok((
            format!("{} {verb}, \u{201c}{line}\u{201d}", who.name),
            usage,
        ))
    }

    async fn page(
        &self,
        brief: &StoryBrief,
        beat: &PageBeat,
        proposals: &[String],
        feedback: &[Finding],
        seed: u64,
    ) -> Result<(String, Usage)> {
        let avoid = overused(feedback);
        let kinds = cast_kinds(brief);
        let present: Vec<&CastMember> = beat
            .characters
            .iter()
            .filter_map(|n| brief.cast.iter().find(|c| &c.name == n))
            .collect();
        let range = brief.age_band.words_per_page();
        let target = (range.start() + range.end()) / 2;
        let who = present
            .iter()
            .map(|c| format!("{} the {} ({})", c.name, c.kind, c.traits.join(", ")))
            .collect::<Vec<_>>()
            .join("; ");
        let system = "You write gentle picture books for small children. You use easy words \
                      and short sentences."
            .to_owned();
        let mut user = format!(
            "Write the next part of the story in {n} short sentences.\nWhat happens: {what}\n\
             Who is there: {who}\nWhere: the {setting}.",
            n = (target / 9).clamp(2, 8),
            what = beat.summary,
            setting = beat.setting,
        );
        for line in proposals {
            user.push_str(&format!("\n{line}"));
        }
        let mut usage = Usage::default();
        let mut body: Vec<String> = proposals.to_vec();
        let opening = opening(&present, beat);
        let budget = *range.end();
        for attempt in 0..PAGE_TRIES {
            if words(&body.join(" ")).len() + words(&opening).len() >= target {
                break;
            }
            let generation = self
                .reply(
                    system.clone(),
                    user.clone(),
                    (target * 2).max(48),
                    seed.wrapping_add(attempt),
                )
                .await?;
            usage.add(usage_of(&generation));
            for s in clean(&generation.text) {
                // A small model mixes up who is what ("Hazel the owl"): such a sentence is
                // left out rather than sent to review.
                let confused = !kind_contradictions(&[s.as_str()], &kinds).is_empty();
                // An echo of a persona's line or of an earlier sentence adds nothing.
                let echo = body.iter().any(|b| parrots(&s, b));
                if !confused
                    && !echo
                    && !speaks_as_itself(&s)
                    && !avoid.iter().any(|p| holds(&s, p))
                {
                    body.push(s);
                }
            }
        }
        let mut page = opening;
        for s in body {
            if words(&page).len() + words(&s).len() > budget {
                break;
            }
            page.push(' ');
            page.push_str(&s);
        }
        Ok((page, usage))
    }
}

/// Names everyone on the page with one of their traits, as the cast sheet gives them: the
/// one thing a small model gets wrong most (a renamed hero, a forgotten friend). The
/// wording turns with the page so the book does not open every page alike.
fn opening(present: &[&CastMember], beat: &PageBeat) -> String {
    let n = beat.page as usize;
    let pick = |c: &CastMember| {
        c.traits
            .get(n % c.traits.len().max(1))
            .cloned()
            .unwrap_or_else(|| "ready".into())
    };
    match present {
        [] => format!("It was a new day in the {}.", beat.setting),
        [one] => {
            let (name, kind, t) = (&one.name, &one.kind, pick(one));
            match n % 4 {
                0 => format!("{name} the {kind} felt {t}."),
                1 => format!("{name} was a {t} little {kind}."),
                2 => format!("Being {t}, {name} looked all around."),
                _ => format!("{name} tried hard to be {t}."),
            }
        }
        [a, b, rest @ ..] => {
            let (ta, tb) = (pick(a), pick(b));
            let mut line = match n % 4 {
                0 => format!("{} was {ta}, and {} was {tb}", a.name, b.name),
                1 => format!(
                    "{} the {ta} {} met {} the {tb} {}",
                    a.name, a.kind, b.name, b.kind
                ),
                2 => format!("{} stood by {}, {ta} as always", a.name, b.name),
                _ => format!("{}, so {tb}, came to see {}", b.name, a.name),
            };
            for c in rest {
                line.push_str(&format!(", and {} came too", c.name));
            }
            line.push('.');
            line
        }
    }
}

/// Phrases review said were overused: sentences holding them are left out of the rewrite.
fn overused(feedback: &[Finding]) -> Vec<Vec<String>> {
    feedback
        .iter()
        .filter_map(|f| match &f.fix {
            Fix::Reword {
                phrase: Some(phrase),
            } => Some(words(phrase)),
            _ => None,
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a sentence mostly repeats `source` (a small model echoes its prompt: "In the
/// story, Hazel is no longer afraid…"): most of its words are the source's.
fn parrots(sentence: &str, source: &str) -> bool {
    let said = words(sentence);
    let heard: std::collections::HashSet<String> = words(source).into_iter().collect();
    let echoed = said.iter().filter(|w| heard.contains(*w)).count();
    said.len() >= 4 && echoed * 10 >= said.len() * 7
}

fn holds(sentence: &str, phrase: &[String]) -> bool {
    let ws = words(sentence);
    ws.windows(phrase.len()).any(|w| w == phrase)
}

/// The sentences of a reply worth keeping: prose, short enough for a picture book, safe,
/// without the chatter a small instruct model adds ("Sure! Here is…").
fn clean(reply: &str) -> Vec<String> {
    let text: String = reply
        .chars()
        .map(|c| match c {
            '*' | '#' | '_' | '`' | '\u{201c}' | '\u{201d}' => ' ',
            '\n' => ' ',
            c => c,
        })
        .collect();
    let mut kept = Vec::new();
    let mut rest = text.as_str();
    while let Some(end) = rest.find(['.', '!', '?']) {
        let (sentence, tail) = rest.split_at(end + 1);
        rest = tail;
        let joined = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
        let s = joined.trim_matches('"').trim();
        let n = words(s).len();
        let lower = s.to_lowercase();
        let chatter = [
            "sure", "here is", "here's", "page", "title", "story:", "as an ai",
        ]
        .iter()
        .any(|c| lower.starts_with(c));
        let prose = s.chars().all(|c| c.is_ascii() && !c.is_ascii_control())
            && s.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        if (3..=18).contains(&n) && prose && !chatter && !talks_about(s) && safety(s).is_empty() {
            kept.push(s.to_owned());
        }
    }
    kept
}

/// Words of a sentence that talks about the story instead of telling it, as a small model
/// does when it answers its prompt ("The dark is a character in my story.", "In the story,
/// I added a detail…", "I live in a picture book for children").
const ABOUT_THE_STORY: &[&str] = &[
    "story",
    "stories",
    "character",
    "characters",
    "chapter",
    "narrator",
    "reader",
    "readers",
    "author",
    "sentence",
    "sentences",
    "paragraph",
    "prompt",
    "detail",
    "details",
];

/// Whether a sentence talks about the story (or its writing) rather than telling it.
fn talks_about(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    lower.contains("what happens")
        || lower.contains("picture book")
        || words(sentence)
            .iter()
            .any(|w| ABOUT_THE_STORY.contains(&w.as_str()))
}

/// Whether a narrator's sentence is in the first person: the model talking as itself
/// ("This was not what I needed for my daughter's gift."), since the pages are told in
/// the third person and the characters' own words come from their personas.
fn speaks_as_itself(sentence: &str) -> bool {
    words(sentence).iter().any(|w| {
        matches!(
            w.as_str(),
            "i" | "i'm" | "i've" | "i'll" | "i'd" | "me" | "my" | "mine" | "myself"
        )
    })
}

/// Who is what, for the kind check.
fn cast_kinds(brief: &StoryBrief) -> Vec<(String, String)> {
    brief
        .cast
        .iter()
        .map(|c| (c.name.clone(), c.kind.clone()))
        .collect()
}

fn usage_of(generation: &Generation) -> Usage {
    Usage {
        calls: 1,
        input_tokens: generation.prompt_tokens as u64,
        output_tokens: generation.output_tokens as u64,
        images: 0,
    }
}

#[async_trait]
impl TextModel for LocalLlm {
    fn info(&self) -> ModelInfo {
        ModelInfo {
            id: MODEL_ID.into(),
            offline: true,
            description: "SmolLM2-135M-Instruct (Q4_1) on this machine's CPU through candle: \
                          writes each page and each character's lines; the arc comes from \
                          the offline director"
                .into(),
        }
    }

    async fn generate(&self, request: &TextRequest) -> Result<TextResponse> {
        match &request.task {
            TextTask::Plan { .. } => self.director.generate(request).await,
            TextTask::Persona {
                brief,
                plan,
                page,
                character,
            } => {
                let beat = beat(plan, *page)?;
                let who = brief
                    .cast
                    .iter()
                    .find(|c| &c.name == character)
                    .ok_or_else(|| Error::Permanent(format!("{character} is not in the cast")))?;
                let (text, usage) = self
                    .persona(beat, who, &cast_kinds(brief), request.seed)
                    .await?;
                Ok(TextResponse { text, usage })
            }
            TextTask::Page {
                brief,
                plan,
                page,
                proposals,
                feedback,
                ..
            } => {
                let beat = beat(plan, *page)?;
                let lines: Vec<String> = proposals.iter().map(|p| p.text.clone()).collect();
                let (text, usage) = self
                    .page(brief, beat, &lines, feedback, request.seed)
                    .await?;
                Ok(TextResponse { text, usage })
            }
        }
    }
}

fn beat(plan: &storyloom_domain::StoryPlan, page: u32) -> Result<&PageBeat> {
    plan.beat(page)
        .ok_or_else(|| Error::Permanent(format!("the plan has no page {page}")))
}

/// Loads the model file into a writer, off the async threads.
pub async fn load(path: std::path::PathBuf) -> std::result::Result<Arc<LocalLlm>, EngineError> {
    let engine = tokio::task::spawn_blocking(move || Engine::load(&path))
        .await
        .map_err(|e| EngineError::Candle(candle_core::Error::Msg(e.to_string())))??;
    Ok(Arc::new(LocalLlm::new(engine)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chatter_and_fragments_are_dropped_and_prose_is_kept() {
        let reply = "Sure! Here is the page.\n**Tom** looked up at the big dark sky. \
                     Then he smiled at Mia! 🎈 And then they";
        assert_eq!(
            clean(reply),
            vec![
                "Tom looked up at the big dark sky.".to_owned(),
                "Then he smiled at Mia!".to_owned()
            ]
        );
    }

    #[test]
    fn phrases_review_called_overused_are_found_in_sentences() {
        use storyloom_domain::gates::Gate;
        let avoid = overused(&[
            Finding {
                gate: Gate::Repetition,
                page: None,
                // The message is for people: rewording it changes nothing here.
                message: "this wording is used too often".to_owned(),
                fix: Fix::Reword {
                    phrase: Some("in the forest hazel".to_owned()),
                },
            },
            Finding {
                gate: Gate::PageLength,
                page: Some(2),
                message: "the phrase \"too short\" is not what this is about".to_owned(),
                fix: Fix::Lengthen { min_words: 20 },
            },
        ]);
        assert_eq!(avoid, vec![words("in the forest hazel")]);
        assert!(holds("Deep in the forest, Hazel hid.", &avoid[0]));
        assert!(!holds("Hazel hid in the forest.", &avoid[0]));
    }

    #[test]
    fn an_echo_of_the_prompt_is_not_a_line() {
        let prompt = "In the story, Hazel is no longer troubled by the dark. What do you say?";
        assert!(parrots(
            "In the story, Hazel is no longer troubled by the dark.",
            prompt
        ));
        assert!(!parrots("I can see the stars from up here!", prompt));
    }

    #[test]
    fn talk_about_the_story_is_not_the_story() {
        let reply = "The dark is a character in my story. Hazel hid under the leaves. \
                     In the story, I added a detail about Hazel. What happens: Otto flies home. \
                     I live in a picture book for children. Otto hooted at the moon.";
        assert_eq!(
            clean(reply),
            vec![
                "Hazel hid under the leaves.".to_owned(),
                "Otto hooted at the moon.".to_owned()
            ]
        );
    }

    #[test]
    fn the_narrator_never_speaks_as_itself() {
        assert!(speaks_as_itself(
            "This was not what I needed for my daughter's gift."
        ));
        assert!(speaks_as_itself("So I created this little thing."));
        assert!(!speaks_as_itself("Hazel looked up at the big moon."));
    }

    #[test]
    fn unsafe_sentences_never_reach_the_page() {
        assert!(clean("The fox had a gun in the wood.").is_empty());
    }
}
