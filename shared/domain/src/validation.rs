//! Field-level validation errors, phrased for the person who filled in the form.

use serde::{Deserialize, Serialize};

/// One problem with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field's name as the client sent it (`premise`, `cast[1]`, ...).
    pub field: String,
    /// What is wrong and, where it helps, what would be right.
    pub message: String,
}

impl FieldError {
    /// A new field error.
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// Joins field errors into one readable sentence.
pub fn summary(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{} {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Collects field errors while a request is checked, so a person sees every problem at once.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    /// Records a problem with `field`.
    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// Checks a free-text field: trimmed, not empty, at most `max` characters, no control
    /// characters. Returns the trimmed text.
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) -> String {
        let trimmed = value.trim();
        let len = trimmed.chars().count();
        if len < min {
            if min <= 1 {
                self.fail(field, "must not be empty");
            } else {
                self.fail(
                    field,
                    format!("must be at least {min} characters (it has {len})"),
                );
            }
        } else if len > max {
            self.fail(
                field,
                format!("must be at most {max} characters (it has {len})"),
            );
        }
        if trimmed.chars().any(|c| c.is_control() && c != '\n') {
            self.fail(field, "must not contain control characters");
        }
        trimmed.to_owned()
    }

    /// The problems found so far as one error (call only after a failure was recorded).
    pub fn into_error(self) -> crate::Error {
        crate::Error::Invalid(self.errors)
    }

    /// Finishes: `Ok(value)` when nothing failed, otherwise every problem found.
    pub fn finish<T>(self, value: T) -> crate::Result<T> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(crate::Error::Invalid(self.errors))
        }
    }
}
