//! What a person asks for when they order a book.

use crate::character::Character;
use crate::error::Result;
use crate::ids::CharacterId;
use crate::validation::Checker;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Who the book is for; drives vocabulary, sentence length, page length and type size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum AgeBand {
    #[serde(rename = "3-5")]
    Ages3To5,
    #[serde(rename = "6-8")]
    Ages6To8,
    #[serde(rename = "9-12")]
    Ages9To12,
}

impl AgeBand {
    /// Parses the wire form, exactly: `3-5`, `6-8` or `9-12`.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "3-5" => Some(AgeBand::Ages3To5),
            "6-8" => Some(AgeBand::Ages6To8),
            "9-12" => Some(AgeBand::Ages9To12),
            _ => None,
        }
    }

    /// The wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::Ages3To5 => "3-5",
            AgeBand::Ages6To8 => "6-8",
            AgeBand::Ages9To12 => "9-12",
        }
    }

    /// Words a page of this band should hold.
    pub fn words_per_page(self) -> std::ops::RangeInclusive<usize> {
        match self {
            AgeBand::Ages3To5 => 8..=60,
            AgeBand::Ages6To8 => 20..=110,
            AgeBand::Ages9To12 => 35..=180,
        }
    }

    /// The highest Flesch–Kincaid grade the text of this band may reach.
    pub fn max_grade(self) -> f64 {
        match self {
            AgeBand::Ages3To5 => 3.5,
            AgeBand::Ages6To8 => 5.5,
            AgeBand::Ages9To12 => 8.5,
        }
    }
}

impl fmt::Display for AgeBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ages {}", self.as_str().replace('-', "–"))
    }
}

/// The look of the pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ArtStyle {
    Watercolour,
    Crayon,
    PaperCut,
    Gouache,
    Ink,
}

impl ArtStyle {
    /// Every style, for error messages and menus.
    pub const ALL: [ArtStyle; 5] = [
        ArtStyle::Watercolour,
        ArtStyle::Crayon,
        ArtStyle::PaperCut,
        ArtStyle::Gouache,
        ArtStyle::Ink,
    ];

    /// Parses the wire form, exactly as the API document lists it: a client that sends
    /// "INK" or "ink " learns the right spelling instead of having it guessed.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|style| style.as_str() == raw)
    }

    /// The wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            ArtStyle::Watercolour => "watercolour",
            ArtStyle::Crayon => "crayon",
            ArtStyle::PaperCut => "paper-cut",
            ArtStyle::Gouache => "gouache",
            ArtStyle::Ink => "ink",
        }
    }
}

/// The body of `POST /v1/books`, as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBook {
    /// What the story is about.
    #[schema(
        min_length = 10,
        max_length = 500,
        example = "A brave hedgehog who is afraid of the dark"
    )]
    pub premise: String,
    #[schema(value_type = AgeBand)]
    pub age_band: String,
    #[schema(minimum = 4, maximum = 32)]
    pub page_count: i64,
    #[schema(value_type = ArtStyle)]
    pub art_style: String,
    /// Ids of the caller's saved characters, each at most once.
    #[serde(default)]
    #[schema(value_type = Vec<CharacterId>, min_items = 1, max_items = 6)]
    pub cast: Vec<String>,
    #[serde(default)]
    #[schema(min_length = 1, max_length = 80)]
    pub title: Option<String>,
    /// Fixes the story and pictures; a fresh one is drawn when absent.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Most this book may cost in model calls, in dollars; when a call would pass it the
    /// book pauses until the cap is raised. No cap when absent.
    #[serde(default)]
    #[schema(minimum = 0, example = 0.5)]
    pub max_cost_usd: Option<f64>,
    /// A line printed on its own page after the title page ("For Ada, who asks why").
    #[serde(default)]
    #[schema(min_length = 1, max_length = 200, example = "For Ada, who asks why")]
    pub dedication: Option<String>,
}

/// Bounds on a request.
pub const MIN_PAGES: i64 = 4;
pub const MAX_PAGES: i64 = 32;
pub const MAX_CAST: usize = 6;
pub const MAX_PREMISE: usize = 500;
pub const MAX_TITLE: usize = 80;
pub const MAX_DEDICATION: usize = 200;
/// The largest seed: the API document's `int64`, which every JSON client can send.
pub const MAX_SEED: u64 = i64::MAX as u64;

/// A checked request, with the cast copied in so later edits to a character cannot change
/// a book that is already being made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookRequest {
    pub premise: String,
    pub age_band: AgeBand,
    pub page_count: u32,
    pub art_style: ArtStyle,
    pub cast: Vec<Character>,
    pub title: Option<String>,
    pub seed: u64,
    /// The book's cost cap, in millionths of a dollar.
    #[serde(default)]
    pub cap_micros: Option<u64>,
    /// Printed on its own page after the title page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedication: Option<String>,
}

impl NewBook {
    /// The cast ids as sent, checked for shape (the caller resolves them against the store).
    pub fn cast_ids(&self) -> Result<Vec<CharacterId>> {
        let mut c = Checker::default();
        if self.cast.is_empty() {
            c.fail("cast", "must name at least one saved character");
        }
        if self.cast.len() > MAX_CAST {
            c.fail("cast", format!("may name at most {MAX_CAST} characters"));
        }
        let mut ids = Vec::new();
        for (i, raw) in self.cast.iter().enumerate() {
            match CharacterId::parse(raw) {
                Ok(id) if ids.contains(&id) => {
                    c.fail(&format!("cast[{i}]"), "names the same character twice")
                }
                Ok(id) => ids.push(id),
                Err(_) => c.fail(&format!("cast[{i}]"), "is not a valid character id"),
            }
        }
        c.finish(ids)
    }

    /// Validates everything but the cast lookup; `cast` is the resolved characters.
    pub fn validate(self, cast: Vec<Character>, default_seed: u64) -> Result<BookRequest> {
        let mut c = Checker::default();
        let premise = c.text("premise", &self.premise, 10, MAX_PREMISE);
        let age_band = AgeBand::parse(&self.age_band);
        if age_band.is_none() {
            c.fail("age_band", "must be one of \"3-5\", \"6-8\" or \"9-12\"");
        }
        if !(MIN_PAGES..=MAX_PAGES).contains(&self.page_count) {
            c.fail(
                "page_count",
                format!(
                    "must be between {MIN_PAGES} and {MAX_PAGES} (it was {})",
                    self.page_count
                ),
            );
        }
        let art_style = ArtStyle::parse(&self.art_style);
        if art_style.is_none() {
            let all: Vec<_> = ArtStyle::ALL
                .iter()
                .map(|s| format!("\"{}\"", s.as_str()))
                .collect();
            c.fail("art_style", format!("must be one of {}", all.join(", ")));
        }
        let title = self
            .title
            .as_deref()
            .map(|t| c.text("title", t, 1, MAX_TITLE));
        let dedication = self
            .dedication
            .as_deref()
            .map(|d| c.text("dedication", d, 1, MAX_DEDICATION));
        if self.seed.is_some_and(|s| s > MAX_SEED) {
            c.fail(
                "seed",
                format!("must be a whole number from 0 to {MAX_SEED} (a signed 64-bit integer)"),
            );
        }
        let cap_micros = match self.max_cost_usd {
            None => None,
            Some(usd) => {
                let cap = crate::money::micros(usd);
                if cap.is_none() {
                    c.fail("max_cost_usd", "must be a number of dollars, at least 0");
                }
                cap
            }
        };
        match (age_band, art_style) {
            (Some(age_band), Some(art_style)) => c.finish(BookRequest {
                premise,
                age_band,
                page_count: self.page_count as u32,
                art_style,
                cast,
                title,
                seed: self.seed.unwrap_or(default_seed),
                cap_micros,
                dedication,
            }),
            _ => Err(c.into_error()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> NewBook {
        NewBook {
            premise: "a brave hedgehog who is afraid of the dark".into(),
            age_band: "3-5".into(),
            page_count: 12,
            art_style: "watercolour".into(),
            cast: vec!["c1".into()],
            title: None,
            seed: Some(7),
            max_cost_usd: None,
            dedication: None,
        }
    }

    #[test]
    fn a_good_request_validates() {
        let r = good().validate(vec![], 1).unwrap();
        assert_eq!(r.age_band, AgeBand::Ages3To5);
        assert_eq!(r.page_count, 12);
        assert_eq!(r.seed, 7);
    }

    #[test]
    fn each_bad_field_is_named_with_what_would_be_right() {
        let bad = NewBook {
            premise: "short".into(),
            age_band: "2-4".into(),
            page_count: 40,
            art_style: "oil".into(),
            ..good()
        };
        let crate::Error::Invalid(fields) = bad.validate(vec![], 1).unwrap_err() else {
            panic!()
        };
        let msgs: Vec<_> = fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect();
        assert_eq!(
            msgs,
            vec![
                "premise: must be at least 10 characters (it has 5)",
                "age_band: must be one of \"3-5\", \"6-8\" or \"9-12\"",
                "page_count: must be between 4 and 32 (it was 40)",
                "art_style: must be one of \"watercolour\", \"crayon\", \"paper-cut\", \"gouache\", \"ink\"",
            ]
        );
    }

    #[test]
    fn cast_must_be_present_distinct_and_well_formed() {
        let mut b = good();
        b.cast = vec![];
        assert!(b.cast_ids().is_err());
        b.cast = vec!["c1".into(), "c1".into()];
        assert!(b.cast_ids().is_err());
        b.cast = vec!["../x".into()];
        assert!(b.cast_ids().is_err());
        b.cast = vec!["c1".into(), "c2".into()];
        assert_eq!(b.cast_ids().unwrap().len(), 2);
    }
}
