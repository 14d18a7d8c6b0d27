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
    let mut writer = Chronicler::new(brief, plan, page, feedback, proposals, seed)?;
    writer.set_the_scene();
    writer.introduce_newcomers();
    match writer.beat.phase {
        ArcPhase::Setup => writer.setup(),
        ArcPhase::Problem if writer.problem_goes_on() => writer.problem_again(),
        ArcPhase::Problem => writer.problem(),
        ArcPhase::Attempt => writer.attempt(),
        ArcPhase::Turn => writer.turn(),
        ArcPhase::Resolution => writer.resolution(),
    }
    writer.show_everyone_on_the_page();
    writer.deepen_for_older_readers();
    writer.fit_the_length();
    writer.ease_if_too_hard();
    Ok(writer.lines.join(" "))
}

/// One page being written: its beat, who is on it, the review's adjustments, the dice,
/// and the sentences so far. Every choice is drawn in a fixed order, so a page comes out
/// the same for the same seed.
struct Chronicler<'a> {
    brief: &'a StoryBrief,
    plan: &'a StoryPlan,
    beat: &'a PageBeat,
    page: u32,
    /// The page's index (its number), for choices spread over the book.
    idx: usize,
    adjust: Adjust,
    dice: Dice,
    /// Seeds choices that must not repeat across pages (see `Dice::spread`).
    book_seed: u64,
    problem: Problem,
    worry: Option<(String, String)>,
    hero: &'a CastMember,
    /// Everyone else the beat puts on the page.
    others: Vec<&'a CastMember>,
    band: AgeBand,
    /// Older readers (unless review asked for simpler words) get the richer lines.
    rich: bool,
    simple: bool,
    proposals: &'a [Proposal],
    /// Who already said their proposed line on this page.
    spoken: Vec<String>,
    lines: Vec<String>,
}

impl<'a> Chronicler<'a> {
    fn new(
        brief: &'a StoryBrief,
        plan: &'a StoryPlan,
        page: u32,
        feedback: &[Finding],
        proposals: &'a [Proposal],
        seed: u64,
    ) -> Result<Self> {
        let beat = plan
            .beat(page)
            .ok_or_else(|| Error::Permanent(format!("the plan has no page {page}")))?;
        let adjust = Adjust::from(feedback);
        let salt = if adjust.reword {
            seed.rotate_left(17)
        } else {
            seed
        };
        let problem = premise::problem(&brief.premise);
        let hero = &brief.cast[0];
        let others: Vec<&CastMember> = beat
            .characters
            .iter()
            .filter_map(|n| brief.cast.iter().find(|c| &c.name == n))
            .filter(|c| c.name != hero.name)
            .collect();
        let band = brief.age_band;
        Ok(Chronicler {
            brief,
            plan,
            beat,
            page,
            idx: page as usize,
            rich: band != AgeBand::Ages3To5 && !adjust.simpler,
            simple: band == AgeBand::Ages3To5,
            book_seed: plan_seed(plan) ^ seed_from(&brief.premise) ^ u64::from(adjust.reword),
            dice: Dice::new(salt),
            worry: problem.worries(),
            problem,
            adjust,
            hero,
            others,
            band,
            proposals,
            spoken: Vec::new(),
            lines: Vec::new(),
        })
    }

    fn push(&mut self, line: String) {
        self.lines.push(line);
    }

    /// A line spread over the book's pages from `options` under `key`.
    fn spread(&mut self, key: &str, options: &[String]) {
        let line = Dice::spread(self.book_seed, key, options, self.idx);
        self.lines.push(line);
    }

    /// What `c` says: their persona's proposal the first time they speak on the page,
    /// else their own voice's line.
    fn say(&mut self, c: &CastMember, line: Line, worried: bool) -> String {
        // Always drawn, so the rest of the page comes out the same with or without proposals.
        let own = Voice::read(&c.voice).say(
            &c.name,
            line,
            self.worry.as_ref().filter(|_| worried),
            self.simple,
            turn(self.plan, &c.name, line, self.page),
            &mut Dice::new(
                self.book_seed
                    ^ seed_from(&c.name)
                    ^ (self.idx as u64)
                    ^ u64::from(self.dice.below(2) as u8),
            ),
        );
        let proposed = self
            .proposals
            .iter()
            .find(|p| p.page == self.page && p.character == c.name);
        match proposed {
            Some(p) if !self.spoken.contains(&c.name) => {
                self.spoken.push(c.name.clone());
                p.text.clone()
            }
            _ => own,
        }
    }

    /// The scene is set when it changes, as a writer would, not on every page.
    fn set_the_scene(&mut self) {
        let (plan, beat, page) = (self.plan, self.beat, self.page);
        let previous = page.checked_sub(2).and_then(|i| plan.beats.get(i as usize));
        if previous.is_some_and(|p| p.setting == beat.setting && p.time_of_day == beat.time_of_day)
        {
            return;
        }
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
        let line = scene_line(
            &beat.setting,
            beat.time_of_day,
            self.band,
            self.book_seed,
            changes,
        );
        self.push(line);
    }

    /// Whether `name` is met for the first time on this page.
    fn first_seen(&self, name: &String) -> bool {
        !self
            .plan
            .beats
            .iter()
            .take(self.page as usize - 1)
            .any(|b| b.characters.contains(name))
    }

    /// A character met for the first time is introduced, traits and all (the setup
    /// introduces its own).
    fn introduce_newcomers(&mut self) {
        if self.beat.phase == ArcPhase::Setup {
            return;
        }
        for c in self.others.clone() {
            if self.first_seen(&c.name) {
                let line = introduce(c, self.band, &mut self.dice);
                self.push(line);
            }
        }
    }

    fn setup(&mut self) {
        let hero = self.hero;
        let newcomers: Vec<&CastMember> = std::iter::once(hero)
            .chain(self.others.iter().copied())
            .filter(|c| self.first_seen(&c.name))
            .collect();
        if newcomers.is_empty() {
            let h = &hero.name;
            self.spread(
                "day",
                &[
                    format!("{h} liked to play all day long."),
                    format!("{h} loved to explore and look at things closely."),
                    format!("Every day, {h} found something new."),
                ],
            );
        }
        for c in newcomers {
            let line = introduce(c, self.band, &mut self.dice);
            self.push(line);
            if c.name == hero.name || self.rich {
                let line = self.say(c, Line::Hello, false);
                self.push(line);
            }
        }
    }

    /// Whether the problem already filled the page before.
    fn problem_goes_on(&self) -> bool {
        self.plan
            .beat(self.page - 1)
            .is_some_and(|b| b.phase == ArcPhase::Problem)
    }

    fn problem_again(&mut self) {
        let hero = self.hero;
        let h = &hero.name;
        self.spread(
            "stuck",
            &[
                format!("The problem would not go away. {h} thought about it all day."),
                format!("{h} hid under the blanket and did not want to come out."),
                format!("{h} felt stuck, and a little bit sad."),
            ],
        );
        let line = self.say(hero, Line::Worry, true);
        self.push(line);
    }

    fn problem(&mut self) {
        let hero = self.hero;
        let h = &hero.name;
        self.push(format!("But {h} had a problem."));
        let line = match &self.problem {
            Problem::Fear(x) => format!("{h} was afraid of {x}."),
            Problem::Lost(x) if self.simple => format!("{h} could not find {x}."),
            Problem::Lost(x) => format!("{h} could not find {x} anywhere."),
            Problem::Goal(x) => format!("{h} wanted to {x}, but did not know how."),
            Problem::Puzzle(_) => format!("{h} did not know what to do."),
        };
        self.push(line);
        let line = self.say(hero, Line::Worry, true);
        self.push(line);
        if self.rich {
            let line = self
                .dice
                .pick(&[
                    format!("{h}'s tummy felt tight, like a knot in a string."),
                    format!("{h} curled up small and wished the feeling away."),
                ])
                .clone();
            self.push(line);
        }
    }

    fn attempt(&mut self) {
        let hero = self.hero;
        self.push(self.beat.summary.clone());
        let friend = self.others.first().copied();
        if let Some(f) = friend.filter(|_| self.idx.is_multiple_of(2) || self.rich) {
            let line = self.say(f, Line::Cheer, false);
            self.push(line);
        }
        let h = &hero.name;
        self.spread(
            "feeling",
            &[
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
            ],
        );
        if self.rich && self.idx % 4 == 1 {
            let line = self.say(hero, Line::Idea, false);
            self.push(line);
        }
    }

    fn turn(&mut self) {
        let hero = self.hero;
        let trait_word = hero
            .traits
            .first()
            .cloned()
            .unwrap_or_else(|| "brave".into());
        let h = &hero.name;
        let thought = if self.simple {
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
        };
        self.spread("turn", &thought);
        self.spread(
            "trait",
            &[
                format!("{h} was {trait_word}, even when things felt hard."),
                format!("Deep down, {h} had always been {trait_word}."),
                format!("{h} could be {trait_word} after all."),
            ],
        );
        let near: Vec<&str> = self.others.iter().map(|f| f.name.as_str()).collect();
        if !near.is_empty() {
            self.push(format!("{} stayed close by.", join_names(&near)));
        }
        let line = self.say(hero, Line::Idea, false);
        self.push(line);
    }

    fn resolution(&mut self) {
        let hero = self.hero;
        let (plan, page) = (self.plan, self.page);
        let h = &hero.name;
        let last_page = page == self.brief.page_count;
        let line = match &self.problem {
            _ if !last_page
                && page > 1
                && plan
                    .beat(page + 1)
                    .is_some_and(|b| b.phase == ArcPhase::Resolution) =>
            {
                format!("Now it all felt new for {h}.")
            }
            Problem::Fear(x) => format!("Now {h} was not afraid of {x} any more."),
            Problem::Lost(x) => format!("At last, {h} found {x}!"),
            Problem::Goal(x) => format!("And at last, {h} could {x}!"),
            Problem::Puzzle(_) => format!("At last, {h} had found a way."),
        };
        self.push(line);
        let names: Vec<&str> = self.beat.characters.iter().map(String::as_str).collect();
        let together = join_names(&names);
        self.spread(
            "together",
            &[
                format!("{together} laughed together."),
                format!("{together} danced in a circle."),
                format!("{together} shared a big hug."),
            ],
        );
        let line = self.say(hero, Line::Joy, false);
        self.push(line);
        if last_page {
            let line = self
                .dice
                .pick(&[
                    "And they all slept well that night.",
                    "It was the best day of all.",
                    "What a day it had been.",
                ])
                .to_string();
            self.push(line);
        }
    }

    /// Every character on the page gets at least a mention, and (when review asks) their
    /// traits get shown.
    fn show_everyone_on_the_page(&mut self) {
        let on_page: Vec<&CastMember> = std::iter::once(self.hero)
            .chain(self.others.iter().copied())
            .filter(|c| self.beat.characters.contains(&c.name))
            .collect();
        for c in on_page {
            let text = self.lines.join(" ");
            if !text.contains(&c.name) {
                let n = &c.name;
                let along = [
                    format!("{n} was there too."),
                    format!("{n} came along."),
                    format!("{n} watched closely."),
                    format!("{n} stayed near."),
                ];
                let line = Dice::spread(self.book_seed ^ seed_from(n), "along", &along, self.idx);
                self.push(line);
            }
            if self.adjust.show_traits
                && !c.traits.is_empty()
                && !c.traits.iter().all(|t| text.contains(t.as_str()))
            {
                let traits: Vec<&str> = c.traits.iter().map(String::as_str).collect();
                self.push(format!("{} was {}.", c.name, join_names(&traits)));
            }
        }
    }

    /// The oldest readers get a detail of the place and the hero's inner life, unless
    /// review asked for a shorter page.
    fn deepen_for_older_readers(&mut self) {
        if self.band != AgeBand::Ages9To12 || self.adjust.shorter {
            return;
        }
        if self.idx % 3 == 1
            && let Some(detail) = detail_line(&self.beat.setting, self.book_seed, self.idx / 3)
        {
            self.lines.insert(1, detail);
        }
        let h = &self.hero.name;
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
        self.spread("thought", &thoughts);
    }

    fn words(&self) -> usize {
        storyloom_domain::readability::words(&self.lines.join(" ")).len()
    }

    /// Into the age band's word range: trimmed (the beat's own sentences carry the story
    /// and the premise's things, so trimming takes the others), or filled out.
    fn fit_the_length(&mut self) {
        let range = self.band.words_per_page();
        let beat = self.beat;
        while (self.adjust.shorter || self.words() > *range.end())
            && self.lines.len() > 3
            && self.words() > *range.start() + 10
        {
            let spare = (1..self.lines.len()).find(|&i| {
                self.lines[i] != beat.summary && !names_a_planned_thing(&self.lines[i], beat)
            });
            match spare {
                Some(i) => {
                    self.lines.remove(i);
                }
                None => break,
            }
        }
        let start = self.idx * 3;
        let mut filler = 0;
        while (self.words() < *range.start() || self.adjust.longer && filler == 0) && filler < 7 {
            let line = filler_line(
                &self.hero.name,
                &beat.setting,
                self.book_seed,
                start + filler,
            );
            self.push(line);
            filler += 1;
        }
    }

    /// Review found the page too hard. Its beat is fixed by the plan, so ease it the way a
    /// writer would: end on short lines of one-syllable words.
    fn ease_if_too_hard(&mut self) {
        if !self.adjust.simpler || self.adjust.shorter {
            return;
        }
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
        let range = self.band.words_per_page();
        for i in 0..2 {
            if self.words() + 4 <= *range.end() {
                let line = Dice::spread(self.book_seed, "easy", &easy, self.idx * 2 + i);
                self.push(line.to_owned());
            }
        }
    }
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
