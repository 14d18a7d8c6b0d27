//! The local event-source driver: does for `moto_server` what Lambda's SQS event source
//! mapping does on AWS. One poller per stage queue receives up to the mapping's batch size
//! with its visibility timeout, hands the records to the stage function as a real
//! `aws_lambda_events` SQS event, deletes the records the function did not report as
//! failures, and leaves the failures to reappear when their visibility runs out (the
//! function has already set it to the retry backoff).

use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::Duration;
use storyloom_application::Ports;
use storyloom_domain::message::QueueName;
use storyloom_domain::ports::Received;
use storyloom_functions::{invoke, stage};
use tokio::task::JoinHandle;

/// The running pollers; dropping this does not stop them, [`Driver::stop`] does.
pub struct Driver {
    tasks: Vec<JoinHandle<()>>,
}

impl Driver {
    /// Starts one poller per stage queue.
    pub fn start(ports: Ports) -> Self {
        Self::start_with(ports, None)
    }

    /// As [`Driver::start`], with every queue's visibility timeout replaced by `visibility`
    /// (a fault-injection run kills the process often and wants abandoned batches back
    /// sooner than the template's timeouts allow).
    pub fn start_with(ports: Ports, visibility: Option<Duration>) -> Self {
        let tasks = QueueName::ALL
            .into_iter()
            .map(|queue| tokio::spawn(poll(ports.clone(), queue, visibility)))
            .collect();
        Driver { tasks }
    }

    /// Stops polling; a batch being handled is abandoned mid-way, like a Lambda instance
    /// that dies, and its messages come back after their visibility timeout.
    pub async fn stop(self) {
        for t in &self.tasks {
            t.abort();
        }
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// The SQS event Lambda would deliver for these messages.
pub fn sqs_event(queue: QueueName, messages: &[Received]) -> Value {
    let records: Vec<Value> = messages
        .iter()
        .map(|m| {
            json!({
                "messageId": m.message_id,
                "receiptHandle": m.receipt,
                "body": m.body,
                "attributes": {"ApproximateReceiveCount": m.receive_count.to_string()},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": format!("arn:aws:sqs:us-east-1:000000000000:{}", queue.as_str()),
                "awsRegion": "us-east-1",
            })
        })
        .collect();
    json!({ "Records": records })
}

async fn poll(ports: Ports, queue: QueueName, visibility: Option<Duration>) {
    let mapping = stage::mapping(queue);
    let visibility = visibility.unwrap_or(Duration::from_secs(mapping.visibility_secs));
    loop {
        let batch = match ports
            .queue
            .receive(queue, mapping.batch_size, visibility)
            .await
        {
            Ok(batch) if batch.is_empty() => continue,
            Ok(batch) => batch,
            Err(e) => {
                tracing::warn!(queue = queue.as_str(), error = %e, "receive failed; polling again shortly");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let failed: HashSet<String> = match invoke::stage(&ports, queue, sqs_event(queue, &batch))
            .await
        {
            Ok(response) => response["batchItemFailures"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f["itemIdentifier"].as_str().map(str::to_owned))
                .collect(),
            Err(e) => {
                // A failed invocation fails the whole batch, as on Lambda.
                tracing::error!(queue = queue.as_str(), error = %e, "the stage function failed");
                batch.iter().map(|m| m.message_id.clone()).collect()
            }
        };
        for m in batch.iter().filter(|m| !failed.contains(&m.message_id)) {
            if let Err(e) = ports.queue.ack(queue, &m.receipt).await {
                tracing::warn!(queue = queue.as_str(), error = %e, "delete failed; the message will be handled again");
            }
        }
    }
}
