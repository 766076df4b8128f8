"""The benchmark harness (``manage.py bench``) and the calendar's figures."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from servicedesk.core import bench


def run(*args) -> str:
    out = io.StringIO()
    call_command("bench", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_the_calendar_figures_run_and_print_a_table():
    text = run("--only", "calendar", "--repeat", "1", "--warmup", "0")
    assert "calendar.add_working_time" in text and "calendar.working_time_between" in text
    assert "ours÷floor time" in text
    assert "postgresql" in text or "sqlite" in text


@pytest.mark.django_db
def test_json_output_has_the_machine_facts_and_a_ratio():
    payload = json.loads(run("--only", "calendar.add_working_time", "--repeat", "1", "--warmup", "0", "--json"))
    assert payload["machine"]["python"].startswith("CPython") or payload["machine"]["python"]
    [result] = payload["results"]
    assert result["ours"] > 0 and result["floor"] > result["ours"]
    assert result["ratio_ours_time_over_floor_time"] > 1


@pytest.mark.django_db
def test_an_unknown_figure_is_an_error():
    with pytest.raises(CommandError, match="No figure matches"):
        run("--only", "nonexistent")


def test_selection_by_name_app_or_glob():
    bench.autodiscover()
    names = lambda patterns: [f.name for f in bench.select(patterns)]  # noqa: E731
    assert names(["calendar"]) == ["calendar.add_working_time", "calendar.working_time_between"]
    assert names(["calendar.add_working_time"]) == ["calendar.add_working_time"]
    assert names(["*.working_time_between"]) == ["calendar.working_time_between"]
    assert names(["cal"]) == []


@pytest.mark.django_db
def test_a_figure_runs_in_a_rolled_back_transaction():
    from servicedesk.calendar.models import ManualScheduleYear

    def seeding(*, scale):
        ManualScheduleYear.objects.create(year=2099)
        return bench.Workload(ours=lambda: None, floor=lambda: None, ops=scale)

    fig = bench.Figure(name="test.seeding", func=seeding, unit="ms", description="", atomic=True)
    result = bench.run_figure(fig, scale=3, repeat=2, warmup=0)
    assert result.ops == 3 and result.runs == 2
    assert not ManualScheduleYear.objects.filter(year=2099).exists()
