"""Dependency audit (pip-audit) for CI: every installed distribution of .venv (runtime, dev and
transitive, pinned as ``pip freeze`` sees them) against the PyPI advisory database.

    .venv/bin/python scripts/audit_deps.py [--service pypi|osv]

Exit codes: 1 when a known vulnerability is found (its id, package, version and fixed versions are
printed) that is not in IGNORED below; 0 otherwise. When the advisory service cannot answer (no
network, or a mirror without PyPI's JSON API: every package comes back "not found on PyPI"), the
audit did not happen: that is printed loudly as "AUDIT NOT PERFORMED" and does NOT fail CI (the
CI machine reaches only package mirrors). SECURITY.md, "Dependency audit", documents both.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Known vulnerabilities accepted on purpose: {"VULN-ID": "why, and until when"}. Each one is also
# listed in SECURITY.md. Empty: none is accepted.
IGNORED: dict[str, str] = {}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--service", default="pypi", choices=["pypi", "osv"])
    parser.add_argument("--timeout", type=int, default=30, help="seconds per request to the service")
    args = parser.parse_args()
    venv_bin = Path(sys.executable).parent
    pip_audit = venv_bin / "pip-audit"
    if not pip_audit.exists():
        print("audit_deps: pip-audit is not installed in this environment (requirements-dev.txt pins it)", file=sys.stderr)
        return 1
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--disable-pip-version-check"],
                            capture_output=True, text=True, check=True).stdout
    pins = [line for line in frozen.splitlines() if "==" in line and not line.startswith("#")]
    with tempfile.TemporaryDirectory() as tmp:
        req = Path(tmp) / "frozen.txt"
        req.write_text("\n".join(pins) + "\n")
        out = Path(tmp) / "audit.json"
        cmd = [str(pip_audit), "-r", str(req), "--no-deps", "--disable-pip", "--progress-spinner", "off",
               "-s", args.service, "--timeout", str(args.timeout), "-f", "json", "-o", str(out)]
        for vuln_id in IGNORED:
            cmd += ["--ignore-vuln", vuln_id]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if not out.exists() or not out.read_text().strip():
            reason = (run.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"AUDIT NOT PERFORMED: pip-audit could not reach the {args.service} advisory service ({reason}).")
            print("Not a failure of this build; run the audit where the service answers (SECURITY.md).")
            return 0
        report = json.loads(out.read_text())

    code, lines = verdict(report, args.service)
    print("\n".join(lines))
    return code


def verdict(report: dict, service: str = "pypi") -> tuple[int, list[str]]:
    """The exit code and the lines to print for pip-audit's JSON report."""
    lines = []
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    skipped = [d for d in deps if "skip_reason" in d]
    vulnerable = [(d, v) for d in audited for v in d.get("vulns", []) if v["id"] not in IGNORED]
    for dep, vuln in vulnerable:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
        lines.append(f"VULNERABLE: {dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fixes}) "
                     f"{vuln.get('description', '')[:200]}")
    if vulnerable:
        lines.append(f"{len(vulnerable)} known vulnerabilities in {len({d['name'] for d, _ in vulnerable})} packages: "
                     "upgrade them, or accept one in scripts/audit_deps.py IGNORED and SECURITY.md with the reason.")
        return 1, lines
    if deps and not audited:
        lines.append(f"AUDIT NOT PERFORMED: the {service} advisory service answered for none of the {len(deps)} "
                     f"packages (e.g. {skipped[0]['skip_reason']}). A package mirror without PyPI's JSON API answers so.")
        lines.append("Not a failure of this build; run the audit where the service answers (SECURITY.md).")
        return 0, lines
    lines.append(f"pip-audit ({service}): {len(audited)} packages audited, 0 known vulnerabilities"
                 + (f"; {len(IGNORED)} accepted by id" if IGNORED else "") + ".")
    lines += [f"  not audited: {dep['skip_reason']}" for dep in skipped]
    return 0, lines


if __name__ == "__main__":
    sys.exit(main())
