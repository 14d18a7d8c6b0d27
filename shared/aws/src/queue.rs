//! `JobQueue` on SQS standard queues: two work queues per stage (the priority and the
//! standard lane), each with a dead-letter queue attached by a redrive policy
//! (`maxReceiveCount`). Receives try the priority lane first; receipts from it are marked
//! ([`Lane::mark`]) so acks and retries reach the queue they came from. Bodies are the
//! JSON envelope (type-tagged stage message); the correlation id also travels as a message
//! attribute so it shows in the console and in logs before a body is parsed.

use crate::error::{classify, code};
use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{
    MessageAttributeValue, MessageSystemAttributeName, MessageSystemAttributeNameForSends,
    MessageSystemAttributeValue, QueueAttributeName,
};
use std::collections::HashMap;
use std::time::Duration;
use storyloom_domain::message::{Lane, QueueName};
use storyloom_domain::ports::{JobQueue, Received};
use storyloom_domain::{Envelope, Error, Result};

/// The message attribute that carries the correlation id.
pub const CORRELATION_ATTRIBUTE: &str = "correlation_id";
/// SQS caps message delays at 15 minutes.
const MAX_DELAY_SECS: u64 = 900;
/// SQS caps visibility timeouts at 12 hours.
const MAX_VISIBILITY_SECS: u64 = 43_200;
/// SQS returns at most 10 messages per receive.
const MAX_BATCH: u32 = 10;

/// Queue URLs per stage and lane: the work queues and their dead-letter queues.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueUrls {
    pub work: HashMap<(QueueName, Lane), String>,
    pub dead: HashMap<(QueueName, Lane), String>,
}

/// The SQS queues.
#[derive(Clone, Debug)]
pub struct SqsQueue {
    client: Client,
    urls: QueueUrls,
    wait: Duration,
}

/// Whole seconds, rounded up (SQS counts in seconds; rounding down could make a backoff
/// shorter than asked), capped.
fn secs(d: Duration, cap: u64) -> i32 {
    let s = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    s.min(cap) as i32
}

impl SqsQueue {
    /// Queues at `urls`; receives long-poll for up to one second.
    pub fn new(client: Client, urls: QueueUrls) -> Self {
        SqsQueue {
            client,
            urls,
            wait: Duration::from_secs(1),
        }
    }

    /// The URL of a stage's work queue in `lane`.
    pub fn url(&self, queue: QueueName, lane: Lane) -> Result<&str> {
        self.urls
            .work
            .get(&(queue, lane))
            .map(String::as_str)
            .ok_or_else(|| {
                Error::Permanent(format!(
                    "no URL configured for the {} queue",
                    queue.lane_name(lane)
                ))
            })
    }

    /// The URL of the dead-letter queue of a stage's queue in `lane`.
    pub fn dead_letter_url(&self, queue: QueueName, lane: Lane) -> Result<&str> {
        self.urls
            .dead
            .get(&(queue, lane))
            .map(String::as_str)
            .ok_or_else(|| {
                Error::Permanent(format!(
                    "no URL configured for the {} dead-letter queue",
                    queue.lane_name(lane)
                ))
            })
    }

    /// Up to `max` messages from the lanes whose URLs `url` gives, priority first. Only
    /// the last lane tried long-polls: an empty priority lane must not delay the other.
    async fn receive_lanes<'a>(
        &'a self,
        url: impl Fn(Lane) -> Result<&'a str>,
        max: u32,
        visibility: Duration,
    ) -> Result<Vec<Received>> {
        let mut out = Vec::new();
        for (i, lane) in Lane::DRAIN_ORDER.into_iter().enumerate() {
            let room = max.min(MAX_BATCH).saturating_sub(out.len() as u32);
            if room == 0 {
                break;
            }
            let last = i + 1 == Lane::DRAIN_ORDER.len();
            let wait = if last { self.wait } else { Duration::ZERO };
            let got = self
                .receive_from(url(lane)?, room, visibility, wait)
                .await?;
            out.extend(got.into_iter().map(|r| Received {
                receipt: lane.mark(&r.receipt),
                ..r
            }));
        }
        Ok(out)
    }

    async fn receive_from(
        &self,
        url: &str,
        max: u32,
        visibility: Duration,
        wait: Duration,
    ) -> Result<Vec<Received>> {
        let out = self
            .client
            .receive_message()
            .queue_url(url)
            .max_number_of_messages(max.clamp(1, MAX_BATCH) as i32)
            .visibility_timeout(secs(visibility, MAX_VISIBILITY_SECS))
            .wait_time_seconds(wait.as_secs() as i32)
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .send()
            .await
            .map_err(|e| classify("receiving messages", e))?;
        Ok(out
            .messages
            .unwrap_or_default()
            .into_iter()
            .filter_map(|m| {
                let receive_count = m
                    .attributes
                    .as_ref()
                    .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(1);
                Some(Received {
                    message_id: m.message_id?,
                    body: m.body.unwrap_or_default(),
                    receipt: m.receipt_handle?,
                    receive_count,
                })
            })
            .collect())
    }

    async fn delete_from(&self, url: &str, receipt: &str) -> Result<()> {
        match self
            .client
            .delete_message()
            .queue_url(url)
            .receipt_handle(receipt)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if stale_receipt(code(&e)) => Ok(()),
            Err(e) => Err(classify("deleting a message", e)),
        }
    }
}

/// The variable in which the Lambda runtime puts the current invocation's X-Ray trace
/// header (set per invocation).
pub const TRACE_HEADER_VARIABLE: &str = "_X_AMZN_TRACE_ID";

/// The X-Ray trace header of the invocation in progress, if any. Sent along as the
/// message's `AWSTraceHeader`, it makes the next stage's invocation part of the same
/// trace, so one trace shows a book's whole path through the queues.
fn current_trace_header() -> Option<String> {
    std::env::var(TRACE_HEADER_VARIABLE)
        .ok()
        .filter(|h| h.starts_with("Root="))
}

/// A receipt the queue no longer honours: the message was deleted, or received again
/// since. Acting on it is a no-op, as in the embedded queue.
fn stale_receipt(code: Option<&str>) -> bool {
    matches!(
        code,
        Some(
            "ReceiptHandleIsInvalid"
                | "InvalidParameterValue"
                | "MessageNotInflight"
                | "AWS.SimpleQueueService.MessageNotInflight"
        )
    )
}

#[async_trait]
impl JobQueue for SqsQueue {
    async fn send(&self, envelope: &Envelope, delay: Duration) -> Result<()> {
        let body = serde_json::to_string(envelope)
            .map_err(|e| Error::Permanent(format!("message body: {e}")))?;
        let mut request = self
            .client
            .send_message()
            .queue_url(self.url(envelope.message.queue(), envelope.lane)?)
            .message_body(body)
            .delay_seconds(secs(delay, MAX_DELAY_SECS));
        if !envelope.correlation_id.is_empty() {
            let attribute = MessageAttributeValue::builder()
                .data_type("String")
                .string_value(&envelope.correlation_id)
                .build()
                .map_err(|e| Error::Permanent(format!("message attribute: {e}")))?;
            request = request.message_attributes(CORRELATION_ATTRIBUTE, attribute);
        }
        if let Some(trace) = current_trace_header() {
            let attribute = MessageSystemAttributeValue::builder()
                .data_type("String")
                .string_value(trace)
                .build()
                .map_err(|e| Error::Permanent(format!("trace header attribute: {e}")))?;
            request = request.message_system_attributes(
                MessageSystemAttributeNameForSends::AwsTraceHeader,
                attribute,
            );
        }
        request
            .send()
            .await
            .map_err(|e| classify("sending a message", e))?;
        Ok(())
    }

    async fn receive(
        &self,
        queue: QueueName,
        max: u32,
        visibility: Duration,
    ) -> Result<Vec<Received>> {
        self.receive_lanes(|lane| self.url(queue, lane), max, visibility)
            .await
    }

    async fn ack(&self, queue: QueueName, receipt: &str) -> Result<()> {
        let (lane, handle) = Lane::unmark(receipt);
        self.delete_from(self.url(queue, lane)?, handle).await
    }

    async fn retry_later(&self, queue: QueueName, receipt: &str, delay: Duration) -> Result<()> {
        let (lane, handle) = Lane::unmark(receipt);
        match self
            .client
            .change_message_visibility()
            .queue_url(self.url(queue, lane)?)
            .receipt_handle(handle)
            .visibility_timeout(secs(delay, MAX_VISIBILITY_SECS))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if stale_receipt(code(&e)) => Ok(()),
            Err(e) => Err(classify("delaying a message", e)),
        }
    }

    async fn dead_letter_count(&self, queue: QueueName) -> Result<u64> {
        let mut n = 0;
        for lane in Lane::DRAIN_ORDER {
            let out = self
                .client
                .get_queue_attributes()
                .queue_url(self.dead_letter_url(queue, lane)?)
                .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
                .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
                .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesDelayed)
                .send()
                .await
                .map_err(|e| classify("counting dead letters", e))?;
            n += out
                .attributes
                .unwrap_or_default()
                .values()
                .filter_map(|v| v.parse::<u64>().ok())
                .sum::<u64>();
        }
        Ok(n)
    }

    async fn receive_dead_letters(
        &self,
        queue: QueueName,
        max: u32,
        visibility: Duration,
    ) -> Result<Vec<Received>> {
        self.receive_lanes(|lane| self.dead_letter_url(queue, lane), max, visibility)
            .await
    }

    async fn ack_dead_letter(&self, queue: QueueName, receipt: &str) -> Result<()> {
        let (lane, handle) = Lane::unmark(receipt);
        self.delete_from(self.dead_letter_url(queue, lane)?, handle)
            .await
    }
}
