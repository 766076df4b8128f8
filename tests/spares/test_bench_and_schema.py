"""The spares benchmark figures run (small scale) and the API schema documents the spares endpoints."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command

from spares import selectors
from spares.models import Part, StockMove


def _bench(*args) -> dict:
    out = io.StringIO()
    call_command("bench", "--only", "spares", "--repeat", "1", "--warmup", "0", "--json", *args,
                 stdout=out, stderr=io.StringIO())
    return {r["figure"]: r for r in json.loads(out.getvalue())["results"]}


@pytest.mark.django_db(transaction=True)
def test_the_spares_figures_run_and_leave_nothing_behind():
    results = _bench()
    page, hot = results["spares.on_hand_page"], results["spares.hot_issue"]
    assert page["ours"] > 0 and page["floor"] > 0
    queries = int(re.search(r"(\d+) queries per page", page["notes"]).group(1))
    assert queries <= 4
    assert hot["ours"] > 0 and hot["floor"] > 0
    assert "other 0" in hot["notes"] and "insufficient stock 8" in hot["notes"]
    # The page figure ran in a rolled-back transaction; the hot-issue figure cleaned up after itself.
    assert Part.objects.count() == 0 and StockMove.objects.count() == 0
    assert selectors.stock_drift() == []


def test_the_hot_issue_figure_is_skipped_on_sqlite(monkeypatch, capsys):
    from spares import bench

    monkeypatch.setattr(bench.connection, "vendor", "sqlite")
    workload = bench.hot_issue(scale=1)
    assert "skipped" in workload.notes and "PostgreSQL" in workload.notes
    assert "skipped" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_api_schema_documents_the_spares_endpoints(client, manager):
    client.force_login(manager.user)
    schema = client.get("/api/v1/schema/").content.decode()
    for path in ("/api/v1/spares/stock/", "/api/v1/spares/requisitions/{id}/issue/", "/api/v1/spares/stock-takes/{id}/approve/",
                 "/api/v1/spares/out-of-stock/{id}/reply/", "/api/v1/spares/moves/export/"):
        assert path in schema, path
    assert "Idempotency-Key" in schema
