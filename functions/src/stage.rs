//! Pipeline-stage functions: an SQS batch in, a partial-batch response out. Each record is
//! handled on its own task, so a panic fails only that record; a record that should be
//! retried gets its visibility timeout set to the backoff and is reported as a batch item
//! failure, so SQS redelivers it (and dead-letters it after `maxReceiveCount`) while the
//! rest of the batch is deleted.

use crate::wiring::Links;
use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use futures::StreamExt;
use lambda_runtime::{LambdaEvent, service_fn};
use storyloom_application::Ports;
use storyloom_application::needs::Needs;
use storyloom_application::worker::{self, Disposition};
use storyloom_domain::message::{Lane, QueueName};
use storyloom_domain::ports::Received;
use tracing::Instrument;

/// Records of one batch handled at once.
pub const CONCURRENCY: usize = 4;

/// How a stage's queue feeds its function, as `template.yaml` declares it (a test holds the
/// two together).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceMapping {
    /// Records per invocation.
    pub batch_size: u32,
    /// The function's timeout, seconds.
    pub timeout_secs: u64,
    /// The queue's visibility timeout, seconds: six times the function's timeout, as AWS
    /// advises, so a slow invocation's batch is not handed to a second one.
    pub visibility_secs: u64,
    /// Executions reserved for the function (both lanes together).
    pub reserved_concurrency: u32,
    /// The most of them the standard lane's mapping may use; the difference is always
    /// free for the priority lane, however many free books are queued.
    pub standard_max_concurrency: u32,
}

/// The mapping for a stage's queue. Illustration and writing take one record per
/// invocation so Lambda scales them out page by page; review is quick and batches. Each
/// stage keeps a few executions that only its priority lane can use.
pub fn mapping(queue: QueueName) -> SourceMapping {
    let (batch_size, timeout_secs, reserved_concurrency, standard_max_concurrency) = match queue {
        QueueName::Story => (1, 300, 10, 8),
        QueueName::Review => (5, 60, 5, 3),
        QueueName::Illustrate => (1, 120, 50, 40),
        QueueName::Assemble => (1, 120, 10, 8),
    };
    SourceMapping {
        batch_size,
        timeout_secs,
        visibility_secs: 6 * timeout_secs,
        reserved_concurrency,
        standard_max_concurrency,
    }
}

/// Handles one batch from `queue`.
pub async fn handle_batch(ports: &Ports, queue: QueueName, event: SqsEvent) -> SqsBatchResponse {
    let results = futures::stream::iter(event.records)
        .map(|record| {
            let ports = ports.clone();
            async move {
                let id = record.message_id.clone().unwrap_or_default();
                let task = tokio::spawn(
                    async move { handle_record(&ports, queue, record).await }.in_current_span(),
                );
                match task.await {
                    Ok(true) => None,
                    Ok(false) => Some(id),
                    Err(e) => {
                        tracing::error!(message_id = %id, error = %e, "a record's handler panicked");
                        Some(id)
                    }
                }
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect::<Vec<_>>()
        .await;
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = results
        .into_iter()
        .flatten()
        .map(|id| {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            failure
        })
        .collect();
    response
}

/// Whether the record is done with (true) or must come back (false).
async fn handle_record(ports: &Ports, queue: QueueName, record: SqsMessage) -> bool {
    // The function is fed by both lanes of its stage; the receipt must name the one the
    // record came from for the backoff to reach it.
    let lane = Lane::of_queue(record.event_source_arn.as_deref().unwrap_or_default());
    let received = Received {
        message_id: record.message_id.unwrap_or_default(),
        body: record.body.unwrap_or_default(),
        receipt: lane.mark(&record.receipt_handle.unwrap_or_default()),
        receive_count: record
            .attributes
            .get("ApproximateReceiveCount")
            .and_then(|c| c.parse().ok())
            .unwrap_or(1),
    };
    match worker::handle(ports, &received).await {
        Disposition::Ack => true,
        Disposition::Retry(delay) => {
            if let Err(e) = ports
                .queue
                .retry_later(queue, &received.receipt, delay)
                .await
            {
                // The message still comes back, after the queue's own visibility timeout.
                tracing::warn!(error = %e, "could not set the retry backoff");
            }
            false
        }
    }
}

/// One stage function: its queue and what it links.
#[derive(Clone, Copy)]
pub struct StageFunction {
    pub queue: QueueName,
    pub links: Links,
}

impl StageFunction {
    /// The function consuming `queue`, linking what its stage needs. Call it in a
    /// constant (`const { StageFunction::of(..) }`) so the choice is made at compile time.
    pub const fn of(queue: QueueName) -> Self {
        StageFunction {
            queue,
            links: Links::of(Needs::of_stage(queue)),
        }
    }
}

/// Runs a stage function.
pub async fn serve(function: StageFunction) -> Result<(), lambda_runtime::Error> {
    let StageFunction { queue, links } = function;
    let started = crate::wiring::start(crate::catalog::stage_function(queue), links).await?;
    let ports = &started.ports;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        let response = handle_batch(ports, queue, event.payload).await;
        crate::logging::invocation_done();
        Ok::<_, lambda_runtime::Error>(response)
    }))
    .instrument(started.span)
    .await
}
