"""The reports bench figure runs (tiny scale) and writes the same number of lines on both sides."""

import pytest

from servicedesk.core import bench

pytestmark = pytest.mark.django_db


def test_billing_sheet_figure_runs():
    pytest.importorskip("xlsxwriter")
    bench.autodiscover()
    fig = next(f for f in bench.all_figures() if f.name == "reports.billing_sheet")
    result = bench.run_figure(fig, scale=500, repeat=1, warmup=0)
    assert result.ours > 0 and result.floor > 0 and result.ops == 500
    assert "peak memory" in result.notes


def test_monthly_statistics_figure_runs_with_a_constant_query_count():
    bench.autodiscover()
    fig = next(f for f in bench.all_figures() if f.name == "reports.monthly_statistics")
    result = bench.run_figure(fig, scale=2000, repeat=1, warmup=0)
    assert result.ours > 0 and result.floor > 0
    assert "queries (same for another month)" in result.notes and "2,000 work orders" in result.notes
