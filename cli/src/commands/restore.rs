//! `storyloom restore`: a backup into an empty data directory.

use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct Restore {
    file: PathBuf,
    #[arg(long, default_value = ".storyloom")]
    data: PathBuf,
}

impl Restore {
    pub fn run(self) -> anyhow::Result<()> {
        storyloom_cli::backup::restore(&self.file, &self.data)?;
        println!(
            "restored {} into {}",
            self.file.display(),
            self.data.display()
        );
        Ok(())
    }
}
