//! The chronicler: one page from its beat and the personas' lines, adjusted after review.

use super::*;

/// How the writer adjusts a page after review feedback.
#[derive(Debug, Default)]
pub(super) struct Adjust {
    pub(super) shorter: bool,
    pub(super) longer: bool,
    pub(super) simpler: bool,
    pub(super) reword: bool,
    pub(super) show_traits: bool,
}

impl Adjust {
    pub(super) fn from(feedback: &[Finding]) -> Adjust {
        let any = |wanted: fn(&Fix) -> bool| feedback.iter().any(|f| wanted(&f.fix));
        Adjust {
            shorter: any(|f| matches!(f, Fix::Shorten { .. })),
            longer: any(|f| matches!(f, Fix::Lengthen { .. })),
            simpler: any(|f| matches!(f, Fix::Simplify)),
            reword: any(|f| matches!(f, Fix::Reword { .. })),
            show_traits: any(|f| matches!(f, Fix::ShowCharacter { .. })),
        }
    }
}

/// The chronicler: one page from its beat. A character with a persona's proposal says
/// that the first time they speak on the page.
pub(super) fn write_page(
    brief: &StoryBrief,
    plan: &StoryPlan,
    page: u32,
    feedback: &[Finding],
    proposals: &[Proposal],
    seed: u64,
) -> Result<String> {
    let beat = plan
        .beat(page)
        .ok_or_else(|| Error::Permanent(format!("the plan has no page {page}")))?;
    let adjust = Adjust::from(feedback);
    let salt = if adjust.reword {
        seed.rotate_left(17)
    } else {
        seed
    };
    let mut dice = Dice::new(salt);
    let problem = premise::problem(&brief.premise);
    let member = |name: &str| brief.cast.iter().find(|c| c.name == name);
    let hero = &brief.cast[0];
    let others: Vec<&CastMember> = beat
        .characters
        .iter()
        .filter_map(|n| member(n))
        .filter(|c| c.name != hero.name)
        .collect();
    let friend = others.first().copied();
    let band = brief.age_band;
    let rich = band != AgeBand::Ages3To5 && !adjust.simpler;
    let mut s: Vec<String> = Vec::new();
    // Choices that must not repeat across pages are spread over the book (see Dice::spread).
    let book_seed = plan_seed(plan) ^ seed_from(&brief.premise) ^ u64::from(adjust.reword);
    let idx = page as usize;
    let simple = band == AgeBand::Ages3To5;
    let spoken = std::cell::RefCell::new(Vec::<String>::new());
    let worry = problem.worries();
    let say = |c: &CastMember, line: Line, worried: bool, dice: &mut Dice| {
        // Always drawn, so the rest of the page comes out the same with or without proposals.
        let own = Voice::read(&c.voice).say(
            &c.name,
            line,
            worry.as_ref().filter(|_| worried),
            simple,
            turn(plan, &c.name, line, page),
            &mut Dice::new(
                book_seed ^ seed_from(&c.name) ^ (idx as u64) ^ u64::from(dice.below(2) as u8),
            ),
        );
        let proposed = proposals
            .iter()
            .find(|p| p.page == page && p.character == c.name);
        match proposed {
            Some(p) if !spoken.borrow().contains(&c.name) => {
                spoken.borrow_mut().push(c.name.clone());
                p.text.clone()
            }
            _ => own,
        }
    };
    // The scene is set when it changes, as a writer would, not on every page.
    let previous = page.checked_sub(2).and_then(|i| plan.beats.get(i as usize));
    if previous.is_none_or(|p| p.setting != beat.setting || p.time_of_day != beat.time_of_day) {
        // Counted over the scene changes, so each one in a book gets its own line.
        let changes = plan
            .beats
            .iter()
            .take(page as usize)
            .zip(std::iter::once(None).chain(plan.beats.iter().map(Some)))
            .filter(|(b, before)| {
                before.is_none_or(|p| p.setting != b.setting || p.time_of_day != b.time_of_day)
            })
            .count();
        s.push(scene_line(
            &beat.setting,
            beat.time_of_day,
            band,
            book_seed,
            changes,
        ));
    }
    // A character met for the first time is introduced, traits and all.
    let first_seen = |name: &String| {
        !plan
            .beats
            .iter()
            .take(page as usize - 1)
            .any(|b| b.characters.contains(name))
    };
    if beat.phase != ArcPhase::Setup {
        for c in others.iter().filter(|c| first_seen(&c.name)) {
            s.push(introduce(c, band, &mut dice));
        }
    }
    match beat.phase {
        ArcPhase::Setup => {
            let newcomers: Vec<&CastMember> = std::iter::once(hero)
                .chain(others.iter().copied())
                .filter(|c| first_seen(&c.name))
                .collect();
            if newcomers.is_empty() {
                let h = &hero.name;
                let days = [
                    format!("{h} liked to play all day long."),
                    format!("{h} loved to explore and look at things closely."),
                    format!("Every day, {h} found something new."),
                ];
                s.push(Dice::spread(book_seed, "day", &days, idx));
            }
            for c in newcomers {
                s.push(introduce(c, band, &mut dice));
                if c.name == hero.name || rich {
                    s.push(say(c, Line::Hello, false, &mut dice));
                }
            }
        }
        ArcPhase::Problem
            if plan
                .beat(page - 1)
                .is_some_and(|b| b.phase == ArcPhase::Problem) =>
        {
            let h = &hero.name;
            let more = [
                format!("The problem would not go away. {h} thought about it all day."),
                format!("{h} hid under the blanket and did not want to come out."),
                format!("{h} felt stuck, and a little bit sad."),
            ];
            s.push(Dice::spread(book_seed, "stuck", &more, idx));
            s.push(say(hero, Line::Worry, true, &mut dice));
        }
        ArcPhase::Problem => {
            s.push(format!("But {} had a problem.", hero.name));
            s.push(match &problem {
                Problem::Fear(x) => format!("{} was afraid of {x}.", hero.name),
                Problem::Lost(x) if simple => format!("{} could not find {x}.", hero.name),
                Problem::Lost(x) => format!("{} could not find {x} anywhere.", hero.name),
                Problem::Goal(x) => format!("{} wanted to {x}, but did not know how.", hero.name),
                Problem::Puzzle(_) => format!("{} did not know what to do.", hero.name),
            });
            s.push(say(hero, Line::Worry, true, &mut dice));
            if rich {
                s.push(
                    dice.pick(&[
                        format!("{}'s tummy felt tight, like a knot in a string.", hero.name),
                        format!("{} curled up small and wished the feeling away.", hero.name),
                    ])
                    .clone(),
                );
            }
        }
        ArcPhase::Attempt => {
            s.push(beat.summary.clone());
            if let Some(f) = friend.filter(|_| idx.is_multiple_of(2) || rich) {
                s.push(say(f, Line::Cheer, false, &mut dice));
            }
            let h = &hero.name;
            let feelings = [
                format!("{h} felt a tiny bit better."),
                format!("It was not easy, but {h} kept going."),
                format!("{h} took a deep breath."),
                format!("Little by little, {h} was getting there."),
                format!("{h} wobbled, then stood up tall."),
                format!("{h}'s heart went thump, thump, thump."),
                "It helped, just a little.".to_string(),
                format!("{h} was not ready yet."),
                format!("{h} gave a small, brave nod."),
                "Maybe tomorrow would be easier.".to_string(),
                format!("{h} tried to smile."),
                format!("Each time, {h} grew a little stronger."),
            ];
            s.push(Dice::spread(book_seed, "feeling", &feelings, idx));
            if rich && idx % 4 == 1 {
                s.push(say(hero, Line::Idea, false, &mut dice));
            }
        }
        ArcPhase::Turn => {
            let trait_word = hero
                .traits
                .first()
                .cloned()
                .unwrap_or_else(|| "brave".into());
            let h = &hero.name;
            s.push(Dice::spread(
                book_seed,
                "turn",
                &if simple {
                    [
                        format!("Then {h} had a thought."),
                        format!("Then {h} knew what to do."),
                        format!("Then {h} saw a way."),
                    ]
                } else {
                    [
                        format!("Then {h} remembered something important."),
                        format!("Suddenly, {h} understood."),
                        format!("Then {h} had a thought."),
                    ]
                },
                idx,
            ));
            s.push(Dice::spread(
                book_seed,
                "trait",
                &[
                    format!("{h} was {trait_word}, even when things felt hard."),
                    format!("Deep down, {h} had always been {trait_word}."),
                    format!("{h} could be {trait_word} after all."),
                ],
                idx,
            ));
            let near: Vec<&str> = others.iter().map(|f| f.name.as_str()).collect();
            if !near.is_empty() {
                s.push(format!("{} stayed close by.", join_names(&near)));
            }
            s.push(say(hero, Line::Idea, false, &mut dice));
        }
        ArcPhase::Resolution => {
            let last_page = page == brief.page_count;
            s.push(match &problem {
                _ if !last_page
                    && page > 1
                    && plan
                        .beat(page + 1)
                        .is_some_and(|b| b.phase == ArcPhase::Resolution) =>
                {
                    format!("Now it all felt new for {}.", hero.name)
                }
                Problem::Fear(x) => format!("Now {} was not afraid of {x} any more.", hero.name),
                Problem::Lost(x) => format!("At last, {} found {x}!", hero.name),
                Problem::Goal(x) => format!("And at last, {} could {x}!", hero.name),
                Problem::Puzzle(_) => format!("At last, {} had found a way.", hero.name),
            });
            let names: Vec<&str> = beat.characters.iter().map(String::as_str).collect();
            let together = join_names(&names);
            s.push(Dice::spread(
                book_seed,
                "together",
                &[
                    format!("{together} laughed together."),
                    format!("{together} danced in a circle."),
                    format!("{together} shared a big hug."),
                ],
                idx,
            ));
            s.push(say(hero, Line::Joy, false, &mut dice));
            if page == brief.page_count {
                s.push(
                    dice.pick(&[
                        "And they all slept well that night.",
                        "It was the best day of all.",
                        "What a day it had been.",
                    ])
                    .to_string(),
                );
            }
        }
    }
    // Every character on the page gets at least a mention, and their traits get shown.
    for c in std::iter::once(hero)
        .chain(others.iter().copied())
        .filter(|c| beat.characters.contains(&c.name))
    {
        let text = s.join(" ");
        if !text.contains(&c.name) {
            let n = &c.name;
            let along = [
                format!("{n} was there too."),
                format!("{n} came along."),
                format!("{n} watched closely."),
                format!("{n} stayed near."),
            ];
            s.push(Dice::spread(book_seed ^ seed_from(n), "along", &along, idx));
        }
        if adjust.show_traits
            && !c.traits.is_empty()
            && !c.traits.iter().all(|t| text.contains(t.as_str()))
        {
            s.push(format!(
                "{} was {}.",
                c.name,
                join_names(&c.traits.iter().map(String::as_str).collect::<Vec<_>>())
            ));
        }
    }
    if band == AgeBand::Ages9To12 && !adjust.shorter {
        if idx % 3 == 1
            && let Some(detail) = detail_line(&beat.setting, book_seed, idx / 3)
        {
            s.insert(1, detail);
        }
        let h = &hero.name;
        let thoughts = [
            format!("{h} wondered what the others were thinking."),
            format!("Inside, {h} felt a mix of hope and worry."),
            format!("{h} remembered a story Grandma used to tell."),
            format!("It surprised {h} how quickly the time went."),
            format!("{h} noticed small things: a feather, a pebble, a curl of smoke."),
            format!("Part of {h} wanted to run, and part of {h} wanted to stay."),
            format!("{h} made a quiet promise not to give up."),
            format!("The world seemed bigger than {h} had ever known."),
            format!("{h} listened to the beating of a hopeful heart."),
            format!("For a moment, {h} simply breathed."),
            format!("{h} felt braver than the day before."),
            format!("A small, stubborn hope grew inside {h}."),
            format!("{h} thought about how far they had come."),
            format!("Somewhere deep down, {h} knew it would work out."),
        ];
        s.push(Dice::spread(book_seed, "thought", &thoughts, idx));
    }
    let range = band.words_per_page();
    let count = |s: &[String]| storyloom_domain::readability::words(&s.join(" ")).len();
    // The beat's own sentences carry the story (and the premise's things): trimming
    // takes the others.
    while (adjust.shorter || count(&s) > *range.end())
        && s.len() > 3
        && count(&s) > *range.start() + 10
    {
        match (1..s.len()).find(|&i| s[i] != beat.summary && !names_a_planned_thing(&s[i], beat)) {
            Some(i) => {
                s.remove(i);
            }
            None => break,
        }
    }
    let start = idx * 3;
    let mut filler = 0;
    while (count(&s) < *range.start() || adjust.longer && filler == 0) && filler < 7 {
        s.push(filler_line(
            &hero.name,
            &beat.setting,
            book_seed,
            start + filler,
        ));
        filler += 1;
    }
    if adjust.simpler && !adjust.shorter {
        // Review found the page too hard. Its beat is fixed by the plan, so ease it the
        // way a writer would: end on short lines of one-syllable words.
        let easy = [
            "The sun was warm.",
            "It was a good day.",
            "The wind was soft.",
            "A bird sang.",
            "It felt good.",
            "The sky was blue.",
            "A bee hummed.",
            "The grass was green.",
            "A frog said hop.",
            "The clouds went by.",
        ];
        for i in 0..2 {
            if count(&s) + 4 <= *range.end() {
                s.push(Dice::spread(book_seed, "easy", &easy, idx * 2 + i).to_owned());
            }
        }
    }
    Ok(s.join(" "))
}

/// Whether a sentence names one of the things the plan put on the page.
pub(super) fn names_a_planned_thing(sentence: &str, beat: &PageBeat) -> bool {
    let named = props::props_in(sentence);
    beat.objects.iter().any(|o| named.contains(o))
}

pub(super) fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A character met for the first time, as a storyteller introduces them: who they are
/// and what they are like in one sentence, not a list of facts.
pub(super) fn introduce(c: &CastMember, band: AgeBand, dice: &mut Dice) -> String {
    let traits: Vec<&str> = c.traits.iter().map(String::as_str).collect();
    let (name, kind) = (&c.name, &c.kind);
    if traits.is_empty() {
        return format!("{name} was a little {kind}.");
    }
    let all = join_names(&traits);
    let a = article(traits[0]);
    let mut options = vec![
        format!("{name} was {a} {all} {kind}."),
        format!("Meet {name}, {a} {all} {kind}."),
    ];
    if band != AgeBand::Ages3To5 {
        options.push(format!("There was once {a} {all} {kind} called {name}."));
        options.push(format!("Everyone knew {name} the {kind} was {all}."));
    }
    dice.pick(&options).clone()
}

/// "a" or "an", by how the word sounds.
pub(super) fn article(word: &str) -> &'static str {
    let w = word.to_lowercase();
    let vowel_sound = (w.starts_with(['a', 'e', 'i', 'o', 'u'])
        && !["uni", "use", "usu", "one", "eu"]
            .iter()
            .any(|p| w.starts_with(p)))
        || ["hour", "honest", "honour", "heir"]
            .iter()
            .any(|p| w.starts_with(p));
    if vowel_sound { "an" } else { "a" }
}
