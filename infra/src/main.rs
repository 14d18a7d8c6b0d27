//! `storyloom`: run the local stack, or make a demo book end to end.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "storyloom",
    about = "Storyloom: illustrated picture books, written, checked, drawn and typeset."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API and every pipeline worker on this machine.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[arg(long, default_value = ".storyloom")]
        data: PathBuf,
    },
    /// Make a book end to end through the HTTP API and write its PDF into DIR.
    Demo {
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Keep the stack's data here (a fresh temporary directory by default).
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long, default_value_t = 12)]
        pages: u32,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let default_level = if matches!(cli.command, Command::Serve { .. }) {
        "info"
    } else {
        "warn"
    };
    tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| default_level.into()),
        )
        .init();
    match cli.command {
        Command::Serve { addr, data } => {
            let mut stack = storyloom_infra::LocalStack::open(&data).await?;
            stack.start_workers();
            let bound = stack.serve(addr).await?;
            eprintln!(
                "Storyloom is listening on http://{bound} (data in {}); Ctrl-C stops it.",
                data.display()
            );
            tokio::signal::ctrl_c().await?;
            stack.stop().await;
            Ok(())
        }
        Command::Demo { out, data, pages } => storyloom_infra::demo::run(&out, data, pages).await,
    }
}
