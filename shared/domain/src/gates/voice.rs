//! The voice gate: each character speaks the way their voice says.

use super::*;

/// Each character's lines against their declared voice; the share of lines that fit it,
/// over the whole cast (1 when nobody speaks).
pub fn voice(draft: &StoryDraft<'_>) -> (Vec<Finding>, f64) {
    let names: Vec<String> = draft.cast.iter().map(|c| c.name.clone()).collect();
    let mut lines: Vec<(u32, crate::voice::Speech)> = Vec::new();
    for (i, (text, _)) in draft.pages.iter().enumerate() {
        lines.extend(
            crate::voice::speeches(text, &names)
                .into_iter()
                .map(|s| (i as u32 + 1, s)),
        );
    }
    let mut findings = Vec::new();
    let (mut fitting, mut total) = (0.0, 0usize);
    for member in draft.cast {
        let theirs: Vec<&crate::voice::Speech> = lines
            .iter()
            .filter(|(_, s)| s.speaker == member.name)
            .map(|(_, s)| s)
            .collect();
        let profile = crate::voice::VoiceProfile::read(&member.voice);
        let simple = draft.age_band == AgeBand::Ages3To5;
        let (problems, share) = crate::voice::judge(profile, &member.name, &theirs, simple);
        fitting += share * theirs.len() as f64;
        total += theirs.len();
        for message in problems {
            // A broken line names its page; a missing habit is the whole story's.
            let page = lines
                .iter()
                .find(|(_, s)| {
                    s.speaker == member.name && message.contains(&format!("\"{}\"", s.line))
                })
                .map(|(p, _)| *p);
            findings.push(Finding {
                gate: Gate::Voice,
                page,
                message,
                fix: Fix::Other,
            });
        }
    }
    let share = if total == 0 {
        1.0
    } else {
        fitting / total as f64
    };
    (findings, share)
}
