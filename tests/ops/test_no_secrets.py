"""No secrets in the repository: every tracked file (``git ls-files``) is scanned for private keys,
well-known token formats, credentials inside URLs and filled-in secret settings; files that hold
secrets by their nature (.env, key files, the quick start's generated keys) must not be tracked.

A small, fixed set of patterns rather than an entropy scanner: this repository is full of SHA-256
digests, seals and random test data that entropy heuristics flag, and the patterns below are the
secrets this project could actually leak (SECURITY.md, "No secrets in the repository")."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"),
    "Stripe live key": re.compile(r"\b[rs]k_live_[0-9A-Za-z]{20,}"),
    "PyPI / npm token": re.compile(r"\b(?:pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{20,}|npm_[A-Za-z0-9]{36})\b"),
    # scheme://user:password@host — the password part is checked against the placeholders below.
    "password in a URL": re.compile(r"\b[a-z][a-z0-9+.\-]*://[^/\s:@'\"]+:(?P<password>[^/\s@'\"]+)@[\w.\-\[\]]+"),
    # A secret setting given a literal value: quoted (Python, YAML), or NAME=value in an env file.
    "secret setting": re.compile(
        r"""(?:^[ \t]*(?:export[ \t]+)?|[ \t"'])(?P<name>SECRET_KEY|SIGNATURE_SEAL_KEY|POSTGRES_PASSWORD|HEALTH_TOKEN|"""
        r"""[A-Z_]*API_KEY|[A-Z_]*_SECRET)(?:["']?[ \t]*[:=][ \t]*["'](?P<password>[^"'\n]{8,})["']"""
        r"""|=(?P<raw>[^\s"'#(),]{8,})(?=\s|$))""",
        re.MULTILINE,
    ),
}

# Values that are placeholders, not secrets: documentation examples and variable references.
PLACEHOLDERS = re.compile(
    # ${VAR…} or $(command …) anywhere (the value is made when the line runs), or a bare $VAR.
    r"^(?:.*\$\{[A-Za-z_][A-Za-z0-9_]*[:}?\-].*|.*\$\([a-z][a-z0-9_\-]* .*|\$[A-Za-z_][A-Za-z0-9_]*|PASSWORD|password|pass|secret|changeme|xxx+|\*+|<[^>]+>|"
    r"\{[^}]*\}|%\([a-z_]+\)s|.*not-a-real.*|.*-only-.*)$"
)

# Tracked files must never include these (names or suffixes).
FORBIDDEN_NAMES = re.compile(r"(?:^|/)(?:\.env|id_rsa|id_ed25519|secret_key|seal_key)$|\.(?:pem|key|p12|pfx|keystore)$")

# Files whose secret-looking strings are test data made up for the test (reviewed; keep this short).
ALLOWED_FILES = {"tests/ops/test_no_secrets.py"}


def tracked_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError) as exc:  # pragma: no cover - only outside a checkout
        pytest.skip(f"not a git checkout, nothing tracked to scan ({exc})")
    return [name for name in out.decode("utf-8").split("\0") if name]


def findings_in(text: str) -> list[tuple[str, str]]:
    found = []
    for label, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            groups = match.groupdict()
            value = groups.get("password") or groups.get("raw")
            if value is not None and PLACEHOLDERS.match(value):
                continue
            found.append((label, match.group(0)[:80]))
    return found


def test_the_patterns_find_each_kind_of_secret_and_pass_placeholders():
    # Built at run time, so this file holds no secret-shaped string itself.
    key_header = "-----BEGIN " + "RSA PRIVATE KEY-----"
    planted = {
        "private key": key_header,
        "AWS access key id": "AKIA" + "Q" * 16,
        "GitHub token": "ghp_" + "a1B2" * 9,
        "password in a URL": "postgres://servicedesk:" + "Tr0ub4dor3" + "@db.internal:5432/servicedesk",
        "secret setting": "SECRET_KEY=" + "k" * 50,
    }
    for label, sample in planted.items():
        assert label in {f[0] for f in findings_in(sample)}, label
    for harmless in (
        "postgres://servicedesk:${POSTGRES_PASSWORD:?set it}@postgres:5432/servicedesk",
        "smtp+tls://user:password@smtp.example.com:587",
        "SECRET_KEY=",
        "SECRET_KEY: ${SECRET_KEY:?set SECRET_KEY in .env}",
        "DEBUG=0 SECRET_KEY=collectstatic-only-not-a-real-key python manage.py collectstatic",
        'export SECRET_KEY="load-run-$(head -c 32 /dev/urandom | base64)"',  # made at run time
    ):
        assert findings_in(harmless) == [], harmless


def test_no_tracked_file_holds_a_secret():
    problems = []
    for name in tracked_files():
        if FORBIDDEN_NAMES.search(name) and not name.endswith(".example"):
            problems.append(f"{name}: a file of this kind must not be tracked")
        if name in ALLOWED_FILES:
            continue
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary (images, .mo catalogues)
        for label, excerpt in findings_in(data.decode("utf-8", errors="replace")):
            problems.append(f"{name}: {label}: {excerpt}")
    assert problems == [], "\n".join(problems)
