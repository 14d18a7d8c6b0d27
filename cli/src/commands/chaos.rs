//! `storyloom chaos` (and its `audit`): fault injection with kills, then an audit of what
//! the books came to.

use clap::Args;
use std::path::PathBuf;
use std::time::Duration;
use storyloom_cli::chaos::{self, ChaosOptions};

#[derive(Args)]
pub struct Chaos {
    #[arg(long, default_value_t = 100)]
    books: u32,
    #[arg(long, default_value_t = 4)]
    pages: u32,
    #[arg(long, default_value_t = 0.2)]
    fail_rate: f64,
    /// Kill (SIGKILL) and restart the stack at random moments.
    #[arg(long)]
    kill: bool,
    #[arg(long, default_value_t = 7)]
    seed: u64,
    #[arg(long)]
    data: Option<PathBuf>,
    /// Give up waiting after this many seconds.
    #[arg(long, default_value_t = 3600)]
    timeout: u64,
    /// Run the stack over the AWS adapters against this endpoint (a `moto_server`).
    #[arg(long, value_name = "ENDPOINT")]
    aws: Option<String>,
}

impl Chaos {
    pub async fn run(self) -> anyhow::Result<()> {
        let run = chaos::run(ChaosOptions {
            books: self.books,
            pages: self.pages,
            fail_rate: self.fail_rate,
            kill: self.kill,
            seed: self.seed,
            data: self.data,
            timeout: Duration::from_secs(self.timeout),
            exe: None,
            aws: self.aws,
        })
        .await?;
        println!("{}", run.audit);
        for finding in &run.audit.findings {
            eprintln!("chaos: {finding}");
        }
        eprintln!("chaos: {} kills, wall time {:.1?}", run.kills, run.wall);
        if run.audit.lost > 0 || run.audit.duplicates > 0 {
            anyhow::bail!("books were lost or work was doubled");
        }
        Ok(())
    }
}

#[derive(Args)]
pub struct Audit {
    #[arg(long)]
    data: PathBuf,
    #[arg(long)]
    books: u32,
}

impl Audit {
    pub async fn run(self) -> anyhow::Result<()> {
        let audit = chaos::audit_data(&self.data, self.books).await?;
        println!("{audit}");
        for finding in &audit.findings {
            println!("{finding}");
        }
        Ok(())
    }
}
