//! `storyloom`: run the local stack, make a demo book end to end, and the operator's tools.
//! Each subcommand lives in its own module under `commands/`.

use clap::Parser;

mod commands;

/// The local stack serves many small requests from many threads at once; mimalloc keeps
/// their allocations thread-local where the system allocator contends on shared arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "storyloom",
    about = "Storyloom: illustrated picture books, written, checked, drawn and typeset."
)]
struct Cli {
    #[command(subcommand)]
    command: commands::Command,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(true)
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| cli.command.default_log_level().into()),
        )
        .init();
    cli.command.run().await
}
