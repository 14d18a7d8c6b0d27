//! What model calls cost: a price per model (per million tokens in and out, per picture),
//! from configuration over a built-in table of published on-demand prices.

use crate::config::{ConfigErrors, ConfigProblem, ConfigSource};
use crate::models::Usage;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The setting that adds to or overrides the built-in prices: a JSON object of model id to
/// price, e.g. `{"gpt-4o-mini": {"input_per_million_tokens": 0.15,
/// "output_per_million_tokens": 0.6}}`.
pub const PRICES_VARIABLE: &str = "PRICES";

/// One model's on-demand price, in US dollars.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Price {
    pub input_per_million_tokens: f64,
    pub output_per_million_tokens: f64,
    pub per_image: f64,
}

impl Price {
    /// What `usage` costs at this price, in US dollars.
    pub fn of(&self, usage: &Usage) -> f64 {
        usage.input_tokens as f64 * self.input_per_million_tokens / 1e6
            + usage.output_tokens as f64 * self.output_per_million_tokens / 1e6
            + f64::from(usage.images) * self.per_image
    }

    /// The fields that are not a usable price (negative, or not a number).
    fn faults(&self) -> Vec<(&'static str, f64)> {
        [
            ("input_per_million_tokens", self.input_per_million_tokens),
            ("output_per_million_tokens", self.output_per_million_tokens),
            ("per_image", self.per_image),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_finite() || *v < 0.0)
        .collect()
    }
}

/// Prices by model id.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceTable(BTreeMap<String, Price>);

impl Default for PriceTable {
    /// The built-in table: the offline models cost nothing; the managed ones are their
    /// providers' published on-demand list prices (US regions, November 2026).
    fn default() -> Self {
        let text = |input, output| Price {
            input_per_million_tokens: input,
            output_per_million_tokens: output,
            per_image: 0.0,
        };
        let image = |per_image| Price {
            per_image,
            ..Price::default()
        };
        PriceTable(
            [
                ("offline-storyteller-1", Price::default()),
                ("offline-illustrator-1", Price::default()),
                ("gpt-4o-mini", text(0.15, 0.60)),
                ("amazon.nova-lite-v1:0", text(0.06, 0.24)),
                ("amazon.nova-canvas-v1:0", image(0.04)),
            ]
            .into_iter()
            .map(|(id, p)| (id.to_owned(), p))
            .collect(),
        )
    }
}

impl PriceTable {
    /// The built-in table with [`PRICES_VARIABLE`] laid over it. A malformed value, and
    /// every negative or non-numeric price in it, is a problem, all reported together.
    pub fn from_config(source: &ConfigSource) -> Result<Self, ConfigErrors> {
        let mut table = PriceTable::default();
        let Some(raw) = source.get(PRICES_VARIABLE) else {
            return Ok(table);
        };
        let given: BTreeMap<String, Price> = serde_json::from_str(&raw).map_err(|e| {
            ConfigErrors(vec![ConfigProblem::new(
                PRICES_VARIABLE,
                format!(
                    "is not a JSON object of model id to price ({e}); e.g. \
                     {{\"gpt-4o-mini\": {{\"input_per_million_tokens\": 0.15, \
                     \"output_per_million_tokens\": 0.6}}}}"
                ),
            )])
        })?;
        let problems: Vec<ConfigProblem> = given
            .iter()
            .flat_map(|(model, price)| {
                price.faults().into_iter().map(move |(field, value)| {
                    ConfigProblem::new(
                        PRICES_VARIABLE,
                        format!(
                            "{model}.{field} is {value}; a price must be a number of at least 0"
                        ),
                    )
                })
            })
            .collect();
        if !problems.is_empty() {
            return Err(ConfigErrors(problems));
        }
        table.0.extend(given);
        Ok(table)
    }

    /// A model's price, if the table has one.
    pub fn price(&self, model: &str) -> Option<Price> {
        self.0.get(model).copied()
    }

    /// How many models the table prices.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the table prices no model.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(prices: &str) -> ConfigSource {
        ConfigSource::layered([(PRICES_VARIABLE.to_owned(), prices.to_owned())], None)
            .expect("valid")
    }

    #[test]
    fn configured_prices_override_and_extend_the_built_in_ones() {
        let t = PriceTable::from_config(&source(
            r#"{"gpt-4o-mini": {"input_per_million_tokens": 0.3, "output_per_million_tokens": 1.2},
                "my-image-model": {"per_image": 0.02}}"#,
        ))
        .expect("valid");
        let usage = Usage {
            calls: 2,
            input_tokens: 1_000_000,
            output_tokens: 500_000,
            images: 0,
        };
        let cost = t.price("gpt-4o-mini").expect("priced").of(&usage);
        assert!((cost - 0.9).abs() < 1e-9, "{cost}");
        assert_eq!(t.price("my-image-model").map(|p| p.per_image), Some(0.02));
        assert_eq!(t.price("offline-storyteller-1"), Some(Price::default()));
        assert_eq!(t.len(), PriceTable::default().len() + 1);
    }

    #[test]
    fn negative_prices_and_malformed_tables_are_problems() {
        let e = PriceTable::from_config(&source(
            r#"{"a": {"per_image": -0.04}, "b": {"input_per_million_tokens": -1, "output_per_million_tokens": -2}}"#,
        ))
        .expect_err("negative prices");
        assert_eq!(e.0.len(), 3, "{e}");
        assert!(e.to_string().contains("a.per_image is -0.04"), "{e}");
        let e = PriceTable::from_config(&source(r#"{"a": {"per_picture": 1}}"#))
            .expect_err("an unknown field");
        assert!(e.to_string().contains("per_picture"), "{e}");
        assert!(PriceTable::from_config(&source("cheap")).is_err());
    }
}
