//! redrive-dead-letters: gives dead-lettered stage messages another run. Stages are
//! idempotent and a book that keeps failing is failed by the sweeper, so a redriven
//! message either finishes its work or is acknowledged as moot.

use crate::Ports;
use serde::Serialize;
use storyloom_domain::Result;
use storyloom_domain::message::QueueName;

/// Messages moved per queue per run, so one run stays short.
pub const PER_QUEUE: u32 = 100;

/// What a run moved, per queue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RedriveReport {
    pub moved: Vec<(String, u32)>,
}

/// Redrives every queue's dead letters.
pub async fn run(ports: &Ports) -> Result<RedriveReport> {
    let mut report = RedriveReport::default();
    for queue in QueueName::ALL {
        let moved = ports.queue.redrive_dead_letters(queue, PER_QUEUE).await?;
        if moved > 0 {
            tracing::warn!(queue = queue.as_str(), moved, "redrove dead letters");
        }
        report.moved.push((queue.as_str().to_owned(), moved));
    }
    Ok(report)
}
