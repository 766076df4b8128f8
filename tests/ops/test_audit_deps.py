"""The CI dependency audit's verdict (scripts/audit_deps.py) on pip-audit's JSON report: a known
vulnerability fails the build; a service that answered for no package is reported as "not
performed" without failing it. The run against the real service is the CI step itself."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
audit_deps = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_deps)


def test_a_known_vulnerability_fails_and_names_the_package_and_the_fix():
    report = {"dependencies": [
        {"name": "django", "version": "5.2.0", "vulns": [
            {"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"], "description": "SQL injection"}]},
        {"name": "redis", "version": "8.1.0", "vulns": []},
    ]}
    code, lines = audit_deps.verdict(report)
    assert code == 1
    assert "VULNERABLE: django 5.2.0: PYSEC-2025-1 (fixed in: 5.2.1)" in lines[0]


def test_an_accepted_vulnerability_passes(monkeypatch):
    monkeypatch.setattr(audit_deps, "IGNORED", {"PYSEC-2025-1": "no fix yet; not reachable from our code"})
    report = {"dependencies": [{"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1", "fix_versions": []}]}]}
    code, lines = audit_deps.verdict(report)
    assert code == 0 and "1 accepted by id" in lines[-1]


def test_a_service_that_answered_for_nothing_is_not_performed_and_not_a_failure():
    report = {"dependencies": [
        {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)"},
        {"name": "redis", "skip_reason": "Dependency not found on PyPI and could not be audited: redis (8.1.0)"},
    ]}
    code, lines = audit_deps.verdict(report)
    assert code == 0
    assert lines[0].startswith("AUDIT NOT PERFORMED")


def test_a_clean_audit_passes_and_lists_what_it_could_not_audit():
    report = {"dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": []},
        {"name": "private-pkg", "skip_reason": "Dependency not found on PyPI and could not be audited: private-pkg (1.0)"},
    ]}
    code, lines = audit_deps.verdict(report)
    assert code == 0
    assert lines[0].startswith("pip-audit (pypi): 1 packages audited, 0 known vulnerabilities")
    assert "private-pkg" in lines[1]
