"""Recording visits, plans and targets, and the progress numbers built from them."""

from datetime import date

import pytest

from servicedesk.core.exceptions import Conflict, DomainError, InvalidTransition
from servicedesk.org.models import Staff
from visits import policy, selectors, services
from visits.models import Visit, VisitPlan, VisitPolicy

pytestmark = pytest.mark.django_db

# A fixed "today" inside a month whose working days are known: Friday 13 November 2026.
TODAY = date(2026, 11, 13)
MONTH = date(2026, 11, 1)


def _record(technician, customer, day, problems=2, report="设备运行正常，已清洁滤网。", **extra):
    return services.record_visit(
        technician=technician, customer=customer, visit_date=day, purpose=extra.pop("purpose", Visit.Purpose.ROUTINE),
        problems_resolved=problems, report=report, actor=technician.user, today=extra.pop("today", TODAY), **extra,
    )


def _progress(technician, today=TODAY, month=MONTH):
    return selectors.progress_for_month(month=month, technicians=[technician], today=today)[0]


def test_recorded_visits_count_towards_the_month_they_took_place(technician, customer, second_customer):
    _record(technician, customer, date(2026, 11, 2), problems=3)
    _record(technician, second_customer, date(2026, 11, 2), problems=0)
    _record(technician, customer, date(2026, 11, 12), problems=4)
    _record(technician, customer, date(2026, 10, 30), problems=9)  # last month: not this month's

    row = _progress(technician)
    assert (row.visits_done, row.problems_resolved) == (3, 7)
    assert (row.visits_target, row.problems_target) == (15, 45)
    assert row.from_plan  # recording made the month's plan from the defaults
    assert row.visits_percent == 20 and row.problems_percent == 16
    # 10 of November's working days have begun by the 13th (official calendar: no holiday in November).
    assert (row.expected_visits, row.expected_problems) == (7, 21)
    assert row.status == selectors.BEHIND

    october = _progress(technician, month=date(2026, 10, 1))
    assert (october.visits_done, october.problems_resolved) == (1, 9)


def test_planned_visits_show_as_planned_and_overdue_until_recorded(technician, customer, second_customer):
    late = services.schedule_visit(
        technician=technician, customer=customer, planned_for=date(2026, 11, 10), actor=technician.user, today=date(2026, 11, 9)
    )
    services.schedule_visit(technician=technician, customer=second_customer, planned_for=date(2026, 11, 20), actor=technician.user, today=TODAY)

    row = _progress(technician)
    assert (row.planned_open, row.overdue, row.visits_done) == (2, 1, 0)

    services.complete_visit(visit=late, visit_date=date(2026, 11, 11), problems_resolved=5, report="拖延一天，已完成。",
                            actor=technician.user, today=TODAY)
    row = _progress(technician)
    assert (row.planned_open, row.overdue, row.visits_done, row.problems_resolved) == (1, 0, 1, 5)


def test_a_month_met_in_full_reads_as_met(technician, customer):
    plan = services.plan_month(technician=technician, month=MONTH)
    services.set_plan_targets(plan=plan, visits_target=1, problems_target=2, actor=technician.user)
    _record(technician, customer, date(2026, 11, 3), problems=2)
    assert _progress(technician).status == selectors.MET


def test_targets_come_from_the_policy_and_changing_it_does_not_rewrite_plans(technician, other_technician, manager):
    november = services.plan_month(technician=technician, month=MONTH, actor=manager.user)
    assert (november.visits_target, november.problems_target) == (15, 45)

    services.set_policy_targets(visits_target=20, problems_target=60, actor=manager.user)
    assert VisitPolicy.objects.get().visits_target == 20
    november.refresh_from_db()
    assert november.visits_target == 15  # plans already made keep their targets
    december = services.plan_month(technician=technician, month=date(2026, 12, 1), actor=manager.user)
    assert (december.visits_target, december.problems_target) == (20, 60)
    # Without a plan, progress shows the current defaults.
    assert _progress(other_technician).visits_target == 20 and not _progress(other_technician).from_plan


def test_one_technicians_targets_can_be_adjusted_for_a_month(technician, manager):
    plan = services.plan_month(technician=technician, month=MONTH, actor=manager.user)
    services.set_plan_targets(plan=plan, visits_target=8, problems_target=24, note="出差两周", actor=manager.user)
    row = _progress(technician)
    assert (row.visits_target, row.problems_target) == (8, 24)
    assert VisitPlan.objects.get(pk=plan.pk).updated_by == manager.user


def test_planning_a_month_twice_makes_one_plan(technician, other_technician):
    assert services.plan_month_for_all(month=MONTH) == 2
    assert services.plan_month_for_all(month=MONTH) == 0
    assert services.plan_month(technician=technician, month=date(2026, 11, 20)).month == MONTH
    assert VisitPlan.objects.filter(month=MONTH).count() == 2


def test_technicians_who_left_get_no_plan(technician, other_technician):
    Staff.objects.filter(pk=other_technician.pk).update(status=Staff.Status.LEFT)
    assert services.plan_month_for_all(month=MONTH) == 1
    assert list(VisitPlan.objects.values_list("technician", flat=True)) == [technician.pk]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"visit_date": date(2026, 11, 14)}, "visit_date"),  # tomorrow
        ({"visit_date": date(2026, 9, 30)}, "visit_date"),  # before last month
        ({"problems": -1}, "problems_resolved"),
        ({"problems": 100}, "problems_resolved"),
        ({"report": "   "}, "report"),
        ({"report": "很" * 1001}, "report"),
        ({"purpose": "party"}, "purpose"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(technician, customer, changes, field):
    args = {"problems": 1, "report": "好", "purpose": Visit.Purpose.ROUTINE, "visit_date": date(2026, 11, 12)}
    args.update(changes)
    with pytest.raises(DomainError) as caught:
        _record(technician, customer, args.pop("visit_date"), **args)
    assert caught.value.field == field
    assert not Visit.objects.exists()


def test_a_technician_cannot_record_a_visit_to_another_technicians_customer(technician, other_customer):
    with pytest.raises(DomainError) as caught:
        _record(technician, other_customer, date(2026, 11, 12))
    assert caught.value.field == "customer"


def test_a_technician_cannot_record_for_a_colleague(technician, other_technician, other_customer):
    with pytest.raises(DomainError) as caught:
        services.record_visit(
            technician=other_technician, customer=other_customer, visit_date=date(2026, 11, 12), purpose="routine",
            problems_resolved=0, report="代填", actor=technician.user, today=TODAY,
        )
    assert caught.value.field == "technician"


def test_the_same_visit_recorded_twice_is_refused(technician, customer):
    _record(technician, customer, date(2026, 11, 12))
    with pytest.raises(Conflict) as caught:
        _record(technician, customer, date(2026, 11, 12))
    assert caught.value.field == "visit_date" and caught.value.status_code == 409
    assert Visit.objects.count() == 1


def test_a_visit_cannot_be_planned_in_the_past_or_twice(technician, customer):
    with pytest.raises(DomainError) as caught:
        services.schedule_visit(technician=technician, customer=customer, planned_for=date(2026, 11, 12), actor=technician.user, today=TODAY)
    assert caught.value.field == "planned_for"
    services.schedule_visit(technician=technician, customer=customer, planned_for=date(2026, 11, 16), actor=technician.user, today=TODAY)
    with pytest.raises(DomainError) as caught:
        services.schedule_visit(technician=technician, customer=customer, planned_for=date(2026, 11, 16), actor=technician.user, today=TODAY)
    assert caught.value.field == "planned_for"


def test_a_recorded_or_cancelled_visit_cannot_change_again(technician, customer):
    visit = services.schedule_visit(technician=technician, customer=customer, planned_for=TODAY, actor=technician.user, today=TODAY)
    services.cancel_visit(visit=visit, reason="客户临时外出", actor=technician.user)
    with pytest.raises(InvalidTransition):
        services.complete_visit(visit=visit, visit_date=TODAY, problems_resolved=1, report="x", actor=technician.user, today=TODAY)
    with pytest.raises(InvalidTransition):
        services.cancel_visit(visit=visit, reason="again", actor=technician.user)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED and visit.cancel_reason == "客户临时外出"


def test_cancelling_needs_a_reason(technician, customer):
    visit = services.schedule_visit(technician=technician, customer=customer, planned_for=TODAY, actor=technician.user, today=TODAY)
    with pytest.raises(DomainError) as caught:
        services.cancel_visit(visit=visit, reason=" ", actor=technician.user)
    assert caught.value.field == "reason"
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.PLANNED


def test_targets_outside_the_range_are_refused(technician, manager):
    plan = services.plan_month(technician=technician, month=MONTH)
    for visits, problems, field in [(-1, 45, "visits_target"), (15, 1000, "problems_target")]:
        with pytest.raises(DomainError) as caught:
            services.set_plan_targets(plan=plan, visits_target=visits, problems_target=problems, actor=manager.user)
        assert caught.value.field == field
    assert VisitPlan.objects.get(pk=plan.pk).visits_target == 15


def test_a_station_head_records_for_his_station_and_a_manager_for_anyone(station_head, manager, technician, customer,
                                                                         other_technician, other_customer):
    services.record_visit(technician=technician, customer=customer, visit_date=TODAY, purpose="routine", problems_resolved=1,
                          report="站长补录", actor=station_head.user, today=TODAY)
    with pytest.raises(DomainError):
        services.record_visit(technician=other_technician, customer=other_customer, visit_date=TODAY, purpose="routine",
                              problems_resolved=1, report="跨站", actor=station_head.user, today=TODAY)
    services.record_visit(technician=other_technician, customer=other_customer, visit_date=TODAY, purpose="routine",
                          problems_resolved=1, report="经理补录", actor=manager.user, today=TODAY)
    assert Visit.objects.count() == 2


def test_month_helpers_agree_with_the_progress_month(technician, customer):
    _record(technician, customer, date(2026, 11, 30), today=date(2026, 11, 30))
    assert _progress(technician, today=date(2026, 11, 30)).visits_done == 1
    assert policy.month_end(MONTH) == date(2026, 11, 30)
    assert _progress(technician, month=date(2026, 12, 1), today=date(2026, 12, 1)).visits_done == 0
    assert _progress(technician, month=date(2026, 12, 1), today=date(2026, 12, 1)).planned_open == 0
