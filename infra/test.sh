#!/usr/bin/env bash
# Every test: formatting, lints, and the whole workspace's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo is required" >&2; exit 1; }
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace --quiet
