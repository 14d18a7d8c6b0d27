//! Loading the GGUF weights into candle's quantised llama and sampling a reply, token by
//! token, on the CPU.

use crate::fetch::{self, FetchError};
use crate::vocabulary::{Vocabulary, VocabularyError};
use candle_core::quantized::{GgmlDType, QTensor, gguf_file};
use candle_core::{Device, Tensor};
use candle_transformers::generation::{LogitsProcessor, Sampling};
use candle_transformers::models::quantized_llama::ModelWeights;
use std::path::Path;
use std::time::{Duration, Instant};

/// Why the model could not load or run.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Vocabulary(#[from] VocabularyError),
    #[error("the model could not run: {0}")]
    Candle(#[from] candle_core::Error),
    #[error("the prompt is {0} tokens, longer than the model's context of {CONTEXT} tokens")]
    PromptTooLong(usize),
}

/// The model's context window, as SmolLM2 was trained (prompt and reply together).
pub const CONTEXT: usize = 2048;

/// Penalises tokens seen this recently: a 135M model otherwise loops on a phrase.
const REPEAT_WINDOW: usize = 64;
const REPEAT_PENALTY: f32 = 1.3;

/// The file's Q4_1 tensors as Q8_0, in a GGUF image in memory. Candle multiplies Q8_0 with
/// AVX2 when the CPU has it (detected at run time) but Q4_1 only with scalar code, which
/// made replies several times slower; 8 bits hold every 4-bit weight exactly (up to the
/// block scale's rounding), and the image is about 145 MB.
fn requantize(
    content: &gguf_file::Content,
    file: &mut std::fs::File,
) -> Result<std::io::Cursor<Vec<u8>>, EngineError> {
    let mut names: Vec<&String> = content.tensor_infos.keys().collect();
    names.sort();
    let mut tensors = Vec::with_capacity(names.len());
    for name in names {
        let tensor = content.tensor(file, name, &Device::Cpu)?;
        let tensor = if tensor.dtype() == GgmlDType::Q4_1 {
            QTensor::quantize(&tensor.dequantize(&Device::Cpu)?, GgmlDType::Q8_0)?
        } else {
            tensor
        };
        tensors.push((name.as_str(), tensor));
    }
    let metadata: Vec<(&str, &gguf_file::Value)> = content
        .metadata
        .iter()
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    let tensors: Vec<(&str, &QTensor)> = tensors.iter().map(|(n, t)| (*n, t)).collect();
    let mut image = std::io::Cursor::new(Vec::new());
    gguf_file::write(&mut image, &metadata, &tensors)?;
    image.set_position(0);
    Ok(image)
}

/// How a reply is sampled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sampler {
    pub temperature: f64,
    pub top_k: usize,
    pub top_p: f64,
    pub seed: u64,
}

/// One reply, with what it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    pub text: String,
    pub prompt_tokens: usize,
    pub output_tokens: usize,
    pub elapsed: Duration,
}

impl Generation {
    /// Reply tokens per second (prompt processing included in the time).
    pub fn tokens_per_second(&self) -> f64 {
        self.output_tokens as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// The loaded model. Cloning shares the weights (each clone keeps its own attention
/// cache), so calls can run side by side.
#[derive(Clone)]
pub struct Engine {
    weights: ModelWeights,
    vocabulary: std::sync::Arc<Vocabulary>,
}

impl Engine {
    /// Loads a model file after checking its sha256.
    pub fn load(path: &Path) -> Result<Self, EngineError> {
        fetch::verify(path)?;
        let mut file = std::fs::File::open(path).map_err(|source| FetchError::Io {
            path: path.to_owned(),
            source,
        })?;
        let content = gguf_file::Content::read(&mut file)?;
        let vocabulary = Vocabulary::from_gguf(&content)?;
        let mut requantized = requantize(&content, &mut file)?;
        let content = gguf_file::Content::read(&mut requantized)?;
        let weights = ModelWeights::from_gguf(content, &mut requantized, &Device::Cpu)?;
        Ok(Engine {
            weights,
            vocabulary: std::sync::Arc::new(vocabulary),
        })
    }

    /// The model's tokenizer.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// A reply to a system and a user turn, at most `max_tokens` long. Deterministic for a
    /// seed. CPU-bound: call it off the async runtime's threads.
    pub fn reply(
        &self,
        system: &str,
        user: &str,
        max_tokens: usize,
        sampler: Sampler,
    ) -> Result<Generation, EngineError> {
        let started = Instant::now();
        let prompt = self.vocabulary.chat(system, user)?;
        if prompt.len() + max_tokens > CONTEXT {
            return Err(EngineError::PromptTooLong(prompt.len()));
        }
        let mut weights = self.weights.clone();
        let mut sampling = LogitsProcessor::from_sampling(
            sampler.seed,
            Sampling::TopKThenTopP {
                k: sampler.top_k,
                p: sampler.top_p,
                temperature: sampler.temperature,
            },
        );
        let mut output: Vec<u32> = Vec::new();
        let mut input = Tensor::new(prompt.as_slice(), &Device::Cpu)?.unsqueeze(0)?;
        let mut position = 0;
        while output.len() < max_tokens {
            let logits = weights.forward(&input, position)?.squeeze(0)?;
            position += input.dim(1)?;
            let recent = &output[output.len().saturating_sub(REPEAT_WINDOW)..];
            let logits =
                candle_transformers::utils::apply_repeat_penalty(&logits, REPEAT_PENALTY, recent)?;
            let next = sampling.sample(&logits)?;
            if self.vocabulary.ends(next) {
                break;
            }
            output.push(next);
            input = Tensor::new(&[next], &Device::Cpu)?.unsqueeze(0)?;
        }
        Ok(Generation {
            text: self.vocabulary.decode(&output)?,
            prompt_tokens: prompt.len(),
            output_tokens: output.len(),
            elapsed: started.elapsed(),
        })
    }
}
