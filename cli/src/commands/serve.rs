//! `storyloom serve`: the API, every worker and the web app, locally or over the AWS
//! adapters, until Ctrl-C or SIGTERM.

use super::{Target, TextModelArg};
use clap::Args;
use std::net::SocketAddr;
use std::time::Duration;
use storyloom_cli::chaos::faults::Faults;
use storyloom_cli::stack::{LocalStack, StackOptions};

/// How long work in hand may take to finish after a stop signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

#[derive(Args)]
pub struct Serve {
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
}

impl Serve {
    pub async fn run(self) -> anyhow::Result<()> {
        let faults = self.fail_rate.map(|rate| faults(rate, self.seed));
        match &self.target.aws {
            Some(endpoint) => {
                serve_aws(
                    endpoint,
                    &self.target.prefix,
                    self.addr,
                    faults,
                    self.visibility_secs.map(Duration::from_secs),
                    self.max_receives,
                )
                .await
            }
            None => self.serve_local(faults).await,
        }
    }

    async fn serve_local(self, faults: Option<Faults>) -> anyhow::Result<()> {
        let data = self.target.data;
        let options = StackOptions {
            max_receive_count: self.max_receives,
            faults,
            text_model: self.text_model.map(Into::into),
            ..Default::default()
        };
        let mut stack = LocalStack::open_with(&data, &options).await?;
        stack.start_workers();
        let bound = stack.serve(self.addr).await?;
        #[cfg(unix)]
        let admin = storyloom_cli::backup::serve_admin(stack.backup_source())?;
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
            let _ = std::fs::remove_file(data.join(storyloom_cli::backup::SOCKET));
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
}

/// The faults a chaos run injects: `fail_rate` transient failures, a twentieth of that in
/// refused pictures, up to 20 ms of latency.
fn faults(fail_rate: f64, seed: u64) -> Faults {
    Faults {
        fail_rate,
        policy_rate: fail_rate / 20.0,
        max_latency: Duration::from_millis(20),
        seed,
    }
}

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
    visibility: Option<Duration>,
    max_receives: Option<u32>,
) -> anyhow::Result<()> {
    storyloom_cli::aws_mode::serve(endpoint, prefix, addr, faults, visibility, max_receives).await
}

#[cfg(not(feature = "aws"))]
async fn serve_aws(
    _: &str,
    _: &str,
    _: SocketAddr,
    _: Option<Faults>,
    _: Option<Duration>,
    _: Option<u32>,
) -> anyhow::Result<()> {
    anyhow::bail!(storyloom_cli::WITHOUT_AWS)
}
