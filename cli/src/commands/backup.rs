//! `storyloom backup`: a consistent copy of the local stack's data, running or not.

use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct Backup {
    #[arg(long, default_value = ".storyloom")]
    data: PathBuf,
    #[arg(long)]
    out: PathBuf,
}

impl Backup {
    pub async fn run(self) -> anyhow::Result<()> {
        let summary = storyloom_cli::backup::backup_data(&self.data, &self.out).await?;
        println!(
            "backed up {} to {} ({summary})",
            self.data.display(),
            self.out.display()
        );
        Ok(())
    }
}
