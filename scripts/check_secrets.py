#!/usr/bin/env python3
"""Fails when a credential is committed: scans every file git tracks for the shapes of
cloud keys, tokens and private keys, and refuses tracked secrets files. Run with
--self-test to prove each pattern still catches what it is meant to (the samples are
assembled at run time, so this file does not trip its own check)."""

import re
import subprocess
import sys

PATTERNS = {
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(
        r"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+=]{40}\b", re.I
    ),
    "private key": re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "model provider API key": re.compile(r"\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{32,}"),
    "signed JWT": re.compile(
        r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}"
    ),
}
# Files that hold secrets at run time and must never be tracked.
SECRET_FILES = re.compile(r"(^|/)(secrets\.json|\.env|.*\.pem|id_rsa|id_ed25519)$")


def findings(text):
    return [name for name, pattern in PATTERNS.items() if pattern.search(text)]


def self_test():
    samples = {
        "AWS access key id": "AKIA" + "Q" * 16,
        "AWS secret access key": "aws_secret_access_key = " + "a1B2" * 10,
        "private key": "-----BEGIN " + "RSA PRIVATE KEY-----",
        "GitHub token": "ghp_" + "x" * 36,
        "Slack token": "xoxb-" + "1234567890-abc",
        "model provider API key": "sk-" + "A" * 40,
        "signed JWT": "eyJ" + "h" * 12 + ".eyJ" + "p" * 12 + "." + "s" * 20,
    }
    for name, sample in samples.items():
        found = findings("config: " + sample + "\n")
        assert name in found, f"{name} not caught in {sample!r}"
    assert findings("AKIA is a prefix; eyJ alone is not a token") == []
    assert SECRET_FILES.search("deploy/secrets.json")
    assert not SECRET_FILES.search("shared/embedded/src/secrets.rs")
    print(f"check_secrets self-test: {len(samples)} patterns catch their samples")


def main():
    if "--self-test" in sys.argv:
        self_test()
        return 0
    files = subprocess.run(
        ["git", "ls-files", "-z"], capture_output=True, check=True
    ).stdout.decode().split("\0")
    problems = []
    for path in filter(None, files):
        if SECRET_FILES.search(path):
            problems.append(f"{path}: a secrets file is tracked")
            continue
        try:
            with open(path, "rb") as f:
                data = f.read()
        except (FileNotFoundError, IsADirectoryError):
            continue
        if b"\0" in data[:8192]:
            continue  # binary (fonts, images)
        for name in findings(data.decode("utf-8", "replace")):
            problems.append(f"{path}: looks like a committed {name}")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"check_secrets: {len(files) - 1} tracked files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
