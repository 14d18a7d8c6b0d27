#!/usr/bin/env bash
# Every test: formatting, lints, the template's lint, and the whole workspace's tests —
# the AWS ones against a moto_server this script starts on loopback (and stops).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo is required" >&2; exit 1; }
# pip puts console scripts (cfn-lint, check-jsonschema, st, moto_server) here; a fresh
# pyenv has no shims for newly installed ones until a rehash, so look here directly.
PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
export PATH
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
# The demo's build: the local stack without the AWS adapters.
cargo clippy -p storyloom-infra --all-targets --quiet -- -D warnings
command -v cfn-lint >/dev/null || python3 -m pip install --quiet cfn-lint
cfn-lint template.yaml
# The deploy workflow cannot run here; it is checked against GitHub's workflow schema.
command -v check-jsonschema >/dev/null || python3 -m pip install --quiet check-jsonschema
check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
# No credential is committed (and the check itself still catches each kind).
python3 infra/check_secrets.py --self-test
python3 infra/check_secrets.py
# Supply chain: licences, banned crates, sources. (Advisories need GitHub; see deny.toml.)
TOOLS="${STORYLOOM_TOOLS:-$HOME/.cache/storyloom-tools}"
[ -x "$TOOLS/bin/cargo-deny" ] || cargo install --quiet --locked cargo-deny --root "$TOOLS"
# cargo-deny reads metadata offline: fetch every platform's crates first.
cargo fetch --quiet
# (Duplicate versions are listed by `cargo deny check bans`; they are not failures.)
"$TOOLS/bin/cargo-deny" --offline check --hide-inclusion-graph -A duplicate licenses bans sources
# Debian packages the tests run: epubcheck (the e-book test) and Chromium with its driver
# (the web reader's browser test).
apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" >/dev/null
}
[ -f /usr/share/java/epubcheck.jar ] || apt_install epubcheck
command -v chromium >/dev/null || apt_install chromium chromium-driver
# playwright-core drives that Chromium (no browser download), kept out of the repository.
NODE_TOOLS="${STORYLOOM_NODE_TOOLS:-$HOME/.cache/storyloom-node}"
[ -d "$NODE_TOOLS/node_modules/playwright-core" ] ||
  npm install --silent --no-audit --no-fund --prefix "$NODE_TOOLS" playwright-core@1
export NODE_PATH="$NODE_TOOLS/node_modules"
# Schemathesis, for the API fuzzing test.
command -v st >/dev/null || python3 -m pip install --quiet schemathesis
# shellcheck source=infra/moto.sh
source infra/moto.sh
# A real function binary, for the test that runs it on a loopback Lambda Runtime API.
cargo build --workspace --quiet --bin sweep-stalled
cargo test --workspace --quiet
