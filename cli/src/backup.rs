//! Backup and restore of the local stack: `storyloom backup --out FILE` takes a consistent
//! snapshot of the store, the queues, the blobs and the secrets while the stack runs (each
//! database as one read transaction sees it); `storyloom restore FILE` unpacks one into an
//! empty data directory. A running stack is asked through a Unix socket in its data
//! directory (readable by its owner only), as only it may open its databases.

use crate::LocalStack;
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// The admin socket's file name in the data directory.
pub const SOCKET: &str = "admin.sock";

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub blobs: usize,
    pub bytes: u64,
}

impl std::fmt::Display for BackupSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "blobs={} bytes={}", self.blobs, self.bytes)
    }
}

/// What a backup is taken from: a stack's databases and data directory.
#[derive(Clone)]
pub struct BackupSource {
    pub files: std::sync::Arc<storyloom_embedded::FileStore>,
    pub queue: std::sync::Arc<storyloom_embedded::FileQueue>,
    pub data: PathBuf,
}

impl LocalStack {
    /// What a backup of this stack reads.
    pub fn backup_source(&self) -> BackupSource {
        BackupSource {
            files: self.files.clone(),
            queue: self.queue.clone(),
            data: self.data.clone(),
        }
    }
}

/// Writes a backup of `stack` to `out` (a tar file, written whole or not at all).
pub async fn backup(stack: &BackupSource, out: &Path) -> anyhow::Result<BackupSummary> {
    let staging = tempfile::tempdir()?;
    // Blobs after the store: every picture the snapshot names was written before it.
    stack
        .files
        .snapshot(&staging.path().join("store.redb"))
        .await?;
    stack
        .queue
        .snapshot(&staging.path().join("queues.redb"))
        .await?;
    let data = stack.data.clone();
    let out = out.to_owned();
    let staged = staging.path().to_owned();
    tokio::task::spawn_blocking(move || write_archive(&data, &staged, &out)).await?
}

fn write_archive(data: &Path, staged: &Path, out: &Path) -> anyhow::Result<BackupSummary> {
    let partial = out.with_extension("partial");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    // The backup holds the secrets file: only its owner may read it.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(&partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    let mut tar = tar::Builder::new(file);
    tar.append_path_with_name(staged.join("store.redb"), "store.redb")?;
    tar.append_path_with_name(staged.join("queues.redb"), "queues.redb")?;
    let secrets = data.join("secrets.json");
    if secrets.exists() {
        tar.append_path_with_name(&secrets, "secrets.json")?;
    }
    let mut blobs = 0;
    let root = data.join("blobs");
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                pending.push(path);
            } else if !name.starts_with('.') {
                // Hidden files are blobs still being written (temporary, then renamed).
                let relative = Path::new("blobs").join(path.strip_prefix(&root)?);
                tar.append_path_with_name(&path, relative)?;
                blobs += 1;
            }
        }
    }
    tar.into_inner()?.sync_all()?;
    std::fs::rename(&partial, out)?;
    Ok(BackupSummary {
        blobs,
        bytes: std::fs::metadata(out)?.len(),
    })
}

/// Unpacks a backup into `data`, which must not hold a stack already.
pub fn restore(file: &Path, data: &Path) -> anyhow::Result<()> {
    if data.join("store.redb").exists() || data.join("queues.redb").exists() {
        bail!(
            "{} already holds a stack; restore into an empty directory",
            data.display()
        );
    }
    std::fs::create_dir_all(data)?;
    let archive =
        std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut tar = tar::Archive::new(archive);
    for entry in tar.entries()? {
        let mut entry = entry?;
        // `unpack_in` refuses paths that would leave `data`.
        if !entry.unpack_in(data)? {
            bail!("the backup holds a path outside the data directory");
        }
    }
    if !data.join("store.redb").exists() {
        bail!(
            "{} is not a Storyloom backup (no store in it)",
            file.display()
        );
    }
    Ok(())
}

/// Reads one `\n`-terminated line (the admin protocol is one line each way).
#[cfg(unix)]
async fn read_line(stream: &tokio::net::UnixStream) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 1024];
    while !bytes.contains(&b'\n') {
        stream.readable().await?;
        match stream.try_read(&mut buf) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Writes all of `bytes`.
#[cfg(unix)]
async fn write_all(stream: &tokio::net::UnixStream, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Serves backup requests for `stack` on its data directory's admin socket, readable by
/// the directory's owner only.
#[cfg(unix)]
pub fn serve_admin(stack: BackupSource) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    use std::os::unix::fs::PermissionsExt;
    let path = stack.data.join(SOCKET);
    let _ = std::fs::remove_file(&path);
    let listener = tokio::net::UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let Ok(line) = read_line(&stream).await else {
                continue;
            };
            let reply = match line.trim().strip_prefix("backup ") {
                Some(out) => match backup(&stack, Path::new(out)).await {
                    Ok(summary) => format!("ok {summary}\n"),
                    Err(e) => format!("error {e:#}\n"),
                },
                None => "error unknown command\n".to_owned(),
            };
            let _ = write_all(&stream, reply.as_bytes()).await;
        }
    }))
}

/// Backs up the stack whose data is in `data` to `out`: through its admin socket when it
/// runs, else by opening the data directly.
pub async fn backup_data(data: &Path, out: &Path) -> anyhow::Result<String> {
    let out: PathBuf = std::path::absolute(out)?;
    #[cfg(unix)]
    if let Ok(stream) = tokio::net::UnixStream::connect(data.join(SOCKET)).await {
        write_all(&stream, format!("backup {}\n", out.display()).as_bytes()).await?;
        let reply = read_line(&stream).await?;
        return match reply.trim().strip_prefix("ok ") {
            Some(summary) => Ok(summary.to_owned()),
            None => bail!("the running stack could not back up: {}", reply.trim()),
        };
    }
    let stack = LocalStack::open(data).await?;
    let summary = backup(&stack.backup_source(), &out).await;
    stack.stop().await;
    Ok(summary?.to_string())
}
