//! What model calls take and give: the writing tasks and their brief, text and picture
//! requests and replies, usage, and who a model is. The ports that make the calls are in
//! the `ports` module.

use crate::page::Scene;
use crate::plan::StoryPlan;
use crate::request::{AgeBand, ArtStyle};
use serde::{Deserialize, Serialize};

/// What a model call consumed, for cost accounting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Usage {
    pub calls: u32,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub images: u32,
}

impl Usage {
    /// Adds another call's usage.
    pub fn add(&mut self, other: Usage) {
        self.calls += other.calls;
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.images += other.images;
    }
}

/// Who a model is, and whether it runs offline; shown to readers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub id: String,
    pub offline: bool,
    pub description: String,
}

/// A cast member as a writer sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CastMember {
    pub name: String,
    pub kind: String,
    pub traits: Vec<String>,
    pub voice: String,
}

/// The brief every writing call shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryBrief {
    pub premise: String,
    pub age_band: AgeBand,
    pub page_count: u32,
    pub title: Option<String>,
    pub cast: Vec<CastMember>,
}

/// What a writing call is for. Managed models read the prompt; the structured task is there
/// so responses can be checked and so offline models work from the same facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
pub enum TextTask {
    /// The director's call: plan the arc, replying with a JSON [`StoryPlan`].
    Plan { brief: StoryBrief },
    /// The persona's call: what one character says and does on a page, in their voice.
    Persona {
        brief: StoryBrief,
        plan: StoryPlan,
        page: u32,
        character: String,
    },
    /// The chronicler's call: one page's text, from the beat and the personas' proposals.
    Page {
        brief: StoryBrief,
        plan: StoryPlan,
        page: u32,
        previous_text: Option<String>,
        /// Review's findings for this page (and the whole story), to act on.
        feedback: Vec<crate::finding::Finding>,
        #[serde(default)]
        proposals: Vec<crate::proposal::Proposal>,
    },
}

/// A text model call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextRequest {
    pub task: TextTask,
    pub system: String,
    pub prompt: String,
    pub seed: u64,
    pub max_tokens: u32,
    /// The reply must be a JSON object.
    pub json: bool,
}

impl TextRequest {
    /// The JSON Schema a JSON reply must follow, when its shape is known (the plan's).
    pub fn json_schema(&self) -> Option<&'static str> {
        match self.task {
            TextTask::Plan { .. } if self.json => Some(crate::plan::PLAN_SCHEMA),
            _ => None,
        }
    }
}

/// A text model's reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextResponse {
    pub text: String,
    pub usage: Usage,
}

/// How a character looks, passed with every picture so they look the same on every page:
/// their reference sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CharacterLook {
    pub name: String,
    pub kind: String,
    pub visual_description: String,
    pub seed: u64,
    /// The sheet's colours.
    pub palette: crate::sheet::Palette,
}

impl CharacterLook {
    /// A character's look from their reference sheet.
    pub fn from_sheet(name: &str, kind: &str, sheet: crate::sheet::ReferenceSheet) -> Self {
        CharacterLook {
            name: name.to_owned(),
            kind: kind.to_owned(),
            visual_description: sheet.description,
            seed: sheet.seed,
            palette: sheet.palette,
        }
    }
}

/// A picture request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageRequest {
    pub prompt: String,
    pub scene: Scene,
    /// Looks of the characters in the scene, in the scene's order.
    pub cast: Vec<CharacterLook>,
    pub style: ArtStyle,
    pub width: u32,
    pub height: u32,
    pub seed: u64,
    /// A person's note for a redraw ("make the sky stormy"), also in the prompt.
    #[serde(default)]
    pub direction: Option<String>,
}

/// A drawn picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageResponse {
    pub png: Vec<u8>,
    pub usage: Usage,
}

/// Picture size the pipeline asks for: the full-bleed art area at 300 dpi.
pub const PICTURE_WIDTH: u32 = 2625;
/// See [`PICTURE_WIDTH`].
pub const PICTURE_HEIGHT: u32 = 1650;
