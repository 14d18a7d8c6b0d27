//! `storyloom review-book`: the book report, for one stored book or a premise set.

use clap::Args;
use std::path::PathBuf;
use storyloom_cli::review_book;

#[derive(Args)]
pub struct ReviewBook {
    /// A book's id.
    #[arg(required_unless_present = "premises")]
    book_id: Option<String>,
    #[arg(long, default_value = ".storyloom")]
    data: PathBuf,
    /// A premise set (JSON: characters and books to order, see docs/premises.json).
    #[arg(long, conflicts_with = "book_id")]
    premises: Option<PathBuf>,
    /// With `--premises`: save each book's PDF here.
    #[arg(long)]
    out: Option<PathBuf>,
}

impl ReviewBook {
    pub async fn run(self) -> anyhow::Result<()> {
        match (self.premises, self.book_id) {
            (Some(set), _) => review_book::run_set(&set, self.out.as_deref()).await,
            (None, Some(id)) => review_book::run_one(&self.data, &id).await,
            (None, None) => anyhow::bail!("name a book id or a premise set (--premises FILE)"),
        }
    }
}
