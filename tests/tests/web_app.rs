//! The web app in headless Chromium (playwright-core from Node): two people sign up, one
//! makes characters and a book, watches it, reads, edits, redraws, restores and shares it;
//! the other reads it; a stranger gets 404. axe-core runs on every screen; screenshots at
//! 1280 px and 375 px land in this test's output directory (`docs/screens/` keeps a set).

mod common;
use common::*;
use std::path::PathBuf;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_use_the_app_in_a_browser_and_every_screen_passes_axe() {
    let dir = tempfile::tempdir().unwrap();
    let (_stack, base) = start(dir.path(), true).await;
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("web-app");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("browser/app.cjs");
    let shots = out.clone();
    let run = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(&script)
            .arg(&base)
            .arg(&out)
            .output()
    });
    let output = run
        .await
        .unwrap()
        .expect("node runs (scripts/test.sh installs playwright-core, axe-core and chromium)");
    assert!(
        output.status.success(),
        "the browser walk failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for screen in [
        "signin",
        "library",
        "characters",
        "character-form",
        "new-book",
        "reader",
        "budget",
        "account",
    ] {
        for width in [1280, 375] {
            let shot = shots.join(format!("{screen}-{width}.png"));
            assert!(
                std::fs::metadata(&shot).is_ok_and(|m| m.len() > 5_000),
                "{shot:?} was not written"
            );
        }
    }
}

/// The app as configured on AWS: the hosted sign-in with PKCE, then the ID token as the
/// API's bearer (the hosted pages are stood in for; the API is this stack).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_aws_the_app_signs_in_through_the_hosted_pages_with_pkce() {
    let dir = tempfile::tempdir().unwrap();
    let (stack, base) = start(dir.path(), false).await;
    let token = stack.token("reader-9").unwrap();
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("web-app");
    std::fs::create_dir_all(&out).unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("browser/hosted_signin.cjs");
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(&script)
            .arg(&base)
            .arg(&token)
            .arg(&out)
            .output()
    })
    .await
    .unwrap()
    .expect("node runs");
    assert!(
        output.status.success(),
        "the hosted sign-in failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
