//! Whether a text provider holds replies to a JSON Schema (structured output). Not every
//! server or model does, and the only way to know is to ask: a provider is taken to until
//! it refuses a schema once, and is then asked without one for as long as it runs.

use crate::models::TextRequest;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a provider has shown of its structured output: nothing yet, or a refusal.
#[derive(Debug, Default)]
pub struct SchemaSupport {
    refused: AtomicBool,
}

impl SchemaSupport {
    /// The schema to send with `request`: the one its reply must follow, unless the
    /// provider has refused schemas.
    pub fn schema_for(&self, request: &TextRequest) -> Option<&'static str> {
        request
            .json_schema()
            .filter(|_| !self.refused.load(Ordering::Relaxed))
    }

    /// Records that the provider refused a schema and answered without one.
    pub fn refused(&self) {
        self.refused.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{StoryBrief, TextTask};
    use crate::request::AgeBand;

    fn plan_request(json: bool) -> TextRequest {
        TextRequest {
            task: TextTask::Plan {
                brief: StoryBrief {
                    premise: "p".into(),
                    age_band: AgeBand::Ages3To5,
                    page_count: 4,
                    title: None,
                    cast: vec![],
                },
            },
            system: String::new(),
            prompt: String::new(),
            seed: 1,
            max_tokens: 10,
            json,
        }
    }

    #[test]
    fn a_json_plan_gets_its_schema_until_the_provider_refuses_one() {
        let support = SchemaSupport::default();
        assert_eq!(
            support.schema_for(&plan_request(true)),
            Some(crate::plan::PLAN_SCHEMA)
        );
        assert_eq!(support.schema_for(&plan_request(false)), None);
        support.refused();
        assert_eq!(support.schema_for(&plan_request(true)), None);
    }
}
