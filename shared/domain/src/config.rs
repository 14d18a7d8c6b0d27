//! Configuration as one set of `KEY=value` settings: the process environment over an
//! optional file (`STORYLOOM_CONFIG=path`, the same `KEY=value` lines). Every part of the
//! configuration is checked when a process starts, and every problem is reported at once,
//! each with what to set — never the first alone, never on the first request.

use std::collections::HashMap;
use std::fmt;

/// The variable naming the optional configuration file.
pub const CONFIG_FILE_VARIABLE: &str = "STORYLOOM_CONFIG";

/// One thing wrong with the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The setting at fault.
    pub key: String,
    /// What is wrong and what to set.
    pub problem: String,
}

impl ConfigProblem {
    /// A problem with `key`.
    pub fn new(key: &str, problem: impl Into<String>) -> Self {
        ConfigProblem {
            key: key.to_owned(),
            problem: problem.into(),
        }
    }
}

/// Everything wrong with a configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigErrors(pub Vec<ConfigProblem>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "the configuration has {} problem{}:",
            self.0.len(),
            if self.0.len() == 1 { "" } else { "s" }
        )?;
        for p in &self.0 {
            writeln!(f, "  - {}: {}", p.key, p.problem)?;
        }
        Ok(())
    }
}

/// The settings a process reads: the environment over the file.
#[derive(Debug, Clone, Default)]
pub struct ConfigSource {
    values: HashMap<String, String>,
}

impl ConfigSource {
    /// The environment's `vars` over the lines of `file` (`KEY=value`, `#` comments,
    /// blank lines). A malformed line is a problem of its own.
    pub fn layered(
        vars: impl IntoIterator<Item = (String, String)>,
        file: Option<(&str, &str)>,
    ) -> Result<Self, ConfigErrors> {
        let mut values = HashMap::new();
        let mut problems = Vec::new();
        if let Some((path, text)) = file {
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                match line.split_once('=') {
                    Some((k, v)) if !k.trim().is_empty() => {
                        let v = v.trim().trim_matches('"');
                        values.insert(k.trim().to_owned(), v.to_owned());
                    }
                    _ => problems.push(ConfigProblem::new(
                        &format!("{path}:{}", n + 1),
                        format!("`{line}` is not a KEY=value line"),
                    )),
                }
            }
        }
        values.extend(vars);
        if problems.is_empty() {
            Ok(ConfigSource { values })
        } else {
            Err(ConfigErrors(problems))
        }
    }

    /// A source of just these settings (no file): for a part's own tests.
    pub fn of(pairs: &[(&str, &str)]) -> Self {
        ConfigSource {
            values: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    /// A setting, if set to something other than blanks.
    pub fn get(&self, key: &str) -> Option<String> {
        self.values
            .get(key)
            .filter(|v| !v.trim().is_empty())
            .cloned()
    }
}

/// Collects problems from several parts of the configuration.
#[derive(Debug, Default)]
pub struct Problems(Vec<ConfigProblem>);

impl Problems {
    /// Notes a problem.
    pub fn push(&mut self, p: ConfigProblem) {
        self.0.push(p);
    }

    /// Keeps a part's value, or its problems.
    pub fn take<T>(&mut self, part: Result<T, ConfigErrors>) -> Option<T> {
        match part {
            Ok(v) => Some(v),
            Err(ConfigErrors(ps)) => {
                self.0.extend(ps);
                None
            }
        }
    }

    /// The value when nothing was wrong, else every problem.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, ConfigErrors> {
        if self.0.is_empty()
            && let Some(v) = value()
        {
            return Ok(v);
        }
        Err(ConfigErrors(self.0))
    }
}

/// Checks that `value` is an absolute http(s) URL with a host.
pub fn check_url(key: &str, value: &str) -> Result<(), ConfigProblem> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !rest.contains(' ') => Ok(()),
        _ => Err(ConfigProblem::new(
            key,
            format!("{value:?} is not a URL; set it to an https:// address"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_overrides_the_file_and_bad_lines_are_named() {
        let file = "# comment\nTABLE_NAME=from-file\nBUCKET_NAME = \"b\"\n\n";
        let env = [("TABLE_NAME".to_owned(), "from-env".to_owned())];
        let s = ConfigSource::layered(env, Some(("storyloom.env", file))).expect("valid");
        assert_eq!(s.get("TABLE_NAME").as_deref(), Some("from-env"));
        assert_eq!(s.get("BUCKET_NAME").as_deref(), Some("b"));
        assert_eq!(s.get("MISSING"), None);
        let bad = ConfigSource::layered([], Some(("x.env", "A=1\njust words\n=2\n")))
            .expect_err("malformed");
        let keys: Vec<_> = bad.0.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["x.env:2", "x.env:3"]);
    }

    #[test]
    fn urls_must_be_absolute_http_addresses() {
        assert!(check_url("Q", "https://sqs.eu-west-1.amazonaws.com/1/q").is_ok());
        assert!(check_url("Q", "http://127.0.0.1:5000/1/q").is_ok());
        for bad in [
            "not a url",
            "sqs/queue",
            "https://",
            "ftp://x",
            "https:///path",
        ] {
            assert!(check_url("Q", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_problem_is_listed_with_its_key() {
        let e = ConfigErrors(vec![
            ConfigProblem::new("A", "is missing; set it"),
            ConfigProblem::new("B", "is wrong"),
        ]);
        let text = e.to_string();
        assert!(text.starts_with("the configuration has 2 problems:"));
        assert!(text.contains("  - A: is missing; set it\n  - B: is wrong"));
    }
}
