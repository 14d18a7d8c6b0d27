//! Readiness: whether each dependency this process needs answers, within a bound.

use std::time::Duration;
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::{BlobStore, JobQueue, OperationsStore, Secrets};

/// How long one dependency may take to answer before it counts as down.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// One dependency's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub component: &'static str,
    /// `None` when it answered; otherwise why not.
    pub problem: Option<String>,
}

/// Asks the store, the queue, the blob store and the secrets one cheap read each, at once.
pub async fn readiness(
    store: &dyn OperationsStore,
    queue: &dyn JobQueue,
    blobs: &dyn BlobStore,
    secrets: &dyn Secrets,
) -> Vec<Probe> {
    let store = probe("store", async {
        store.get_breaker("readiness").await.map(drop)
    });
    let queue = probe("queue", async {
        queue.dead_letter_count(QueueName::Story).await.map(drop)
    });
    let blobs = probe("blobs", async { blobs.get("health/probe").await.map(drop) });
    let secrets = probe("secrets", async {
        secrets.get("readiness-probe").await.map(drop)
    });
    let (a, b, c, d) = futures::future::join4(store, queue, blobs, secrets).await;
    vec![a, b, c, d]
}

async fn probe(
    component: &'static str,
    call: impl std::future::Future<Output = storyloom_domain::Result<()>>,
) -> Probe {
    let problem = match tokio::time::timeout(PROBE_TIMEOUT, call).await {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(_) => Some(format!("no answer within {PROBE_TIMEOUT:?}")),
    };
    Probe { component, problem }
}
