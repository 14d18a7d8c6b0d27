#!/usr/bin/env bash
# Every test: formatting, lints, the template's lint, and the whole workspace's tests —
# the AWS ones against a moto_server this script starts on loopback (and stops).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo is required" >&2; exit 1; }
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
# The demo's build: the local stack without the AWS adapters.
cargo clippy -p storyloom-infra --all-targets --quiet -- -D warnings
command -v cfn-lint >/dev/null || python3 -m pip install --quiet cfn-lint
cfn-lint template.yaml
# shellcheck source=infra/moto.sh
source infra/moto.sh
cargo test --workspace --quiet
