//! Runs the stack as a child process (`storyloom serve` with faults injected), orders books
//! through its HTTP API with idempotency keys (so an order interrupted by a kill is simply
//! sent again), kills the child with SIGKILL at random moments and starts it again on the
//! same data, waits until every book is finished, then audits the data directly.

use super::audit::{Audit, audit};
use crate::LocalStack;
use anyhow::{Context, bail};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use storyloom_domain::OwnerId;
use tokio::sync::Mutex;

/// Receives before a message is dead-lettered in a chaos run: every kill spends one on
/// each message in flight, on top of the injected failures.
const MAX_RECEIVES: u32 = 10;

/// The owner the run orders as.
const OWNER: &str = "chaos-reader";

/// A run's settings.
#[derive(Debug, Clone)]
pub struct ChaosOptions {
    pub books: u32,
    pub pages: u32,
    pub fail_rate: f64,
    pub kill: bool,
    pub seed: u64,
    /// Keep the data here (a temporary directory otherwise).
    pub data: Option<PathBuf>,
    /// Give up waiting after this long.
    pub timeout: Duration,
    /// The `storyloom` executable to run the stack with (this one by default).
    pub exe: Option<PathBuf>,
    /// Run the stack over the AWS adapters against this endpoint (a `moto_server`).
    pub aws: Option<String>,
}

/// The figures of a run, and how it went.
#[derive(Debug, Clone)]
pub struct ChaosRun {
    pub audit: Audit,
    pub kills: u32,
    pub wall: Duration,
}

/// The stack's process, restartable.
struct Stack {
    exe: PathBuf,
    data: PathBuf,
    addr: String,
    options: ChaosOptions,
    child: Option<Child>,
    starts: u32,
}

impl Stack {
    fn start(&mut self) -> anyhow::Result<()> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.data.join("chaos-stack.log"))?;
        let child = Command::new(&self.exe)
            .args(["serve", "--addr", &self.addr, "--data"])
            .arg(&self.data)
            .args(["--fail-rate", &self.options.fail_rate.to_string()])
            .args([
                "--seed",
                &(self.options.seed + u64::from(self.starts)).to_string(),
            ])
            .args(["--max-receives", &MAX_RECEIVES.to_string()])
            .args(self.aws_args())
            .env("RUST_LOG", "warn")
            // One user orders every book at once here: the per-user limits would refuse
            // most of them, and limits are not what this run is about.
            .envs(storyloom_domain::limits::VARIABLES.map(|v| (v, "1000000")))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .context("starting the stack")?;
        self.child = Some(child);
        self.starts += 1;
        Ok(())
    }

    /// Arguments that point the stack at the AWS endpoint, if any. Abandoned batches come
    /// back after 20 s rather than the template's visibility timeouts.
    fn aws_args(&self) -> Vec<String> {
        match &self.options.aws {
            Some(endpoint) => vec![
                "--aws".into(),
                endpoint.clone(),
                "--prefix".into(),
                self.prefix(),
                "--visibility-secs".into(),
                "20".into(),
            ],
            None => vec![],
        }
    }

    /// The resources' name prefix for an AWS run.
    fn prefix(&self) -> String {
        format!("chaos{}", self.options.seed)
    }

    /// SIGKILL: no shutdown hook runs, as when a machine dies.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Retries a request until the stack answers (it may be down between a kill and a start).
async fn call(
    http: &reqwest::Client,
    token: &str,
    base: &str,
    path: &str,
    body: Option<(&str, &Value)>,
) -> anyhow::Result<Value> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let request = match body {
            Some((key, body)) => http
                .post(format!("{base}{path}"))
                .header("idempotency-key", key)
                .json(body),
            None => http.get(format!("{base}{path}")),
        };
        match request.bearer_auth(token).send().await {
            Ok(r) if r.status().is_success() => return Ok(r.json().await?),
            // In progress elsewhere (a kill interrupted the first try) or briefly down.
            Ok(r) if r.status().as_u16() == 409 || r.status().is_server_error() => {}
            Ok(r) => bail!(
                "{path}: {} {}",
                r.status(),
                r.text().await.unwrap_or_default()
            ),
            Err(_) => {}
        }
        if Instant::now() > deadline {
            bail!("{path}: the stack did not answer for two minutes");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Runs the chaos and audits the result.
pub async fn run(options: ChaosOptions) -> anyhow::Result<ChaosRun> {
    let started = Instant::now();
    let temp = tempfile::tempdir()?;
    let data = options
        .data
        .clone()
        .unwrap_or_else(|| temp.path().to_owned());
    std::fs::create_dir_all(&data)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let base = format!("http://{addr}");
    let stack = Arc::new(Mutex::new(Stack {
        exe: match &options.exe {
            Some(exe) => exe.clone(),
            None => std::env::current_exe()?,
        },
        data: data.clone(),
        addr,
        options: options.clone(),
        child: None,
        starts: 0,
    }));
    // The signing key is made before the stack first starts, so both use the same one.
    let authority = match &options.aws {
        None => crate::stack::local_authority(&data).await?,
        Some(endpoint) => crate::aws_authority(endpoint, &stack.lock().await.prefix()).await?,
    };
    let token = crate::stack::mint(&authority, OWNER, storyloom_domain::Tier::Free)?;
    stack.lock().await.start()?;

    let kills = Arc::new(AtomicU32::new(0));
    let killer = options.kill.then(|| {
        let stack = stack.clone();
        let seed = options.seed;
        let kills = kills.clone();
        // Over AWS APIs a restart costs more (resources are checked, abandoned batches wait
        // out their visibility), so kills come less often.
        let pauses = if options.aws.is_some() {
            3_000..10_000
        } else {
            500..4_000
        };
        tokio::spawn(async move {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            loop {
                let pause = Duration::from_millis(rng.random_range(pauses.clone()));
                tokio::time::sleep(pause).await;
                let mut s = stack.lock().await;
                s.kill();
                kills.fetch_add(1, Ordering::SeqCst);
                if let Err(e) = s.start() {
                    tracing::error!(error = %e, "could not restart the stack");
                    return;
                }
            }
        })
    });

    let http = storyloom_providers::http_client()
        .timeout(Duration::from_secs(10))
        .build()?;
    let mut cast = Vec::new();
    for (i, (name, kind, look)) in [
        (
            "Hazel",
            "hedgehog",
            "a small brown hedgehog with a red scarf",
        ),
        ("Otto", "owl", "a grey owl with round glasses"),
    ]
    .into_iter()
    .enumerate()
    {
        let body = json!({"name": name, "kind": kind, "traits": ["brave"], "visual_description": look, "voice": "asks questions"});
        let c = call(
            &http,
            &token,
            &base,
            "/v1/characters",
            Some((&format!("cast-{i}"), &body)),
        )
        .await?;
        cast.push(c["id"].clone());
    }
    for i in 0..options.books {
        let body = json!({"premise": "A brave hedgehog who is afraid of the dark", "age_band": "3-5", "page_count": options.pages, "art_style": "crayon", "cast": cast, "seed": options.seed + u64::from(i)});
        call(
            &http,
            &token,
            &base,
            "/v1/books",
            Some((&format!("book-{i}"), &body)),
        )
        .await?;
    }
    eprintln!("chaos: ordered {} books", options.books);

    let deadline = started + options.timeout;
    loop {
        let listed = call(&http, &token, &base, "/v1/books", None).await?;
        let items = listed["items"].as_array().cloned().unwrap_or_default();
        let done = items
            .iter()
            .filter(|b| {
                matches!(
                    b["status"].as_str(),
                    Some("ready" | "partial" | "failed" | "cancelled")
                )
            })
            .count();
        eprintln!(
            "chaos: {done}/{} finished after {:.0?}",
            options.books,
            started.elapsed()
        );
        if done as u32 >= options.books || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    if let Some(k) = killer {
        k.abort();
        let _ = k.await;
    }
    stack.lock().await.kill();

    let prefix = stack.lock().await.prefix();
    let audited = match &options.aws {
        None => audit_data(&data, options.books).await?,
        Some(endpoint) => audit_aws(endpoint, &prefix, options.books).await?,
    };
    Ok(ChaosRun {
        audit: audited,
        kills: kills.load(Ordering::SeqCst),
        wall: started.elapsed(),
    })
}

/// Audits the stack's data directly, with the stack stopped.
pub async fn audit_data(data: &Path, books: u32) -> anyhow::Result<Audit> {
    let stack = LocalStack::open(data).await?;
    let owner = OwnerId::parse(OWNER)?;
    let result = audit(&*stack.ports.store, &*stack.ports.queue, &owner, books).await?;
    stack.stop().await;
    Ok(result)
}

/// Audits the AWS resources directly, with the stack stopped.
#[cfg(feature = "aws")]
async fn audit_aws(endpoint: &str, prefix: &str, books: u32) -> anyhow::Result<Audit> {
    let (ports, _) = crate::aws_mode::ports(endpoint, prefix, None, Some(MAX_RECEIVES)).await?;
    let owner = OwnerId::parse(OWNER)?;
    Ok(audit(&*ports.store, &*ports.queue, &owner, books).await?)
}

#[cfg(not(feature = "aws"))]
async fn audit_aws(_: &str, _: &str, _: u32) -> anyhow::Result<Audit> {
    bail!(crate::WITHOUT_AWS)
}
