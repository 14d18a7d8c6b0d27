//! The director: the arc, its beats, the places and things the premise names, and the title.

use super::*;

/// Attempts for each kind of problem: `{hero}`, `{helper}` and `{x}` are filled in.
pub(super) fn attempts(problem: &Problem) -> &'static [&'static str] {
    match problem {
        Problem::Fear(_) => &[
            "{helper} gave {hero} a little lantern, but {x} still felt too big.",
            "{hero} and {helper} counted the stars, one by one.",
            "{helper} showed {hero} the sounds of the night: a cricket, an owl, the wind.",
            "{hero} sang a soft song to feel a bit braver.",
            "{hero} peeked out of the door and took one small step.",
            "{helper} said that we all feel scared at times.",
            "They found fireflies glowing in the grass like tiny lamps.",
            "{hero} and {helper} walked to the gate and back, side by side.",
            "{hero} made a shadow puppet of a rabbit on the wall.",
            "{helper} and {hero} sat still and let their eyes get used to {x}.",
            "{hero} hugged a soft toy and listened to the rain.",
            "{helper} hung a tiny bell by the window to ring if {hero} felt alone.",
            "{hero} drew a picture of {x} with a big smile on it.",
            "They made up a silly song about the moon.",
        ],
        Problem::Lost(_) => &[
            "{hero} looked under the bushes, but {x} was not there.",
            "{helper} climbed up high to look all around.",
            "{hero} followed a trail of little clues.",
            "They asked the ducks by the pond for help.",
            "{hero} went back over every step of the day.",
            "{helper} found a clue caught on a branch.",
            "They searched by the old stone wall.",
            "{hero} called out, and an echo called back.",
            "{helper} drew a map with a stick in the mud.",
            "They looked inside a hollow log, and found only a beetle.",
            "{hero} asked a snail, but the snail was far too slow to answer.",
            "{helper} spotted something shiny in the reeds.",
            "They followed footprints all the way to the river.",
            "{hero} shook the tall grass, and out hopped a frog.",
        ],
        Problem::Goal(_) => &[
            "{hero} tried to {x} alone, and tumbled down.",
            "{helper} showed {hero} how to start small.",
            "{hero} practised every morning before breakfast.",
            "{hero} tried again, and did a little better.",
            "They made a plan together and drew it in the sand.",
            "{helper} cheered while {hero} had another go.",
            "{hero} watched how others did it, very closely.",
            "{hero} fell over, laughed, and got back up.",
            "{helper} held on tight while {hero} found a rhythm.",
            "{hero} tried it slowly, one part at a time.",
            "{hero} counted to three and jumped in.",
            "{helper} made it into a game, and {hero} giggled.",
            "{hero} was tired, so they rested under a tree.",
            "{hero} tried once more in front of everyone.",
        ],
        Problem::Puzzle(_) => &[
            "{hero} thought hard about what to do.",
            "{helper} had an idea, and they tried it at once.",
            "The first plan did not work at all.",
            "{hero} asked a wise old tortoise for advice.",
            "They tried a different way, step by step.",
            "{helper} found something useful nearby.",
            "{hero} drew the problem in the dirt to see it better.",
            "They worked together, and it nearly worked.",
            "{hero} listened carefully to {helper}.",
            "{helper} and {hero} took a rest and tried again.",
            "{hero} asked the birds what they would do.",
            "They built a little model out of twigs.",
            "{helper} laughed, and that gave {hero} a new idea.",
            "{hero} made a list of ten ideas.",
        ],
    }
}

/// Plans the arc: setup, problem, rising attempts, the turn, the resolution.
pub(super) fn plan(brief: &StoryBrief, seed: u64) -> StoryPlan {
    let mut dice = Dice::new(seed ^ seed_from(&brief.premise));
    let problem = premise::problem(&brief.premise);
    let kinds: Vec<String> = brief.cast.iter().map(|c| c.kind.clone()).collect();
    let fallback = *dice.pick(&["meadow", "forest", "garden"]);
    let home = premise::setting(&brief.premise, &kinds, fallback);
    let hero = &brief.cast[0];
    let helpers: Vec<&CastMember> = if brief.cast.len() > 1 {
        brief.cast[1..].iter().collect()
    } else {
        vec![hero]
    };
    let n = brief.page_count.max(4) as usize;
    let phases = arc(n);
    // A hero alone has no one to help or to do things "together" with.
    let solo = brief.cast.len() == 1;
    let usable: Vec<&'static str> = attempts(&problem)
        .iter()
        .copied()
        .filter(|i| !solo || !(i.contains("{helper}") || i.starts_with("They")))
        .collect();
    let ideas = dice.shuffled(&usable);
    let x = subject(&problem);
    let named = places::named_in_premise(&brief.premise);
    let title = brief
        .title
        .clone()
        .unwrap_or_else(|| title(hero, &problem, &named, &mut dice));
    // What the premise names, and where each goes: a place the story travels to gets the
    // attempts from its first on; every other object gets an attempt of its own (the ones
    // the problem names are there already), shared out when there are more than attempts.
    let goal_things = props::props_in(&x);
    let quests: Vec<&String> = named
        .iter()
        .filter(|t| !goal_things.contains(t) && quest::line(t, solo).is_some())
        .filter(|t| t.as_str() != home)
        .collect();
    let attempt_pages = phases
        .iter()
        .filter(|p| **p == ArcPhase::Attempt)
        .count()
        .max(1);
    let mut beats = Vec::with_capacity(n);
    let mut attempt_no = 0;
    let mut here = home.to_owned();
    for (i, phase) in phases.iter().enumerate() {
        let page = i as u32 + 1;
        let progress = i as f32 / n as f32;
        // Helpers take turns; every member of the cast gets at least one scene.
        let helper = helpers[i % helpers.len()];
        let (summary, characters) = match phase {
            ArcPhase::Setup if i == 0 => (
                format!("{} at home in the {home}.", hero.name),
                vec![hero.name.clone()],
            ),
            ArcPhase::Setup => {
                let friends: Vec<String> = helpers
                    .iter()
                    .map(|h| h.name.clone())
                    .filter(|h| *h != hero.name)
                    .collect();
                let mut who = vec![hero.name.clone()];
                who.extend(friends.iter().take(2).cloned());
                (
                    format!("{} and friends on an ordinary day.", hero.name),
                    who,
                )
            }
            ArcPhase::Problem => (
                format!("{} faces {}.", hero.name, problem.phrase()),
                vec![hero.name.clone()],
            ),
            ArcPhase::Attempt => {
                let mine: Vec<&str> = quests
                    .iter()
                    .enumerate()
                    .filter(|(q, _)| q % attempt_pages == attempt_no)
                    .filter_map(|(_, t)| quest::line(t, solo))
                    .collect();
                let idea = ideas[attempt_no % ideas.len()];
                attempt_no += 1;
                let lines: Vec<&str> = if mine.is_empty() { vec![idea] } else { mine };
                let fill = |line: &str| {
                    line.replace("{hero}", &hero.name)
                        .replace("{helper}", &helper.name)
                        .replace("{x}", &x)
                };
                let text = lines.iter().map(|l| fill(l)).collect::<Vec<_>>().join(" ");
                let mut who = vec![hero.name.clone()];
                if helper.name != hero.name
                    && lines
                        .iter()
                        .any(|l| l.contains("{helper}") || l.starts_with("They"))
                {
                    who.push(helper.name.clone());
                }
                (text, who)
            }
            ArcPhase::Turn => (
                format!(
                    "{} remembers what the friends taught and finds the courage inside.",
                    hero.name
                ),
                brief.cast.iter().map(|c| c.name.clone()).collect(),
            ),
            ArcPhase::Resolution => (
                format!(
                    "{} is no longer troubled by {}.",
                    hero.name,
                    problem.phrase()
                ),
                brief.cast.iter().map(|c| c.name.clone()).collect(),
            ),
        };
        // The story goes where the premise's places are, and stays there; otherwise an
        // attempt now and then takes a short trip from home.
        let mut objects: Vec<String> = props::props_in(&summary);
        if let Some(place) = places::places_in(&summary)
            .into_iter()
            .find(|p| named.iter().any(|n| n == p))
        {
            here = place.to_owned();
        }
        let setting = if here != home {
            here.clone()
        } else if matches!(phase, ArcPhase::Attempt) && i % 5 == 3 {
            premise::known_settings()
                .find(|s| *s != home && related(home, s))
                .unwrap_or(home)
                .to_owned()
        } else {
            home.to_owned()
        };
        // The problem page shows what the hero fears or wants, but not what is lost: that
        // is found at the end.
        match phase {
            ArcPhase::Problem if matches!(problem, Problem::Lost(_)) => {
                objects.retain(|o| !goal_things.contains(o))
            }
            ArcPhase::Problem => objects.extend(goal_things.iter().cloned()),
            ArcPhase::Resolution => objects.extend(goal_things.iter().cloned()),
            _ => {}
        }
        objects.dedup();
        let time_of_day = quest::light_for(&objects, premise::time_of_day(&problem, progress));
        beats.push(PageBeat {
            page,
            phase: *phase,
            summary,
            characters,
            setting,
            time_of_day,
            objects,
        });
    }
    // Every cast member appears at least once: add anyone left out to the turn.
    for member in &brief.cast {
        if !beats.iter().any(|b| b.characters.contains(&member.name))
            && let Some(b) = beats
                .iter_mut()
                .rev()
                .find(|b| b.phase == ArcPhase::Turn || b.phase == ArcPhase::Resolution)
        {
            b.characters.push(member.name.clone());
        }
    }
    StoryPlan {
        title,
        problem: problem.phrase(),
        objects: named,
        beats,
    }
}

/// Settings that make sense as a short trip from home.
pub(super) fn related(home: &str, other: &str) -> bool {
    matches!(
        (home, other),
        ("forest", "meadow")
            | ("meadow", "forest")
            | ("garden", "meadow")
            | ("home", "garden")
            | ("farm", "meadow")
            | ("seaside", "meadow")
            | ("city", "garden")
            | ("mountain", "forest")
            | ("castle", "forest")
            | ("space", "home")
    )
}

/// How many pages each phase gets.
pub(super) fn arc(n: usize) -> Vec<ArcPhase> {
    let setup = 1 + usize::from(n >= 10) + usize::from(n >= 24);
    let problem = 1 + usize::from(n >= 16);
    let resolution = 1 + usize::from(n >= 16);
    let turn = if n >= 5 { 1 + usize::from(n >= 20) } else { 0 };
    let attempts = n - setup - problem - resolution - turn;
    let mut v = vec![ArcPhase::Setup; setup];
    v.extend(vec![ArcPhase::Problem; problem]);
    v.extend(vec![ArcPhase::Attempt; attempts]);
    v.extend(vec![ArcPhase::Turn; turn]);
    v.extend(vec![ArcPhase::Resolution; resolution]);
    v
}

/// The problem's object as a phrase that fits a sentence ("the dark", "her kite").
pub(super) fn subject(problem: &Problem) -> String {
    match problem {
        Problem::Fear(x) | Problem::Lost(x) | Problem::Goal(x) | Problem::Puzzle(x) => x.clone(),
    }
}

/// A premise's thing as a title names it ("seaside" is "Sea").
pub(super) fn place_word(thing: &str) -> String {
    match thing {
        "seaside" => "sea".into(),
        "city" => "town".into(),
        "space" => "stars".into(),
        other => other.into(),
    }
}

pub(super) fn title(
    hero: &CastMember,
    problem: &Problem,
    things: &[String],
    dice: &mut Dice,
) -> String {
    let name = &hero.name;
    match problem {
        Problem::Fear(x) => dice
            .pick(&[
                format!("{name} and {}", title_case(x)),
                format!("{name} Is Not Afraid"),
                format!("Brave Little {name}"),
            ])
            .clone(),
        Problem::Lost(x) => dice
            .pick(&[
                format!("{name} and {}", title_case(x)),
                format!("{name} Finds {}", title_case(x)),
            ])
            .clone(),
        Problem::Goal(x) => match (x.strip_prefix("learn to "), things.first()) {
            (Some(skill), _) => format!("{name} Learns to {}", title_case(skill)),
            (None, Some(thing)) => format!("{name} and the {}", title_case(&place_word(thing))),
            (None, None) => dice
                .pick(&[format!("{name} Can Do It"), format!("{name} Tries Again")])
                .clone(),
        },
        Problem::Puzzle(_) => dice
            .pick(&[format!("{name}'s Big Day"), format!("{name} Finds a Way")])
            .clone(),
    }
}

/// A phrase in title case, to follow a title's first word: every word capitalised but
/// the small ones.
pub(super) fn title_case(s: &str) -> String {
    const SMALL: &[&str] = &[
        "a", "an", "the", "and", "of", "to", "in", "on", "at", "for", "with",
    ];
    s.split_whitespace()
        .map(|w| {
            if SMALL.contains(&w) {
                return w.to_owned();
            }
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join(" ")
}
