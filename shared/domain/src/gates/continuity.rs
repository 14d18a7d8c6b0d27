//! The continuity gate: the cast appears, keeps its names, kinds, traits and colours.

use super::*;

/// Every cast member appears and keeps their name; every trait is shown somewhere; the
/// characters the plan puts on a page are on it; nobody is described against their traits.
pub fn continuity(draft: &StoryDraft<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let story: String = draft
        .pages
        .iter()
        .map(|(t, _)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let story_words: HashSet<String> = words(&story).into_iter().collect();
    // Each word of each name ("Mary Ann" is "mary" and "ann"), as the text is read below.
    let names: HashSet<String> = draft.cast.iter().flat_map(|c| words(&c.name)).collect();
    for member in draft.cast {
        if !mentions(&story, &member.name) {
            findings.push(Finding {
                gate: Gate::Continuity,
                page: None,
                message: format!(
                    "{} is in the cast but never appears; give them a part",
                    member.name
                ),
                fix: Fix::ShowCharacter {
                    name: member.name.clone(),
                },
            });
        }
        for t in &member.traits {
            if !words(t).iter().all(|w| story_words.contains(w)) {
                findings.push(Finding {
                    gate: Gate::Continuity,
                    page: None,
                    message: format!(
                        "{} should come across as {t}, but the story never shows it",
                        member.name
                    ),
                    fix: Fix::ShowCharacter {
                        name: member.name.clone(),
                    },
                });
            }
        }
    }
    for (i, (text, present)) in draft.pages.iter().enumerate() {
        let page = Some(i as u32 + 1);
        for name in present {
            if !mentions(text, name) {
                findings.push(Finding {
                    gate: Gate::Continuity,
                    page,
                    message: format!(
                        "the plan puts {name} on this page, but the text does not mention them"
                    ),
                    fix: Fix::Other,
                });
            }
        }
        // Words as `words` cuts them (letters, digits, apostrophes), so a name such as
        // "Mal0" or "O'Hara" is read whole, never as a slip of itself.
        for word in text
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .map(|w| w.trim_matches('\''))
            .map(|w| w.strip_suffix("'s").unwrap_or(w))
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        {
            let lower = word.to_lowercase();
            if names.contains(&lower) {
                continue;
            }
            if let Some(member) = draft.cast.iter().find(|c| {
                let n = c.name.to_lowercase();
                n.len() >= 4 && edit_distance(&n, &lower) == 1
            }) {
                findings.push(Finding {
                    gate: Gate::Continuity,
                    page,
                    message: format!(
                        "\"{word}\" looks like a misspelling of {}; keep the name exactly",
                        member.name
                    ),
                    fix: Fix::Reword { phrase: None },
                });
            }
        }
        for member in draft.cast {
            for s in crate::readability::sentences(text)
                .into_iter()
                .filter(|s| mentions(s, &member.name))
            {
                let sw: HashSet<String> = words(s).into_iter().collect();
                for t in &member.traits {
                    if let Some(opp) = opposite(t).filter(|o| sw.contains(*o)) {
                        findings.push(Finding {
                            gate: Gate::Continuity,
                            page,
                            message: format!(
                                "{} is {t}, but this page calls them {opp}",
                                member.name
                            ),
                            fix: Fix::ShowCharacter {
                                name: member.name.clone(),
                            },
                        });
                    }
                }
            }
        }
    }
    let texts: Vec<&str> = draft.pages.iter().map(|(t, _)| t.as_str()).collect();
    let kinds: Vec<(String, String)> = draft
        .cast
        .iter()
        .map(|c| (c.name.clone(), c.kind.clone()))
        .collect();
    findings.extend(
        crate::facts::kind_contradictions(&texts, &kinds)
            .into_iter()
            .chain(crate::facts::colour_contradictions(&texts))
            .map(|c| Finding {
                gate: Gate::Continuity,
                page: Some(c.page),
                message: c.message,
                fix: c
                    .character
                    .map_or(Fix::Other, |name| Fix::ShowCharacter { name }),
            }),
    );
    findings
}

/// A trait's opposite, for the words a story should not use about that character.
fn opposite(t: &str) -> Option<&'static str> {
    const PAIRS: &[(&str, &str)] = &[
        ("brave", "cowardly"),
        ("kind", "cruel"),
        ("gentle", "rough"),
        ("patient", "impatient"),
        ("honest", "dishonest"),
        ("tidy", "messy"),
        ("calm", "frantic"),
        ("cheerful", "gloomy"),
        ("generous", "selfish"),
        ("clever", "foolish"),
        ("friendly", "unfriendly"),
        ("helpful", "unhelpful"),
    ];
    PAIRS.iter().find_map(|&(a, b)| {
        if a == t {
            Some(b)
        } else if b == t {
            Some(a)
        } else {
            None
        }
    })
}

/// Edit distance with adjacent transpositions (optimal string alignment), so "Hazle" is one
/// slip away from "Hazel".
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}
