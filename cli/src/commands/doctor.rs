//! `storyloom doctor`: one line per check of the machine, the configuration and (with
//! `--aws`) the stack's resources.

use super::Target;
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use storyloom_cli::doctor::{self, DoctorOptions};

#[derive(Args)]
pub struct Doctor {
    /// The fonts the build embeds (checked when this directory exists).
    #[arg(long, default_value = "assets/fonts")]
    fonts: PathBuf,
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    #[command(flatten)]
    target: Target,
}

impl Doctor {
    pub async fn run(self) -> anyhow::Result<()> {
        let Target { data, aws, prefix } = self.target;
        let options = DoctorOptions {
            data,
            fonts: self.fonts.is_dir().then_some(self.fonts),
            addr: self.addr,
            aws: aws.map(|endpoint| (endpoint, prefix)),
        };
        let checks = doctor::run(&options).await;
        for check in &checks {
            println!("{check}");
        }
        let failed = checks.iter().filter(|c| !c.ok).count();
        if failed > 0 {
            eprintln!("{failed} of {} checks failed", checks.len());
            std::process::exit(1);
        }
        Ok(())
    }
}
