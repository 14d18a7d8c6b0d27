//! Identifiers. Each is validated on the way in so a path segment or header can never
//! smuggle a key separator or a path into the store.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses and validates an identifier.
            pub fn parse(raw: &str) -> Result<Self> {
                validate_id(raw, $field).map(|()| Self(raw.to_owned()))
            }
            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(raw: String) -> Result<Self> {
                validate_id(&raw, $field).map(|()| Self(raw))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                id_schema($field)
            }
        }

        impl utoipa::ToSchema for $name {}

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A book's identifier (a UUID when Storyloom mints it).
    BookId,
    "book id"
);
id_type!(
    /// A saved character's identifier.
    CharacterId,
    "character id"
);
id_type!(
    /// Whoever owns characters and books.
    OwnerId,
    "owner id"
);

impl BookId {
    /// Mints a fresh random id.
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }
}

impl CharacterId {
    /// Mints a fresh random id.
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }
}

const MAX_ID_LEN: usize = 64;
/// What [`validate_id`] accepts, as a regular expression for the API document.
const ID_PATTERN: &str = "^[A-Za-z0-9_@-][A-Za-z0-9_.@-]{0,63}$";

/// The API document's schema of an id.
fn id_schema(what: &str) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(format!("A {what}.")))
        .min_length(Some(1))
        .max_length(Some(MAX_ID_LEN))
        .pattern(Some(ID_PATTERN))
        .into()
}

fn validate_id(raw: &str, what: &str) -> Result<()> {
    if raw.is_empty() {
        return Err(Error::invalid(what, "must not be empty"));
    }
    if raw.len() > MAX_ID_LEN {
        return Err(Error::invalid(
            what,
            format!("must be at most {MAX_ID_LEN} characters"),
        ));
    }
    if !raw
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'))
        || raw.starts_with('.')
    {
        return Err(Error::invalid(
            what,
            "may only contain letters, digits, '-', '_', '.' and '@' and must not start with '.'",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_pattern_matches_the_rule() {
        // The pattern's character classes, spelled out: one leading char, then the rest.
        let lead = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '@' | '-');
        let rest = |c: char| lead(c) || c == '.';
        for raw in [
            "a",
            "b-1",
            "ana@example.org",
            "x.y",
            ".hidden",
            "a#b",
            "",
            "a b",
        ] {
            let mut chars = raw.chars();
            let by_pattern = !raw.is_empty()
                && raw.len() <= MAX_ID_LEN
                && chars.next().is_some_and(lead)
                && chars.all(rest);
            assert_eq!(by_pattern, BookId::parse(raw).is_ok(), "{raw:?}");
        }
        assert!(ID_PATTERN.contains("{0,63}"));
    }

    #[test]
    fn ids_reject_separators_and_paths() {
        assert!(BookId::parse("b7b0c2a4-1c1e-4e43-9a55-6e0d1f0f6a11").is_ok());
        assert!(OwnerId::parse("ana@example.org").is_ok());
        for bad in [
            "",
            "../etc",
            "a/b",
            "a#b",
            "with space",
            ".hidden",
            &"x".repeat(65),
        ] {
            assert!(BookId::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
