"""Scoring (weights, grade, ranking), adjustments with a reason, and the month's draft → review →
publish → lock → reopen pipeline, refused by the service and by the database."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from appraisal import scoring, services
from appraisal.exceptions import NotAllowed
from appraisal.scorecard_models import Scorecard, ScorecardAdjustment, ScorecardConfig, ScorecardLog, ScorecardMonth
from servicedesk.core.exceptions import DomainError, InvalidTransition
from servicedesk.org.models import Role

from .scorecard_fixtures import MONTH, NOW, november, run_order, service_item  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_the_score_follows_the_formula_by_hand(november, technician, manager):
    month = services.draft_month(month=MONTH, actor=manager.user, now=NOW)
    card = Scorecard.objects.get(month=month, technician=technician)
    points = {c["key"]: Decimal(c["points"]) for c in card.components}
    # 25 × 7/45, 10 × 2/15, 20 × 66.67/90, 20 × 50/85, complaints 100 % ≥ 2 × 3 % → 0, 15 × 7/10
    assert points["problems"] == Decimal("3.89")
    assert points["visits"] == Decimal("1.33")
    assert points["timeliness"] == Decimal("14.82")
    assert points["satisfaction"] == Decimal("11.76")
    assert points["complaints"] == Decimal("0.00")
    assert points["feedback"] == Decimal("10.50")
    assert card.base_points == Decimal("42.30")
    # 1 rework × 2 + 1 visit over 2 h × 1 + 5 backup points
    assert points["reworks"] == Decimal("2.00") and points["over_limit"] == Decimal("1.00") and points["backup"] == 5
    assert card.deduction_points == Decimal("8.00")
    assert card.total == Decimal("34.30") and card.grade == "D"


def test_nothing_to_measure_costs_nothing_and_grades_follow_the_thresholds():
    config = scoring.config_snapshot(ScorecardConfig(role=Role.TECHNICIAN))
    figures = {"problems_resolved": 45, "visits_done": 15, "timeliness_rate": None, "satisfaction_rate": None,
               "complaint_rate": None, "complaints": 0, "feedback_avg": None, "reworks": 0, "on_site_over_limit": 0,
               "backup_points": 0}
    assert scoring.score(figures, config).total == 100
    assert scoring.score(dict(figures, complaint_rate=Decimal("4.5"), complaints=1), config).total == Decimal("95.00")
    assert scoring.score(figures, config, adjustments=Decimal("-10.01")).grade == "B"
    assert scoring.score(figures, config, adjustments=Decimal("-25.01")).grade == "C"
    assert scoring.score(figures, config, adjustments=Decimal("-40.01")).grade == "D"


def test_weights_and_thresholds_are_configurable_and_validated(manager, technician):
    config, _ = ScorecardConfig.objects.get_or_create(role=Role.TECHNICIAN)
    with pytest.raises(DomainError) as bad:
        services.save_config(config=config, actor=manager.user, weight_problems=Decimal("30"))
    assert bad.value.field == "weight_problems"
    services.save_config(config=config, actor=manager.user, weight_problems=Decimal("30"), weight_visits=Decimal("5"),
                         grade_a=Decimal("85"))
    config.refresh_from_db()
    assert config.weight_problems == 30 and config.grade_a == 85
    with pytest.raises(NotAllowed):
        services.save_config(config=config, actor=technician.user, grade_a=Decimal("80"))


def test_ranking_within_station_and_department_follows_adjustments(november, technician, other_technician, manager):
    month = services.draft_month(month=MONTH, actor=manager.user, now=NOW)
    a = Scorecard.objects.get(month=month, technician=technician)
    b = Scorecard.objects.get(month=month, technician=other_technician)
    assert b.total > a.total
    assert (a.rank_station, b.rank_station) == (1, 1)  # alone at their stations
    assert (b.rank_department, a.rank_department) == (1, 2)

    services.adjust_scorecard(scorecard=a, points=Decimal("80"), reason="承担重大抢修任务", actor=manager.user, now=NOW)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.adjustment_points == 80 and a.total == Decimal("114.30") and a.grade == "A"
    assert (a.rank_department, b.rank_department) == (1, 2)


def test_an_adjustment_needs_a_reason_and_a_manager(november, technician, manager, supervisor):
    month = services.draft_month(month=MONTH, actor=manager.user, now=NOW)
    card = Scorecard.objects.get(month=month, technician=technician)
    with pytest.raises(DomainError) as no_reason:
        services.adjust_scorecard(scorecard=card, points=3, reason="  ", actor=manager.user)
    assert no_reason.value.field == "reason"
    with pytest.raises(NotAllowed):
        services.adjust_scorecard(scorecard=card, points=3, reason="表现好", actor=supervisor.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScorecardAdjustment.objects.create(scorecard=card, points=3, reason="", by=manager.user, at=NOW)
    assert not card.adjustments.exists()
    # Recomputing keeps the adjustments made.
    services.adjust_scorecard(scorecard=card, points=-2, reason="报告迟交", actor=manager.user, now=NOW)
    services.draft_month(month=MONTH, actor=manager.user, now=NOW)
    card.refresh_from_db()
    assert card.adjustment_points == -2 and card.total == Decimal("32.30")
    log = ScorecardLog.objects.filter(month=month, kind="adjusted").get()
    assert log.reason == "报告迟交" and log.actor == manager.user and log.technician == technician


def test_publish_locks_the_month_in_the_service_and_the_database(november, technician, manager, general_manager):
    month = services.draft_month(month=MONTH, actor=manager.user, now=NOW)
    with pytest.raises(InvalidTransition):
        services.publish_month(month=month, actor=manager.user)  # not reviewed yet
    services.review_month(month=month, actor=manager.user, now=NOW)
    services.publish_month(month=month, actor=manager.user, now=NOW)
    card = Scorecard.objects.get(month=month, technician=technician)

    with pytest.raises(InvalidTransition):
        services.adjust_scorecard(scorecard=card, points=5, reason="补分", actor=manager.user)
    with pytest.raises(InvalidTransition):
        services.draft_month(month=MONTH, actor=manager.user, now=NOW)

    # Raw SQL past the service: refused by the triggers.
    for sql, args in (
        ("UPDATE appraisal_scorecard SET total = 99 WHERE id = %s", [card.pk]),
        ("DELETE FROM appraisal_scorecard WHERE id = %s", [card.pk]),
        ("INSERT INTO appraisal_scorecardadjustment (scorecard_id, points, reason, by_id, at) VALUES (%s, 5, 'x', %s, now())",
         [card.pk, manager.user.pk]),
        ("UPDATE appraisal_scorecardmonth SET status = 'draft' WHERE id = %s", [month.pk]),
    ):
        with pytest.raises(DatabaseError, match="published|Cannot update"), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(sql, args)
    card.refresh_from_db()
    assert card.total == Decimal("34.30")

    # The general manager's reopening is recorded, and unlocks the month.
    with pytest.raises(NotAllowed):
        services.reopen_month(month=month, actor=manager.user, reason="数据有误")
    with pytest.raises(DomainError):
        services.reopen_month(month=month, actor=general_manager.user, reason="")
    services.reopen_month(month=month, actor=general_manager.user, reason="回访数据补录", now=NOW)
    month.refresh_from_db()
    assert month.status == "draft" and month.reopen_count == 1 and month.reopened_by == general_manager.user
    assert month.reopen_reason == "回访数据补录"
    assert ScorecardLog.objects.filter(month=month, kind="reopened", actor=general_manager.user).exists()
    services.adjust_scorecard(scorecard=card, points=5, reason="补分", actor=manager.user, now=NOW)
    assert list(month.log.values_list("kind", flat=True)) == ["drafted", "reviewed", "published", "reopened", "adjusted"]


def test_self_and_peer_evaluations_only_when_the_config_asks(november, technician, manager, station_a):
    from tests.factories import StaffFactory, UserFactory

    month = services.draft_month(month=MONTH, actor=manager.user, now=NOW)
    card = Scorecard.objects.get(month=month, technician=technician)
    with pytest.raises(DomainError):
        services.record_evaluation(scorecard=card, evaluator=technician, score=90, actor=technician.user)

    config = ScorecardConfig.objects.get(role=Role.TECHNICIAN)
    services.save_config(config=config, actor=manager.user, self_evaluation=True, peer_evaluation=True,
                         weight_evaluation=Decimal("10"), weight_problems=Decimal("15"))
    services.draft_month(month=MONTH, actor=manager.user, now=NOW)
    card.refresh_from_db()
    peer = StaffFactory(user=UserFactory(username="p_peer", roles=[Role.TECHNICIAN]), station=station_a)
    services.record_evaluation(scorecard=card, evaluator=technician, score=90, actor=technician.user)
    services.record_evaluation(scorecard=card, evaluator=peer, score=70, actor=peer.user)
    card.refresh_from_db()
    assert card.evaluation_avg == 80
    assert {c["key"]: c["points"] for c in card.components}["evaluation"] == "8.00"
    with pytest.raises(NotAllowed):
        services.record_evaluation(scorecard=card, evaluator=peer, score=70, actor=manager.user)


def test_a_future_month_cannot_be_drafted(manager):
    from datetime import date

    with pytest.raises(DomainError):
        services.draft_month(month=date(2026, 12, 1), actor=manager.user, now=NOW)
    assert not ScorecardMonth.objects.exists()
