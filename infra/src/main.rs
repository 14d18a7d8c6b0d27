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
        /// Use the AWS adapters against this AWS API endpoint (e.g. a `moto_server`)
        /// instead of the embedded ones; resources are created there.
        #[arg(long, value_name = "ENDPOINT")]
        aws: Option<String>,
        /// Name prefix of the resources created with `--aws`.
        #[arg(long, default_value = "storyloom")]
        prefix: String,
    },
    /// Create the stack's resources on an AWS API endpoint and print the functions'
    /// environment for them.
    Provision {
        #[arg(long, value_name = "ENDPOINT")]
        aws: String,
        #[arg(long, default_value = "storyloom")]
        prefix: String,
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
        Command::Serve {
            aws: Some(endpoint),
            prefix,
            addr,
            ..
        } => storyloom_infra::aws_mode::serve(&endpoint, &prefix, addr).await,
        Command::Provision { aws, prefix } => {
            let (_, settings) = storyloom_infra::aws_mode::create_resources(&aws, &prefix).await?;
            for line in storyloom_infra::aws_mode::environment(&settings) {
                println!("{line}");
            }
            Ok(())
        }
        Command::Serve {
            addr,
            data,
            aws: None,
            ..
        } => {
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
