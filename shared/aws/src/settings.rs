//! Where the stack's resources are, from the environment the template sets: names and URLs
//! only, never a credential (those come from Secrets Manager).

use crate::QueueUrls;
use std::collections::HashMap;
use storyloom_domain::config::{ConfigErrors, ConfigProblem, ConfigSource, Problems, check_url};
use storyloom_domain::message::{Lane, QueueName};

/// The variable naming the WebSocket API's management endpoint.
pub const LIVE_ENDPOINT: &str = "LIVE_ENDPOINT";

/// Resource names for one deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub table: String,
    pub bucket: String,
    pub queues: QueueUrls,
    /// Secret ids are this prefix plus the secret's name (`storyloom/prod/` + `openai`).
    pub secrets_prefix: String,
    /// The WebSocket API's management endpoint (`LIVE_ENDPOINT`), for the functions that
    /// push live progress; the others are not given it.
    pub live_endpoint: Option<String>,
}

impl Settings {
    /// Reads `TABLE_NAME`, `BUCKET_NAME`, `SECRETS_PREFIX` and, per stage, `<STAGE>_QUEUE_URL`
    /// and `<STAGE>_DLQ_URL`, and for its priority lane `<STAGE>_PRIORITY_QUEUE_URL` and
    /// `<STAGE>_PRIORITY_DLQ_URL` (a function gets only the queues it uses). Every missing
    /// or malformed one is reported, together.
    pub fn from_config(source: &ConfigSource) -> Result<Self, ConfigErrors> {
        let mut problems = Problems::default();
        let mut need = |k: &str, what: &str| {
            let v = source.get(k);
            if v.is_none() {
                problems.push(ConfigProblem::new(
                    k,
                    format!("is not set; set it to {what} (the template does, for every function)"),
                ));
            }
            v
        };
        let table = need("TABLE_NAME", "the DynamoDB table's name");
        let bucket = need("BUCKET_NAME", "the S3 bucket's name");
        let secrets_prefix = need(
            "SECRETS_PREFIX",
            "the Secrets Manager prefix, e.g. storyloom/dev/",
        );
        let live_endpoint = source.get(LIVE_ENDPOINT);
        if let Some(url) = &live_endpoint
            && let Err(p) = check_url(LIVE_ENDPOINT, url)
        {
            problems.push(p);
        }
        let mut work = HashMap::new();
        let mut dead = HashMap::new();
        for q in QueueName::ALL {
            for lane in Lane::DRAIN_ORDER {
                for (key, urls) in [
                    (queue_variable(q, lane, "QUEUE_URL"), &mut work),
                    (queue_variable(q, lane, "DLQ_URL"), &mut dead),
                ] {
                    if let Some(url) = source.get(&key) {
                        match check_url(&key, &url) {
                            Ok(()) => {
                                urls.insert((q, lane), url);
                            }
                            Err(p) => problems.push(p),
                        }
                    }
                }
            }
        }
        problems.finish(|| {
            Some(Settings {
                table: table?,
                bucket: bucket?,
                queues: QueueUrls { work, dead },
                secrets_prefix: secrets_prefix?,
                live_endpoint,
            })
        })
    }
}

impl Settings {
    /// The variables [`Settings::from_config`] reads, set to these resources (what the
    /// template sets on AWS; for `cargo lambda watch` and cold-start tests).
    pub fn to_environment(&self) -> Vec<(String, String)> {
        let mut vars = vec![
            ("TABLE_NAME".to_owned(), self.table.clone()),
            ("BUCKET_NAME".to_owned(), self.bucket.clone()),
            ("SECRETS_PREFIX".to_owned(), self.secrets_prefix.clone()),
        ];
        if let Some(url) = &self.live_endpoint {
            vars.push((LIVE_ENDPOINT.to_owned(), url.clone()));
        }
        for q in QueueName::ALL {
            for lane in Lane::DRAIN_ORDER {
                for (what, urls) in [
                    ("QUEUE_URL", &self.queues.work),
                    ("DLQ_URL", &self.queues.dead),
                ] {
                    if let Some(url) = urls.get(&(q, lane)) {
                        vars.push((queue_variable(q, lane, what), url.clone()));
                    }
                }
            }
        }
        vars
    }
}

/// The variable naming a queue URL: `STORY_QUEUE_URL`, `STORY_PRIORITY_DLQ_URL`, ...
pub fn queue_variable(queue: QueueName, lane: Lane, what: &str) -> String {
    format!(
        "{}_{what}",
        queue.lane_name(lane).to_uppercase().replace('-', "_")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_environment_names_every_resource() {
        let s = Settings::from_config(&ConfigSource::of(&[
            ("TABLE_NAME", "t"),
            ("BUCKET_NAME", "b"),
            ("SECRETS_PREFIX", "storyloom/dev/"),
            (
                "LIVE_ENDPOINT",
                "https://abc.execute-api.eu-west-1.amazonaws.com/dev",
            ),
            (
                "STORY_QUEUE_URL",
                "https://sqs.eu-west-1.amazonaws.com/1/story",
            ),
        ]))
        .expect("valid");
        assert_eq!(s.table, "t");
        assert_eq!(s.queues.work.len(), 1);
        assert_eq!(
            queue_variable(QueueName::Story, Lane::Priority, "DLQ_URL"),
            "STORY_PRIORITY_DLQ_URL"
        );
        let again =
            Settings::from_config(&ConfigSource::layered(s.to_environment(), None).expect("valid"))
                .expect("its own environment reads back");
        assert_eq!(again, s);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let e = Settings::from_config(&ConfigSource::of(&[
            ("BUCKET_NAME", "b"),
            ("STORY_QUEUE_URL", "story-queue"),
            ("REVIEW_DLQ_URL", "ftp://x"),
        ]))
        .expect_err("three mistakes");
        let keys: Vec<_> = e.0.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "TABLE_NAME",
                "SECRETS_PREFIX",
                "STORY_QUEUE_URL",
                "REVIEW_DLQ_URL"
            ]
        );
    }
}
