//! Scheduled functions: an EventBridge schedule fires, one job runs, its report is the
//! function's result (and a log line).

use aws_lambda_events::eventbridge::EventBridgeEvent;
use lambda_runtime::{LambdaEvent, service_fn};
use serde_json::Value;
use storyloom_application::Ports;
use storyloom_application::jobs::{purge_expired, redrive_dead_letters, sweep_stalled};
use storyloom_application::stages::Stage;
use tracing::Instrument;

/// The scheduled jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    SweepStalled,
    RedriveDeadLetters,
    PurgeExpired,
}

impl Job {
    /// Every job.
    pub const ALL: [Job; 3] = [
        Job::SweepStalled,
        Job::RedriveDeadLetters,
        Job::PurgeExpired,
    ];

    /// Its function's (and binary's) name.
    pub fn function_name(self) -> &'static str {
        match self {
            Job::SweepStalled => "sweep-stalled",
            Job::RedriveDeadLetters => "redrive-dead-letters",
            Job::PurgeExpired => "purge-expired",
        }
    }
}

/// Runs a job once; its report as JSON.
pub async fn run(ports: &Ports, job: Job) -> Result<Value, storyloom_domain::Error> {
    let report = match job {
        Job::SweepStalled => serde_json::to_value(sweep_stalled::run(&Stage::of(ports)).await?),
        Job::RedriveDeadLetters => {
            serde_json::to_value(redrive_dead_letters::run(&Stage::of(ports)).await?)
        }
        Job::PurgeExpired => serde_json::to_value(
            purge_expired::run(&*ports.store, &*ports.blobs, &*ports.clock).await?,
        ),
    }
    .map_err(|e| storyloom_domain::Error::Permanent(format!("report: {e}")))?;
    tracing::info!(job = job.function_name(), %report, "job finished");
    Ok(report)
}

/// Runs a scheduled function for `job`.
pub async fn serve(job: Job) -> Result<(), lambda_runtime::Error> {
    let started = crate::wiring::start(job.function_name(), crate::wiring::Links::STORAGE).await?;
    let ports = &started.ports;
    lambda_runtime::run(service_fn(
        move |_: LambdaEvent<EventBridgeEvent<Value>>| async move {
            let report = run(ports, job).await.map_err(lambda_runtime::Error::from);
            crate::logging::invocation_done();
            report
        },
    ))
    .instrument(started.span)
    .await
}
