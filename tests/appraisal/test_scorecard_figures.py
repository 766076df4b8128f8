"""Each scorecard figure against hand-computed numbers, and each drill-down list against its figure."""

from decimal import Decimal

import pytest

from appraisal import services
from appraisal.scorecard_models import Scorecard
from appraisal.scorecard_selectors import DRILLS, drill_rows, month_figures

from .scorecard_fixtures import EXPECTED_A, MONTH, NOW, november, run_order, service_item  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _as_text(value):
    return str(value) if isinstance(value, Decimal) else value


def test_every_figure_matches_the_hand_computed_month(november, technician, other_technician, manager):
    figures = month_figures(MONTH, [technician.pk, other_technician.pk], on_site_limit_minutes=120)
    assert {k: _as_text(v) for k, v in figures[technician.pk].items()} == EXPECTED_A
    b = figures[other_technician.pk]
    assert (b["orders_closed"], b["arrivals"], b["arrivals_on_time"], b["callbacks_satisfied"], b["complaints"]) == (1, 1, 1, 1, 0)
    assert b["timeliness_rate"] == Decimal("100.00") and b["on_site_avg_minutes"] == Decimal("30.0")

    # The snapshot stores the same figures.
    month = services.draft_month(month=MONTH, actor=manager.user, now=NOW)
    card = Scorecard.objects.get(month=month, technician=technician)
    assert {k: _as_text(getattr(card, k)) for k in EXPECTED_A} == EXPECTED_A
    assert card.config["problems_target"] == 45 and card.role == "technician"


def test_each_drill_down_lists_exactly_the_counted_rows(november, technician):
    figures = month_figures(MONTH, [technician.pk], on_site_limit_minutes=120)[technician.pk]

    def rows(key):
        return list(drill_rows(key, technician_id=technician.pk, month=MONTH))

    assert [o.pk for o in rows("orders_closed")] == [november["o1"].pk, november["o2"].pk]
    assert len(rows("orders_closed")) == figures["orders_closed"]
    visits = rows("visits")
    assert len(visits) == figures["visits_done"] and sum(v.problems_resolved for v in visits) == figures["visit_problems"]
    arrivals = rows("arrivals")
    assert len(arrivals) == figures["arrivals"] and sum(a.on_time for a in arrivals) == figures["arrivals_on_time"]
    assert {a.pk: a.on_time for a in arrivals} == {november["o1"].pk: 1, november["o2"].pk: 0, november["o3"].pk: 1}
    callbacks = rows("callbacks")
    assert len(callbacks) == figures["callbacks"] and sum(c.satisfied for c in callbacks) == figures["callbacks_satisfied"]
    complaints = rows("complaints")
    assert {t.pk for t in complaints} == {november["follow_up"].pk, november["complaints"][0].pk}
    assert [r.pk for r in rows("reworks")] == [november["r1"].pk]
    on_site = rows("on_site")
    assert len(on_site) == figures["on_site_visits"] and sum(o.over for o in on_site) == figures["on_site_over_limit"]
    assert sum(d.points for d in rows("backup")) == figures["backup_points"]
    feedback = rows("feedback")
    assert len(feedback) == figures["feedback_scored"] and sum(f.score for f in feedback) / len(feedback) == 7
    assert set(DRILLS) == {"orders_closed", "visits", "arrivals", "callbacks", "complaints", "reworks", "on_site", "backup",
                           "feedback"}


def test_the_month_is_computed_with_a_constant_number_of_queries(november, technician, other_technician,
                                                                  django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        month_figures(MONTH, [technician.pk, other_technician.pk], on_site_limit_minutes=120)
