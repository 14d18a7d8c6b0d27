//! `storyloom doctor`: checks the machine and the configuration before anything fails, one
//! line per check with a fix hint, and a non-zero exit when any fails.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use storyloom_http::auth::SIGNING_KEY_SECRET;

/// What to check.
#[derive(Debug, Clone)]
pub struct DoctorOptions {
    /// The local stack's data directory.
    pub data: PathBuf,
    /// The fonts the build embeds (a checkout's `assets/fonts`); skipped when absent and
    /// not asked for explicitly.
    pub fonts: Option<PathBuf>,
    /// The address `serve` would listen on.
    pub addr: SocketAddr,
    /// An AWS API endpoint whose resources to check, and their name prefix.
    pub aws: Option<(String, String)>,
}

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    /// What was found.
    pub detail: String,
    /// What to do about it (failures only).
    pub fix: Option<String>,
}

impl Check {
    fn pass(name: &str, detail: impl Into<String>) -> Self {
        Check {
            name: name.to_owned(),
            ok: true,
            detail: detail.into(),
            fix: None,
        }
    }

    fn fail(name: &str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Check {
            name: name.to_owned(),
            ok: false,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.ok { "ok  " } else { "FAIL" };
        write!(f, "{mark} {}: {}", self.name, self.detail)?;
        if let Some(fix) = &self.fix {
            write!(f, " — fix: {fix}")?;
        }
        Ok(())
    }
}

/// Runs every check.
pub async fn run(options: &DoctorOptions) -> Vec<Check> {
    let mut checks = vec![
        configuration(),
        data_directory(&options.data),
        signing_key(&options.data),
        port(options.addr),
    ];
    checks.extend(fonts(options.fonts.as_deref()));
    if let Some((endpoint, prefix)) = &options.aws {
        checks.extend(aws(endpoint, prefix).await);
    }
    checks
}

fn configuration() -> Check {
    use crate::stack::LocalConfig;
    match crate::stack::local_config(None) {
        Ok(LocalConfig {
            limits,
            prices,
            models,
        }) => Check::pass(
            "configuration",
            format!(
                "limits {} requests/min (burst {}), {} books/day, {} at once; prices for {} models; \
                 text model {}, image model {}",
                limits.requests_per_minute,
                limits.burst,
                limits.books_per_day,
                limits.concurrent_books,
                prices.len(),
                models.describe_text(),
                models.describe_image(),
            ),
        ),
        Err(e) => Check::fail(
            "configuration",
            e.to_string().trim_end().replace('\n', "; "),
            "set each variable named above (or fix the STORYLOOM_CONFIG file)",
        ),
    }
}

fn data_directory(data: &Path) -> Check {
    let name = "data directory";
    let probe = data.join(".doctor-probe");
    let result = std::fs::create_dir_all(data)
        .and_then(|()| std::fs::write(&probe, b"probe"))
        .and_then(|()| std::fs::remove_file(&probe));
    match result {
        Ok(()) => Check::pass(name, format!("{} is writable", data.display())),
        Err(e) => Check::fail(
            name,
            format!("{} is not writable ({e})", data.display()),
            "choose another --data directory or fix its permissions",
        ),
    }
}

fn signing_key(data: &Path) -> Check {
    let name = "token signing key";
    let path = data.join("secrets.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Check::pass(name, "none yet; the stack makes one on first start");
        }
        Err(e) => {
            return Check::fail(
                name,
                format!("{} cannot be read ({e})", path.display()),
                "fix the file's permissions",
            );
        }
    };
    let secrets: Result<std::collections::HashMap<String, String>, _> = serde_json::from_str(&text);
    let Ok(secrets) = secrets else {
        return Check::fail(
            name,
            format!("{} is not a JSON object of strings", path.display()),
            "repair it, or move it away to have a new key made (existing tokens stop working)",
        );
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(&path)
            && meta.permissions().mode() & 0o077 != 0
        {
            return Check::fail(
                name,
                format!("{} is readable by other users", path.display()),
                format!("chmod 600 {}", path.display()),
            );
        }
    }
    match secrets.get(SIGNING_KEY_SECRET) {
        None => Check::pass(name, "none yet; the stack makes one on first start"),
        Some(key) if storyloom_http::TokenAuthority::new(key).is_ok() => {
            Check::pass(name, format!("present in {}", path.display()))
        }
        Some(_) => Check::fail(
            name,
            "the signing key is too short to be safe",
            format!(
                "remove \"{SIGNING_KEY_SECRET}\" from {} to have a new one made",
                path.display()
            ),
        ),
    }
}

fn port(addr: SocketAddr) -> Check {
    match std::net::TcpListener::bind(addr) {
        Ok(_) => Check::pass("port", format!("{addr} is free")),
        Err(e) => Check::fail(
            "port",
            format!("{addr} cannot be bound ({e})"),
            "stop what uses it, or serve with --addr on another port",
        ),
    }
}

/// The fonts the PDF is typeset with: the embedded copies must be usable, and the files the
/// next build embeds must be there and the same.
fn fonts(dir: Option<&Path>) -> Vec<Check> {
    use sha2::{Digest, Sha256};
    storyloom_publishing::fonts::embedded()
        .into_iter()
        .map(|(file, embedded)| {
            let name = format!("font {file}");
            if !storyloom_publishing::fonts::usable(embedded) {
                return Check::fail(
                    &name,
                    "the embedded copy does not parse",
                    "rebuild from a clean checkout",
                );
            }
            let Some(dir) = dir else {
                return Check::pass(&name, "embedded copy is usable");
            };
            let path = dir.join(file);
            match std::fs::read(&path) {
                Ok(bytes) if Sha256::digest(&bytes) == Sha256::digest(embedded) => Check::pass(
                    &name,
                    format!("{} matches the embedded copy", path.display()),
                ),
                Ok(_) => Check::fail(
                    &name,
                    format!("{} differs from the embedded copy", path.display()),
                    format!("restore it: git checkout -- {}", path.display()),
                ),
                Err(e) => Check::fail(
                    &name,
                    format!("{} is missing ({e})", path.display()),
                    format!("restore it: git checkout -- {}", path.display()),
                ),
            }
        })
        .collect()
}

#[cfg(feature = "aws")]
async fn aws(endpoint: &str, prefix: &str) -> Vec<Check> {
    let clients = storyloom_aws::AwsClients::for_local_endpoint(endpoint).await;
    storyloom_aws::check_resources(&clients, prefix, &[SIGNING_KEY_SECRET])
        .await
        .into_iter()
        .map(|(name, found)| match found {
            Ok(detail) => Check::pass(&name, detail),
            Err(detail) if name.starts_with("secret") => Check::fail(
                &name,
                detail,
                format!("run `storyloom token --aws {endpoint} --prefix {prefix} --user you` once"),
            ),
            Err(detail) => Check::fail(
                &name,
                detail,
                format!("run `storyloom provision --aws {endpoint} --prefix {prefix}`"),
            ),
        })
        .collect()
}

#[cfg(not(feature = "aws"))]
async fn aws(_endpoint: &str, _prefix: &str) -> Vec<Check> {
    vec![Check::fail(
        "aws",
        crate::WITHOUT_AWS,
        "rebuild with the AWS adapters",
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(data: &Path, fonts: &Path) -> DoctorOptions {
        DoctorOptions {
            data: data.to_owned(),
            fonts: Some(fonts.to_owned()),
            addr: "127.0.0.1:0".parse().expect("address"),
            aws: None,
        }
    }

    #[tokio::test]
    async fn a_removed_font_fails_and_restoring_it_passes() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let fonts = dir.path().join("fonts");
        std::fs::create_dir_all(&fonts).expect("mkdir");
        for (file, bytes) in storyloom_publishing::fonts::embedded() {
            std::fs::write(fonts.join(file), bytes).expect("write");
        }
        let data = dir.path().join("data");
        let all_ok = |checks: &[Check]| checks.iter().all(|c| c.ok);
        let checks = run(&options(&data, &fonts)).await;
        assert!(all_ok(&checks), "{checks:#?}");

        let removed = fonts.join("DejaVuSans-Bold.ttf");
        let saved = std::fs::read(&removed).expect("read");
        std::fs::remove_file(&removed).expect("remove");
        let checks = run(&options(&data, &fonts)).await;
        let failed: Vec<_> = checks.iter().filter(|c| !c.ok).collect();
        assert_eq!(failed.len(), 1, "{checks:#?}");
        assert_eq!(failed[0].name, "font DejaVuSans-Bold.ttf");
        assert!(failed[0].to_string().contains("fix: restore it"));

        std::fs::write(&removed, &saved[..1000]).expect("write");
        assert!(
            !all_ok(&run(&options(&data, &fonts)).await),
            "a damaged font passed"
        );
        std::fs::write(&removed, &saved).expect("write");
        assert!(all_ok(&run(&options(&data, &fonts)).await));
    }

    #[tokio::test]
    async fn a_busy_port_and_an_unwritable_directory_fail_with_a_fix() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"not a directory").expect("write");
        let checks = run(&DoctorOptions {
            data: file.join("data"),
            fonts: None,
            addr: busy.local_addr().expect("address"),
            aws: None,
        })
        .await;
        let failed: Vec<_> = checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            failed,
            ["data directory", "token signing key", "port"],
            "{checks:#?}"
        );
        assert!(checks.iter().filter(|c| !c.ok).all(|c| c.fix.is_some()));
    }
}
