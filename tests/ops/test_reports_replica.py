"""REPORTS_DATABASE_URL: the report pages read from the replica alias, writes and migrations never
touch it, and without the variable nothing changes (OPERATIONS.md, "Scale-out")."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from servicedesk.core.reports_db import ALIAS, ReportsReplicaRouter, replica_configured, reports_database

ROOT = Path(__file__).resolve().parents[2]


def test_the_router_sends_only_reads_inside_reports_database_and_never_migrates_the_replica(monkeypatch):
    router = ReportsReplicaRouter()
    monkeypatch.setattr("servicedesk.core.reports_db.replica_configured", lambda: True)
    assert router.db_for_read(None) is None
    with reports_database():
        assert router.db_for_read(None) == ALIAS
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) is None
    assert router.allow_migrate(ALIAS, "tickets") is False
    assert router.allow_migrate("default", "tickets") is True


def test_without_the_variable_there_is_no_replica_and_reads_stay_on_default():
    assert not replica_configured()  # the suite runs without REPORTS_DATABASE_URL
    with reports_database():
        assert ReportsReplicaRouter().db_for_read(None) is None


SCRIPT = r"""
import json, os
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.get(username=os.environ["REPLICA_TEST_USER"]))
out = {}
for url in ("/reports/statistics/", "/reports/dashboard/", "/reports/statistics/records/tickets/"):
    with CaptureQueriesContext(connections["reports"]) as replica, CaptureQueriesContext(connections["default"]) as primary:
        status = client.get(url).status_code
    out[url] = {"status": status, "replica": [q["sql"] for q in replica.captured_queries],
                "primary": [q["sql"] for q in primary.captured_queries]}
print("RESULT" + json.dumps(out))
"""


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_report_pages_read_from_the_replica_alias(manager):
    if connection.vendor != "postgresql":
        pytest.skip("the replica alias is a PostgreSQL URL")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "REPORTS_DATABASE_URL": url, "SERVICEDESK_TESTING": "1",
           "REPLICA_TEST_USER": manager.user.username, "DJANGO_SETTINGS_MODULE": "servicedesk.settings"}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", SCRIPT], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    pages = json.loads(result.stdout.split("RESULT", 1)[1])
    for url, page in pages.items():
        assert page["status"] == 200, url
        assert page["replica"], f"{url}: no query went to the replica"
        # On the primary only what runs around the view (the session, the signed-in user), the
        # business calendar, which its loader reads from the primary on purpose (a cached table), and
        # the writes of a closed month's trend figures stored on first use (reports.MonthlyFigure),
        # with their transaction's BEGIN/COMMIT/SAVEPOINT statements.
        for sql in page["primary"]:
            if re.fullmatch(r'\s*(BEGIN|COMMIT|ROLLBACK|(RELEASE |ROLLBACK TO )?SAVEPOINT "?\w+"?)\s*;?\s*', sql, re.I):
                continue
            tables = {t for pattern in (r'FROM "(\w+)"', r'JOIN "(\w+)"', r'INTO "(\w+)"', r'UPDATE "(\w+)"')
                      for t in re.findall(pattern, sql)}
            assert tables and all(t.startswith(("django_session", "auth_", "org_staff", "business_calendar_",
                                                "reports_monthlyfigure")) for t in tables), (url, sql)
