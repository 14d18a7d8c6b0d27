//! Managed model providers behind the text and image ports. The offline models prove the
//! pipeline; these are what readers pay for.
//!
//! - [`OpenAiText`]: chat completions on any OpenAI-compatible server (OpenAI, Azure
//!   OpenAI, vLLM, Ollama, llama.cpp), with JSON mode when a task wants JSON;
//! - [`OpenAiImages`]: the images API, passing each character's reference sheet;
//! - [`ModelChoice`]: which models a process uses, from its configuration.
//!
//! Keys come from the secrets port at call time (so a rotated key is used within the
//! cache's TTL), never from the environment. Failures are classified the way the pipeline
//! needs: timeouts, throttling and 5xx are transient; content-filter refusals are policy
//! blocks; anything else the provider refused is permanent.

mod api;
mod choice;
mod failure;
mod https;
mod openai_images;
mod openai_text;

pub use choice::{KEY_SECRET, ModelChoice, Provider};
pub use https::http_client;
pub use openai_images::OpenAiImages;
pub use openai_text::OpenAiText;
