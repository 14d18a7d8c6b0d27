//! The scheduled jobs on one machine: what EventBridge schedules do on AWS, on the same
//! periods as `template.yaml`. A timer starts with its process, so a stack restarted more
//! often than a period (a laptop, a crash loop) would never sweep or redrive: those two
//! jobs also run once at start, catching up on whatever waited while the stack was down.

use std::time::Duration;
use storyloom_application::Ports;
use storyloom_application::jobs::{purge_expired, redrive_dead_letters, sweep_stalled};
use storyloom_application::stages::Stage;
use tokio::task::JoinHandle;

/// Starts the three jobs' timers; abort the handles to stop them.
pub fn spawn_jobs(ports: &Ports) -> Vec<JoinHandle<()>> {
    vec![
        every(
            ports.clone(),
            Duration::from_secs(300),
            Start::Run,
            "sweep-stalled",
            |p| Box::pin(async move { sweep_stalled::run(&Stage::of(&p)).await.map(|_| ()) }),
        ),
        every(
            ports.clone(),
            REDRIVE_PERIOD,
            Start::Run,
            "redrive-dead-letters",
            |p| {
                Box::pin(async move { redrive_dead_letters::run(&Stage::of(&p)).await.map(|_| ()) })
            },
        ),
        every(
            ports.clone(),
            Duration::from_secs(86_400),
            Start::Wait,
            "purge-expired",
            |p| {
                Box::pin(async move {
                    purge_expired::run(&*p.store, &*p.blobs, &*p.clock)
                        .await
                        .map(|_| ())
                })
            },
        ),
    ]
}

/// How often dead letters are looked at, as the template's `rate(2 minutes)`: a book whose
/// message was dead-lettered waits at most this plus its first redrive delay.
pub const REDRIVE_PERIOD: Duration = Duration::from_secs(120);

/// Whether a job runs when its timer starts, or only after its first period.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Start {
    Run,
    Wait,
}

type JobFuture = std::pin::Pin<Box<dyn Future<Output = storyloom_domain::Result<()>> + Send>>;

fn every(
    ports: Ports,
    period: Duration,
    start: Start,
    name: &'static str,
    job: fn(Ports) -> JobFuture,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut timer = tokio::time::interval(period);
        // The first tick is immediate.
        if start == Start::Wait {
            timer.tick().await;
        }
        loop {
            timer.tick().await;
            if let Err(e) = job(ports.clone()).await {
                tracing::warn!(job = name, error = %e, "scheduled job failed");
            }
        }
    })
}
