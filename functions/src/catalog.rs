//! Every function Storyloom deploys, by name: the binaries in `src/bin/`, the functions in
//! `template.yaml` and the samples in `events/` all follow this list (tests hold them to it).

use crate::job::Job;
use crate::live::{NOTIFIER, Socket};
use storyloom_domain::message::QueueName;
use storyloom_http::Endpoint;

/// One Lambda function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// Serves one HTTP endpoint (API Gateway HTTP API).
    Http(Endpoint),
    /// Consumes one stage's SQS queue.
    Stage(QueueName),
    /// Runs on an EventBridge schedule.
    Job(Job),
    /// Answers the public health probes.
    Probe,
    /// Serves one route of the live-progress WebSocket API.
    Socket(Socket),
    /// Pushes live progress, fed by the table's stream.
    Notifier,
}

impl Function {
    /// Every function.
    pub fn all() -> Vec<Function> {
        Endpoint::ALL
            .into_iter()
            .map(Function::Http)
            .chain(QueueName::ALL.into_iter().map(Function::Stage))
            .chain(Job::ALL.into_iter().map(Function::Job))
            .chain([Function::Probe])
            .chain(Socket::ALL.into_iter().map(Function::Socket))
            .chain([Function::Notifier])
            .collect()
    }

    /// Its name: the binary's, the sample event's file stem, and (in CamelCase) the
    /// template's logical id.
    pub fn name(self) -> &'static str {
        match self {
            Function::Http(e) => e.function_name(),
            Function::Stage(q) => stage_function(q),
            Function::Job(j) => j.function_name(),
            Function::Probe => crate::probe::NAME,
            Function::Socket(s) => s.function_name(),
            Function::Notifier => NOTIFIER,
        }
    }
}

/// The function that consumes a stage's queue.
pub fn stage_function(queue: QueueName) -> &'static str {
    match queue {
        QueueName::Story => "write-story",
        QueueName::Review => "review-story",
        QueueName::Illustrate => "illustrate-page",
        QueueName::Assemble => "assemble-book",
    }
}
