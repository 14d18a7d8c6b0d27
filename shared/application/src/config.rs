//! Reading the configuration source of this process: its environment over the optional
//! file named by `STORYLOOM_CONFIG`. (Checking it is the job of each part's `from_config`.)

use storyloom_domain::config::{CONFIG_FILE_VARIABLE, ConfigErrors, ConfigProblem, ConfigSource};

/// The process's configuration source; an unreadable file is a problem, reported with any
/// malformed lines.
pub fn from_process() -> Result<ConfigSource, ConfigErrors> {
    let path = std::env::var(CONFIG_FILE_VARIABLE)
        .ok()
        .filter(|p| !p.is_empty());
    let text = match &path {
        None => None,
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(e) => {
                return Err(ConfigErrors(vec![ConfigProblem::new(
                    CONFIG_FILE_VARIABLE,
                    format!("{path} cannot be read ({e}); fix the path or unset it"),
                )]));
            }
        },
    };
    let file = path.as_deref().zip(text.as_deref());
    ConfigSource::layered(std::env::vars(), file)
}
