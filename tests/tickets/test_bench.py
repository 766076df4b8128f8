"""The tickets bench figures run (tiny scale) and measure what they claim."""

import pytest

from servicedesk.core import bench

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["tickets.register", "tickets.sweep_find_due", "tickets.sweep_fire", "tickets.list_api", "tickets.search_api", "tickets.admin_changelist"])
def test_tickets_figures_run(name):
    bench.autodiscover()
    fig = next(f for f in bench.all_figures() if f.name == name)
    result = bench.run_figure(fig, scale=2_000, repeat=1, warmup=0)
    assert result.ours > 0 and result.floor > 0
    if name == "tickets.sweep_find_due":
        assert "Index Scan using slaclock_due_idx" in result.notes
    if name == "tickets.search_api":
        assert "1 found" in result.notes
