//! A story's plan: the arc, page by page, that the writer follows and the illustrator stages.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Where a page sits in the story's arc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArcPhase {
    Setup,
    Problem,
    Attempt,
    Turn,
    Resolution,
}

/// The light of a scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeOfDay {
    Morning,
    Afternoon,
    Evening,
    Night,
}

/// One page of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageBeat {
    pub page: u32,
    pub phase: ArcPhase,
    /// What happens, in a sentence.
    pub summary: String,
    /// The names of the characters on this page.
    pub characters: Vec<String>,
    /// Where it happens: "meadow", "forest", "bedroom"...
    pub setting: String,
    pub time_of_day: TimeOfDay,
    /// The premise's objects and places this page shows ("raft", "river"): the story
    /// keeps what the premise names. Plans made before beats carried them have none.
    #[serde(default)]
    pub objects: Vec<String>,
}

/// The whole plan, as a text model returns it (JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryPlan {
    pub title: String,
    /// What the hero wants or fears, in a phrase ("the dark").
    pub problem: String,
    /// What the premise names that the story must keep: its objects and places, in the
    /// premise's order (see [`crate::places::named_in_premise`]).
    #[serde(default)]
    pub objects: Vec<String>,
    pub beats: Vec<PageBeat>,
}

impl StoryPlan {
    /// Parses a model's JSON plan and checks it covers exactly `pages` pages with a real arc
    /// (it opens with the setup and ends with the resolution), naming only cast members.
    pub fn parse(raw: &str, pages: u32, cast: &[String]) -> Result<StoryPlan> {
        let json =
            extract_json(raw).ok_or_else(|| Error::Permanent("the plan is not JSON".into()))?;
        let plan: StoryPlan = serde_json::from_str(json)
            .map_err(|e| Error::Permanent(format!("the plan is malformed: {e}")))?;
        if plan.beats.len() != pages as usize {
            return Err(Error::Permanent(format!(
                "the plan has {} pages, the book needs {pages}",
                plan.beats.len()
            )));
        }
        for (i, beat) in plan.beats.iter().enumerate() {
            if beat.page != i as u32 + 1 {
                return Err(Error::Permanent(format!(
                    "the plan's page {} is out of order",
                    beat.page
                )));
            }
            if let Some(stranger) = beat.characters.iter().find(|n| !cast.contains(n)) {
                return Err(Error::Permanent(format!(
                    "the plan's page {} names {stranger}, who is not in the cast",
                    beat.page
                )));
            }
        }
        let first = plan.beats.first().map(|b| b.phase);
        let last = plan.beats.last().map(|b| b.phase);
        if first != Some(ArcPhase::Setup) || last != Some(ArcPhase::Resolution) {
            return Err(Error::Permanent(
                "the plan must open with the setup and end with the resolution".into(),
            ));
        }
        Ok(plan)
    }

    /// The beat for page `n` (1-based).
    pub fn beat(&self, n: u32) -> Option<&PageBeat> {
        self.beats.get(n.checked_sub(1)? as usize)
    }
}

/// A [`StoryPlan`]'s JSON Schema, for providers that hold a reply to one (structured
/// output); [`StoryPlan::parse`] still checks what the schema cannot say.
pub const PLAN_SCHEMA: &str = r#"{"type":"object","additionalProperties":false,
"required":["title","problem","objects","beats"],
"properties":{"title":{"type":"string"},"problem":{"type":"string"},
"objects":{"type":"array","items":{"type":"string"}},
"beats":{"type":"array","items":{"type":"object","additionalProperties":false,
"required":["page","phase","summary","characters","setting","time_of_day","objects"],
"properties":{"page":{"type":"integer"},
"phase":{"type":"string","enum":["setup","problem","attempt","turn","resolution"]},
"summary":{"type":"string"},"characters":{"type":"array","items":{"type":"string"}},
"setting":{"type":"string"},
"time_of_day":{"type":"string","enum":["morning","afternoon","evening","night"]},
"objects":{"type":"array","items":{"type":"string"}}}}}}}"#;

/// Models often wrap JSON in prose or code fences; take the outermost object.
fn extract_json(raw: &str) -> Option<&str> {
    let start = raw.find('{')?;
    let end = raw.rfind('}')?;
    (end > start).then(|| &raw[start..=end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beat(page: u32, phase: ArcPhase) -> PageBeat {
        PageBeat {
            page,
            phase,
            summary: "s".into(),
            characters: vec!["Hazel".into()],
            setting: "forest".into(),
            time_of_day: TimeOfDay::Night,
            objects: vec![],
        }
    }

    #[test]
    fn a_fenced_plan_parses_and_is_checked() {
        let plan = StoryPlan {
            title: "T".into(),
            problem: "the dark".into(),
            objects: vec![],
            beats: vec![
                beat(1, ArcPhase::Setup),
                beat(2, ArcPhase::Problem),
                beat(3, ArcPhase::Resolution),
            ],
        };
        let raw = format!(
            "Here you go:\n```json\n{}\n```",
            serde_json::to_string(&plan).unwrap()
        );
        assert_eq!(StoryPlan::parse(&raw, 3, &["Hazel".into()]).unwrap(), plan);
        assert!(StoryPlan::parse(&raw, 4, &["Hazel".into()]).is_err());
        assert!(StoryPlan::parse(&raw, 3, &["Otto".into()]).is_err());
        assert!(StoryPlan::parse("no json", 3, &[]).is_err());
    }

    fn keys(v: &serde_json::Value) -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    }

    #[test]
    fn the_schema_describes_the_plan_as_it_is_stored() {
        let schema: serde_json::Value = serde_json::from_str(PLAN_SCHEMA).unwrap();
        let plan = serde_json::to_value(StoryPlan {
            title: "T".into(),
            problem: "p".into(),
            objects: vec![],
            beats: vec![beat(1, ArcPhase::Setup)],
        })
        .unwrap();
        assert_eq!(keys(&schema["properties"]), keys(&plan));
        let items = &schema["properties"]["beats"]["items"];
        assert_eq!(keys(&items["properties"]), keys(&plan["beats"][0]));
        let mut required: Vec<String> = serde_json::from_value(items["required"].clone()).unwrap();
        required.sort();
        assert_eq!(required, keys(&plan["beats"][0]));
        let named = |field: &str| -> Vec<String> {
            serde_json::from_value(items["properties"][field]["enum"].clone()).unwrap()
        };
        for phase in named("phase") {
            serde_json::from_value::<ArcPhase>(serde_json::Value::String(phase)).unwrap();
        }
        for time in named("time_of_day") {
            serde_json::from_value::<TimeOfDay>(serde_json::Value::String(time)).unwrap();
        }
        assert_eq!((named("phase").len(), named("time_of_day").len()), (5, 4));
    }
}
