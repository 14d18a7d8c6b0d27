//! The web reader in headless Chromium (driven by playwright-core from Node): create a
//! book, watch it reach Ready, open page 3, edit it, redraw its picture, download the PDF.
//! The screenshot lands in this test's output directory.

mod common;
use common::*;
use std::path::PathBuf;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_makes_edits_and_downloads_a_book_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), true).await;
    let token = stack.token(OWNER).unwrap();
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("web-reader");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("browser/reader.cjs");
    let run = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(&script)
            .arg(&base)
            .arg(&token)
            .arg(&out)
            .output()
    });
    let output = run
        .await
        .unwrap()
        .expect("node runs (infra/test.sh installs playwright-core and chromium)");
    assert!(
        output.status.success(),
        "the browser run failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("web-reader/reader.png");
    assert!(
        std::fs::metadata(&shot).is_ok_and(|m| m.len() > 10_000),
        "{shot:?}"
    );
}
