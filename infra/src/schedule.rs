//! The scheduled jobs on one machine: what EventBridge schedules do on AWS, on the same
//! periods as `template.yaml`.

use std::time::Duration;
use storyloom_application::Ports;
use storyloom_application::jobs::{purge_orphans, redrive_dead_letters, sweep_stalled};
use tokio::task::JoinHandle;

/// Starts the three jobs' timers; abort the handles to stop them.
pub fn spawn_jobs(ports: &Ports) -> Vec<JoinHandle<()>> {
    vec![
        every(
            ports.clone(),
            Duration::from_secs(300),
            "sweep-stalled",
            |p| Box::pin(async move { sweep_stalled::run(&p).await.map(|_| ()) }),
        ),
        every(
            ports.clone(),
            Duration::from_secs(900),
            "redrive-dead-letters",
            |p| Box::pin(async move { redrive_dead_letters::run(&p).await.map(|_| ()) }),
        ),
        every(
            ports.clone(),
            Duration::from_secs(86_400),
            "purge-expired",
            |p| Box::pin(async move { purge_orphans::run(&p).await.map(|_| ()) }),
        ),
    ]
}

type JobFuture = std::pin::Pin<Box<dyn Future<Output = storyloom_domain::Result<()>> + Send>>;

fn every(
    ports: Ports,
    period: Duration,
    name: &'static str,
    job: fn(Ports) -> JobFuture,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut timer = tokio::time::interval(period);
        // The first tick is immediate; a schedule fires after its first period.
        timer.tick().await;
        loop {
            timer.tick().await;
            if let Err(e) = job(ports.clone()).await {
                tracing::warn!(job = name, error = %e, "scheduled job failed");
            }
        }
    })
}
