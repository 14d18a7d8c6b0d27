//! Saved characters: who appears in a book, how they look and how they speak.

use crate::error::Result;
use crate::ids::{CharacterId, OwnerId};
use crate::validation::Checker;
use serde::{Deserialize, Serialize};

/// A character an owner saved and can cast in any number of books.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Character {
    pub id: CharacterId,
    pub owner: OwnerId,
    /// The name used on every page, exactly as written here.
    pub name: String,
    /// What the character is: "hedgehog", "girl", "robot", "dragon"...
    pub kind: String,
    /// A few words the story should show: "brave", "curious"...
    pub traits: Vec<String>,
    /// How the character looks, reused for every picture so they stay recognisable.
    pub visual_description: String,
    /// How the character speaks: "short sentences, lots of questions".
    pub voice: String,
    /// Fixed per character so every picture draws the same face.
    pub visual_seed: u64,
    /// Milliseconds since the Unix epoch.
    pub created_at: u64,
    /// The visual reference sheet (description, palette, seed), drawn up when the
    /// character was saved. Characters saved before sheets existed have none stored and
    /// get the same sheet drawn up from their fields (see [`Character::sheet`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_sheet: Option<crate::sheet::ReferenceSheet>,
    /// Which drawing of the portrait is current: 0 for the first, one more per redraw (each
    /// is drawn with a new seed, and kept under its own blob key).
    #[serde(default)]
    pub portrait: u32,
}

/// What a client sends to save a character.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCharacter {
    #[schema(min_length = 1, max_length = 40, example = "Hazel")]
    pub name: String,
    #[schema(min_length = 1, max_length = 30, example = "hedgehog")]
    pub kind: String,
    #[serde(default)]
    #[schema(max_items = 6, example = json!(["brave", "curious"]))]
    pub traits: Vec<String>,
    #[schema(
        min_length = 1,
        max_length = 300,
        example = "a small brown hedgehog with a red scarf"
    )]
    pub visual_description: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub voice: String,
}

/// Bounds that keep prompts small and pages readable.
pub const MAX_NAME: usize = 40;
pub const MAX_TRAITS: usize = 6;
pub const MAX_TRAIT: usize = 30;
pub const MAX_VISUAL: usize = 300;
pub const MAX_VOICE: usize = 200;

impl Character {
    /// The character's reference sheet: the stored one, or for a character saved before
    /// sheets existed the one their fields give.
    pub fn sheet(&self) -> crate::sheet::ReferenceSheet {
        self.reference_sheet.clone().unwrap_or_else(|| {
            crate::sheet::ReferenceSheet::draw_up(
                &self.kind,
                &self.visual_description,
                self.visual_seed,
            )
        })
    }

    /// The same character with the fields a person edits replaced by `edit`'s (validated),
    /// and a new reference sheet and portrait drawn from them. Its id, owner, seed and
    /// creation time stay.
    pub fn edited(&self, edit: NewCharacter) -> Result<Character> {
        let mut next = edit.validate(self.id.clone(), self.owner.clone(), self.created_at)?;
        next.portrait = self.portrait + 1;
        Ok(next)
    }

    /// Puts characters in listing order: oldest first, ties by id, so every store lists
    /// the same cast the same way.
    pub fn sort_oldest_first(characters: &mut [Character]) {
        characters.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then_with(|| a.id.cmp(&b.id))
        });
    }
}

impl NewCharacter {
    /// Validates the input and builds the character, or lists every problem.
    pub fn validate(self, id: CharacterId, owner: OwnerId, now: u64) -> Result<Character> {
        let mut c = Checker::default();
        let name = c.text("name", &self.name, 1, MAX_NAME);
        if name
            .chars()
            .any(|ch| !(ch.is_alphanumeric() || " '-.".contains(ch)))
        {
            c.fail(
                "name",
                "may only contain letters, digits, spaces, apostrophes, hyphens and dots",
            );
        }
        let kind = c.text("kind", &self.kind, 1, MAX_TRAIT);
        if self.traits.len() > MAX_TRAITS {
            c.fail("traits", format!("may list at most {MAX_TRAITS} traits"));
        }
        let traits: Vec<String> = self
            .traits
            .iter()
            .enumerate()
            .map(|(i, t)| {
                c.text(&format!("traits[{i}]"), t, 1, MAX_TRAIT)
                    .to_lowercase()
            })
            .collect();
        let visual_description = c.text(
            "visual_description",
            &self.visual_description,
            3,
            MAX_VISUAL,
        );
        let voice = c.text("voice", &self.voice, 0, MAX_VOICE);
        let visual_seed = seed_from(id.as_str());
        let kind = kind.to_lowercase();
        let reference_sheet = Some(crate::sheet::ReferenceSheet::draw_up(
            &kind,
            &visual_description,
            visual_seed,
        ));
        c.finish(Character {
            id,
            owner,
            name,
            kind,
            traits,
            visual_description,
            voice,
            visual_seed,
            created_at: now,
            reference_sheet,
            portrait: 0,
        })
    }
}

/// A stable 64-bit seed from text (FNV-1a): the same character always draws the same way.
pub fn seed_from(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> NewCharacter {
        NewCharacter {
            name: "Hazel".into(),
            kind: "Hedgehog".into(),
            traits: vec!["Brave".into(), "curious".into()],
            visual_description: "a small brown hedgehog with a red scarf".into(),
            voice: "asks lots of questions".into(),
        }
    }

    #[test]
    fn a_good_character_is_normalised() {
        let c = ok()
            .validate(
                CharacterId::parse("c1").unwrap(),
                OwnerId::parse("u1").unwrap(),
                5,
            )
            .unwrap();
        assert_eq!(c.kind, "hedgehog");
        assert_eq!(c.traits, vec!["brave", "curious"]);
        assert_eq!(c.visual_seed, seed_from("c1"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = NewCharacter {
            name: "  ".into(),
            kind: "x".repeat(31),
            traits: vec!["".into()],
            visual_description: "no".into(),
            voice: String::new(),
        };
        let err = bad
            .validate(
                CharacterId::parse("c1").unwrap(),
                OwnerId::parse("u1").unwrap(),
                0,
            )
            .unwrap_err();
        let crate::Error::Invalid(fields) = err else {
            panic!("expected Invalid")
        };
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            names,
            vec!["name", "kind", "traits[0]", "visual_description"]
        );
        assert_eq!(fields[0].message, "must not be empty");
        assert_eq!(
            fields[3].message,
            "must be at least 3 characters (it has 2)"
        );
    }

    #[test]
    fn names_with_markup_are_refused() {
        let mut c = ok();
        c.name = "Hazel<script>".into();
        assert!(
            c.validate(
                CharacterId::parse("c1").unwrap(),
                OwnerId::parse("u1").unwrap(),
                0
            )
            .is_err()
        );
    }
}
