//! `storyloom demo`: one book end to end through the HTTP API, its PDF written out.

use super::TextModelArg;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct Demo {
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Keep the stack's data here (a fresh temporary directory by default).
    #[arg(long)]
    data: Option<PathBuf>,
    #[arg(long, default_value_t = 12)]
    pages: u32,
    /// The text model (instead of `TEXT_MODEL`).
    #[arg(long, value_enum)]
    text_model: Option<TextModelArg>,
}

impl Demo {
    pub async fn run(self) -> anyhow::Result<()> {
        storyloom_cli::demo::run(
            &self.out,
            self.data,
            self.pages,
            self.text_model.map(Into::into),
        )
        .await
    }
}
