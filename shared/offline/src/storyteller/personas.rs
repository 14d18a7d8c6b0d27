//! The personas: what each character says on a page, in their voice, walked through across the book.

use super::*;

/// A persona's proposal: the line `character` says on `page`, in their voice, for what
/// the page's phase asks of them (a hello, a worry, an idea, cheer or joy).
pub(super) fn persona_line(
    brief: &StoryBrief,
    plan: &StoryPlan,
    page: u32,
    character: &str,
    seed: u64,
) -> Result<String> {
    let beat = plan
        .beat(page)
        .ok_or_else(|| Error::Permanent(format!("the plan has no page {page}")))?;
    let member = brief
        .cast
        .iter()
        .find(|c| c.name == character)
        .ok_or_else(|| Error::Permanent(format!("{character} is not in the cast")))?;
    let hero = brief.cast.first().is_some_and(|h| h.name == character);
    let line = match (beat.phase, hero) {
        (ArcPhase::Setup, _) => Line::Hello,
        (ArcPhase::Problem, true) => Line::Worry,
        (ArcPhase::Attempt | ArcPhase::Turn, true) => Line::Idea,
        (ArcPhase::Problem | ArcPhase::Attempt | ArcPhase::Turn, false) => Line::Cheer,
        (ArcPhase::Resolution, _) => Line::Joy,
    };
    let worry = premise::problem(&brief.premise).worries();
    Ok(Voice::read(&member.voice).say(
        &member.name,
        line,
        worry.as_ref(),
        brief.age_band == AgeBand::Ages3To5,
        turn(plan, &member.name, line, page),
        &mut Dice::new(seed),
    ))
}

/// A seed for choices fixed across a book: a new plan (a retelling) makes new ones.
pub(super) fn plan_seed(plan: &StoryPlan) -> u64 {
    let beats: String = plan.beats.iter().map(|b| b.summary.as_str()).collect();
    seed_from(&plan.title) ^ seed_from(&beats).rotate_left(13)
}

/// Which of a character's lines of a kind a page uses: the next one each page, from a
/// start fixed by the book and the character.
pub(super) fn turn(plan: &StoryPlan, name: &str, line: Line, page: u32) -> usize {
    let start = plan_seed(plan) ^ seed_from(name) ^ seed_from(&format!("{line:?}"));
    // Lines a writer uses every few pages still move on: page 1, 5 and 9 say different ones.
    let page = page as usize;
    (start % 1009) as usize + page + page / 4
}
