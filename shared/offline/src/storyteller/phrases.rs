//! The tables of scene, detail and filler lines a book draws on, each said once before any twice.

use super::*;

pub(super) fn scene_line(
    setting: &str,
    time: storyloom_domain::TimeOfDay,
    band: AgeBand,
    seed: u64,
    idx: usize,
) -> String {
    use storyloom_domain::TimeOfDay::*;
    let place = place(setting);
    let simple: Vec<String> = match time {
        Morning => vec![
            format!("The sun came up over {place}."),
            format!("It was morning in {place}."),
            format!("Birds sang in {place}."),
            format!("A new day began in {place}."),
            format!("Dew twinkled in {place}."),
        ],
        Afternoon => vec![
            format!("The sun was warm in {place}."),
            format!("It was a bright day in {place}."),
            format!("A soft wind blew through {place}."),
            format!("Bees buzzed in {place}."),
            format!("Clouds drifted over {place}."),
        ],
        Evening => vec![
            format!("The sky turned pink over {place}."),
            format!("Evening came to {place}."),
            format!("The light grew low in {place}."),
            format!("The sun went down behind {place}."),
            format!("Shadows grew long in {place}."),
        ],
        Night => vec![
            format!("It was night in {place}."),
            format!("The moon shone over {place}."),
            format!("Stars came out above {place}."),
            format!("All was dark and still in {place}."),
            format!("An owl hooted in {place}."),
        ],
    };
    if band == AgeBand::Ages3To5 {
        return Dice::spread(seed, "scene", &simple, idx);
    }
    let rich: Vec<String> = match time {
        Morning => vec![
            format!("Dew sparkled all over {place} as the morning began."),
            format!("Morning light spilled gently across {place}."),
        ],
        Afternoon => vec![
            format!("The afternoon hummed with bees all over {place}."),
            format!("Long, lazy shadows stretched across {place}."),
        ],
        Evening => vec![
            format!("The sky over {place} turned the colour of peaches."),
            format!("As evening fell, {place} grew quiet and golden."),
        ],
        Night => vec![
            format!("Night wrapped {place} in a dark blue blanket."),
            format!("The moon hung like a lamp above {place}."),
        ],
    };
    let all: Vec<String> = simple.into_iter().chain(rich).collect();
    Dice::spread(seed, "scene", &all, idx)
}

pub(super) fn place(setting: &str) -> String {
    match setting {
        "home" => "the little house".into(),
        "space" => "the starry sky".into(),
        "seaside" => "the seaside".into(),
        "city" => "the busy town".into(),
        other => format!("the {other}"),
    }
}

/// The `n`-th detail of a setting for this book, until they run out (a detail said twice
/// is a repeat).
pub(super) fn detail_line(setting: &str, seed: u64, n: usize) -> Option<String> {
    let d: &[&str] = match setting {
        "forest" => &[
            "Tall trees creaked and whispered to one another.",
            "Moss made the path soft underfoot.",
        ],
        "seaside" => &[
            "Waves rolled in and out, patient as a clock.",
            "Gulls wheeled high above the sand.",
        ],
        "meadow" => &[
            "Poppies nodded among the long grass.",
            "Butterflies drifted from flower to flower.",
        ],
        "garden" => &[
            "Bean plants climbed their poles like ladders.",
            "A robin watched from the fence.",
        ],
        "city" => &[
            "Windows glowed in rows like friendly eyes.",
            "A bus rumbled past, full of sleepy faces.",
        ],
        "mountain" => &[
            "Snow glittered on the highest peaks.",
            "The air was cold and clean.",
        ],
        "space" => &[
            "Planets turned slowly, far away.",
            "Comets left silver trails.",
        ],
        "farm" => &[
            "The barn smelled of warm hay.",
            "Hens muttered in their coop.",
        ],
        "castle" => &[
            "Flags fluttered on the towers.",
            "The old stones remembered many stories.",
        ],
        _ => &[
            "Everything was calm and cosy.",
            "The clock ticked softly on the wall.",
        ],
    };
    (n < d.len()).then(|| Dice::spread(seed, setting, d, n).to_string())
}

/// The `n`-th line a book uses to fill out short pages: a seeded order of them all, so a
/// book says each once before any twice.
pub(super) fn filler_line(hero: &str, setting: &str, seed: u64, n: usize) -> String {
    let lines = [
        format!("{hero} looked around {}.", place(setting)),
        "Everything was very still.".to_string(),
        format!("{hero} listened and waited."),
        "A leaf floated down.".to_string(),
        format!("{hero} smiled a small smile."),
        "Somewhere, a bird called.".to_string(),
        "The day went on, slow and kind.".to_string(),
        format!(
            "{hero} thought about everything that had happened so far, and wondered what would come next."
        ),
        "A beetle hurried past on important business.".to_string(),
        format!(
            "{hero} noticed how the light changed the colour of {}.",
            place(setting)
        ),
        "Far away, someone was laughing.".to_string(),
        format!("{hero} hummed a tune without quite meaning to."),
        "A snail left a silver line on a stone.".to_string(),
        format!("{hero} counted five clouds and a bird."),
        "The wind told a story to the grass.".to_string(),
        format!("{hero} pressed a paw to the cool ground."),
        "Two butterflies chased each other and were gone.".to_string(),
        format!("{hero} wiggled and settled down again."),
        "A small cloud drifted over, like a sheep in the sky.".to_string(),
        format!("{hero} sniffed the air: rain later, perhaps."),
    ];
    Dice::spread(seed, "filler", &lines, n)
}
