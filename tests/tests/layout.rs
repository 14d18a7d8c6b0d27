//! The code's shape, checked: the domain's modules depend on each other without cycles, so
//! each can be read (and moved) knowing only what it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The domain's top-level modules, each with the sibling modules its non-test code names
/// (`crate::x` paths and `use crate::{x, y::z}` groups; comments are not dependencies).
fn domain_modules() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/domain/src");
    let mut modules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = vec![src.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("the domain's sources are readable") {
                files.push(entry.expect("a directory entry").path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).expect("under src");
        let top = relative
            .components()
            .next()
            .expect("a file")
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if top == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let names = modules.entry(top.clone()).or_default();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            names.extend(crate_paths(line));
        }
        names.remove(&top);
    }
    let known: BTreeSet<String> = modules.keys().cloned().collect();
    for names in modules.values_mut() {
        names.retain(|n| known.contains(n));
    }
    modules
}

/// The first segments of the `crate::` paths on a line, including those of a
/// `crate::{a, b::c}` group (a group's own nesting is followed one level).
fn crate_paths(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        let rest = &line[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            let mut word = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && (c.is_alphanumeric() || c == '_') => word.push(c),
                    _ if start && !word.is_empty() => {
                        found.push(std::mem::take(&mut word));
                        start = false;
                    }
                    _ => {}
                }
            }
            if !word.is_empty() {
                found.push(word);
            }
        } else {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !word.is_empty() {
                found.push(word);
            }
        }
    }
    found
}

/// A path from `from` back to itself, if there is one.
fn cycle_through(modules: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_owned()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().expect("a path is never empty");
        for next in modules.get(last).into_iter().flatten() {
            if next == from {
                let mut cycle = path.clone();
                cycle.push(from.to_owned());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn the_domain_modules_depend_on_each_other_without_cycles() {
    let modules = domain_modules();
    assert!(
        modules.len() > 40 && modules.values().map(BTreeSet::len).sum::<usize>() > 100,
        "the scan sees the domain's modules and their references: {modules:?}"
    );
    let cycles: Vec<String> = modules
        .keys()
        .filter_map(|m| cycle_through(&modules, m))
        .map(|c| c.join(" -> "))
        .collect();
    assert!(cycles.is_empty(), "module cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_scan_reads_paths_and_groups() {
    assert_eq!(
        crate_paths("use crate::{gates::{self, Finding}, page::Scene, ids};"),
        ["gates", "page", "ids"]
    );
    assert_eq!(
        crate_paths("let x = crate::budget::micros(1.0) + crate::money::usd(2);"),
        ["budget", "money"]
    );
    let looped = BTreeMap::from([
        ("a".to_owned(), BTreeSet::from(["b".to_owned()])),
        ("b".to_owned(), BTreeSet::from(["a".to_owned()])),
    ]);
    assert_eq!(
        cycle_through(&looped, "a"),
        Some(vec!["a".to_owned(), "b".to_owned(), "a".to_owned()])
    );
}
