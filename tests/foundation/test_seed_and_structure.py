import ast
import pathlib
import subprocess
import sys

import pytest
from django.core.management import call_command

from servicedesk.org.models import Role, Staff
from tickets.models import Contract, Customer, Unit

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_seed_demo_builds_a_believable_department_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    counts = (Staff.objects.count(), Customer.objects.count(), Unit.objects.count(), Contract.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Staff.objects.count(), Customer.objects.count(), Unit.objects.count(), Contract.objects.count()) == counts
    assert Staff.objects.filter(user__groups__name=Role.TECHNICIAN).count() == 8
    for role in Role:
        assert Staff.objects.filter(user__groups__name=role).exists(), role
    assert set(Customer.objects.values_list("kind", flat=True)) == set(Customer.Kind.values)
    assert set(Customer.objects.values_list("zone", flat=True)) == {"urban", "suburban", "remote"}
    assert Customer.objects.filter(is_key=True).exists()
    assert Staff.objects.values("station").distinct().count() >= 2


# Apps may only import the ones below them (CONVENTIONS §1).
LAYERS = ["servicedesk", "spares", "tickets", "visits", "appraisal", "reports"]


def _imports(path: pathlib.Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


# Project wiring (settings, URL roots, the API router, the Celery app) names every app by design.
WIRING = {"servicedesk/settings.py", "servicedesk/urls.py", "servicedesk/api_urls.py", "servicedesk/celery.py", "servicedesk/wsgi.py"}


def test_apps_only_import_apps_below_them():
    violations = []
    for layer_index, app in enumerate(LAYERS):
        for path in (ROOT / app).rglob("*.py"):
            if path.relative_to(ROOT).as_posix() in WIRING:
                continue
            for module in _imports(path):
                top = module.split(".")[0]
                if top in LAYERS and LAYERS.index(top) > layer_index:
                    violations.append(f"{path.relative_to(ROOT)} imports {module}")
    assert violations == []


def test_migrations_are_complete():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "SERVICEDESK_TESTING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _catalogues():
    return sorted(p for p in ROOT.rglob("locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_every_app_with_user_visible_strings_has_a_zh_hans_catalogue():
    apps_with_catalogue = {p.parents[3].relative_to(ROOT).as_posix() for p in _catalogues()}
    for app in ["servicedesk/org", "servicedesk/calendar", "servicedesk/notifications", "servicedesk/audit", "tickets", "."]:
        assert app in apps_with_catalogue, app


@pytest.mark.parametrize("po_path", _catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_zh_hans_catalogue_is_complete_and_compiled(po_path):
    import polib

    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == [], (untranslated, fuzzy)
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert key in compiled, f"{entry.msgid!r} is not in the compiled .mo: run compilemessages"
        assert compiled[key] == (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))), entry.msgid
