//! The configuration is checked whole when a process starts: a function's init fails with
//! every problem listed, each with what to set.

use storyloom_domain::config::ConfigSource;
use storyloom_functions::wiring::config_for;

fn source(pairs: &[(&str, &str)], file: Option<&str>) -> ConfigSource {
    ConfigSource::layered(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        file.map(|text| ("storyloom.env", text)),
    )
    .expect("well-formed")
}

#[test]
fn every_mistake_is_reported_together_with_what_to_set() {
    // No table name, a queue URL that is not a URL, a limit of zero, a negative price.
    let bad = source(
        &[
            ("BUCKET_NAME", "storyloom-dev-blobs"),
            ("SECRETS_PREFIX", "storyloom/dev/"),
            ("STORY_QUEUE_URL", "storyloom-dev-story"),
            ("LIMIT_BURST", "0"),
            (
                "PRICES",
                r#"{"gpt-4o-mini": {"output_per_million_tokens": -0.6}}"#,
            ),
        ],
        None,
    );
    let errors = config_for(&bad).expect_err("four mistakes");
    let keys: Vec<_> = errors.0.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        ["TABLE_NAME", "STORY_QUEUE_URL", "LIMIT_BURST", "PRICES"]
    );
    let message = errors.to_string();
    assert!(
        message.starts_with("the configuration has 4 problems:"),
        "{message}"
    );
    assert!(
        message.contains("gpt-4o-mini.output_per_million_tokens is -0.6"),
        "{message}"
    );
    assert!(
        message.contains("TABLE_NAME: is not set; set it to the DynamoDB table's name"),
        "{message}"
    );
    assert!(message.contains("is not a URL"), "{message}");
    assert!(message.contains("at least 1"), "{message}");
}

#[test]
fn a_file_supplies_what_the_environment_does_not() {
    let file = "# storyloom.env\nTABLE_NAME=t\nBUCKET_NAME=b\nSECRETS_PREFIX=storyloom/dev/\nLIMIT_BURST=5\n";
    let config = config_for(&source(&[("LIMIT_BURST", "7")], Some(file))).expect("valid");
    assert_eq!(config.settings.table, "t");
    assert_eq!(config.limits.burst, 7, "the environment wins over the file");
}
