"""The weekly check: outcomes, business trips, deductions exactly once, later runs, notifications."""

from datetime import date

import pytest
from django.apps import apps
from django.db.models import Sum

from appraisal import selectors, services
from appraisal.models import BackupCheck, BackupCheckEntry, BackupDeduction
from appraisal.tasks import check_backups_task
from servicedesk.core.exceptions import DomainError
from servicedesk.core.models import JobHeartbeat
from servicedesk.notifications.models import Notification
from servicedesk.org.models import Staff
from tests.factories import StaffFactory

from .conftest import HOLIDAY_WEEK, at

pytestmark = pytest.mark.django_db

MONDAY_CHECK = at(2026, 10, 5, 10)  # the Monday after the holiday week (itself a holiday; beat runs anyway)
NEXT_MONDAY = at(2026, 10, 12, 10)


def _points(staff, week=HOLIDAY_WEEK) -> int:
    return BackupDeduction.objects.filter(staff=staff, week_start=week).aggregate(p=Sum("points"))["p"] or 0


def _entry(staff, week=HOLIDAY_WEEK) -> BackupCheckEntry:
    return BackupCheckEntry.objects.get(staff=staff, week_start=week)


def _check(now=MONDAY_CHECK, week=HOLIDAY_WEEK, capture=None):
    if capture is None:
        return services.run_backup_check(week_start=week, now=now)
    with capture(execute=True):
        return services.run_backup_check(week_start=week, now=now)


def test_outcomes_of_the_holiday_week(technician, other_technician, supervisor, station_head, manager, submit, rules):
    submit(technician, now=at(2026, 9, 30, 17, 59))  # on time, the Wednesday before National Day
    submit(other_technician, now=at(2026, 10, 2, 9))  # during the holiday: 2 days late
    check = _check()

    assert check.due_at == at(2026, 9, 30, 18)
    assert _entry(technician).outcome == BackupCheckEntry.Outcome.ON_TIME
    late = _entry(other_technician)
    assert (late.outcome, late.overdue_days, late.closed_reason) == ("late", 2, "submitted")
    assert _points(other_technician) == 2 * rules.overdue_points_per_day
    # Missing since Wed 18:00, checked Mon 10:00: Thu 1, Fri 2, Sat 3, Sun 4, Mon 5 October.
    missing = _entry(supervisor)
    assert (missing.outcome, missing.overdue_days, missing.closed_at) == ("missing", 5, None)
    assert list(
        BackupDeduction.objects.filter(staff=supervisor).order_by("day_no").values_list("day_no", "occurred_on", "points")
    ) == [(n, date(2026, 10, n), 5) for n in range(1, 6)]
    assert (check.expected, check.on_time, check.late, check.missing, check.exempt) == (5, 1, 1, 3, 0)


def test_running_the_check_twice_deducts_once(technician, supervisor, rules, django_capture_on_commit_callbacks):
    supervisor_of_tech = supervisor
    technician.supervisor = supervisor_of_tech
    technician.save()
    _check(capture=django_capture_on_commit_callbacks)
    first = list(BackupDeduction.objects.order_by("pk").values_list("staff_id", "day_no", "points"))
    notes = Notification.objects.count()

    _check(capture=django_capture_on_commit_callbacks)
    check = BackupCheck.objects.get(week_start=HOLIDAY_WEEK)
    assert check.runs == 2
    assert list(BackupDeduction.objects.order_by("pk").values_list("staff_id", "day_no", "points")) == first
    assert _points(technician) == 25
    assert Notification.objects.count() == notes
    assert BackupCheckEntry.objects.filter(week_start=HOLIDAY_WEEK).count() == 2


def test_the_weekly_task_twice_deducts_once_and_records_its_heartbeat(technician, rules, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        check_backups_task(now=MONDAY_CHECK.isoformat())
        check_backups_task(now=MONDAY_CHECK.isoformat())
    assert _points(technician) == 25
    assert BackupDeduction.objects.count() == 5
    assert JobHeartbeat.objects.get(name="appraisal-backup-check").runs == 2


def test_a_later_run_adds_the_further_overdue_days_until_the_backup_arrives(technician, submit, rules):
    _check()
    assert _entry(technician).overdue_days == 5

    # Next Monday's job re-checks the still-open week: 12 days by then.
    services.run_weekly_backup_checks(now=NEXT_MONDAY)
    assert _entry(technician).overdue_days == 12
    assert _points(technician) == 60

    # The backup arrives on Tuesday 13 Oct 09:00: day 13 begins at 12 Oct 18:00, so 13 days in all.
    submit(technician, now=at(2026, 10, 13, 9))
    entry = _entry(technician)
    assert (entry.outcome, entry.overdue_days, entry.closed_reason) == ("late", 13, "submitted")
    assert _points(technician) == 65
    services.run_weekly_backup_checks(now=at(2026, 10, 19, 10))
    assert _points(technician) == 65, "nothing is added after the backup arrived"


def test_a_late_backup_after_the_check_stops_the_count_at_its_arrival(technician, submit, rules):
    _check()
    submit(technician, now=at(2026, 10, 6, 8))  # 5 days 14 hours → 6 started days
    assert _entry(technician).overdue_days == 6
    assert _points(technician) == 30
    assert selectors.open_weeks() == []


def test_a_person_on_a_business_trip_is_skipped(technician, other_technician, rules):
    other_technician.status = Staff.Status.BUSINESS_TRIP
    other_technician.save()
    _check()
    entry = _entry(other_technician)
    assert (entry.outcome, entry.status_at_due) == (BackupCheckEntry.Outcome.BUSINESS_TRIP, "business_trip")
    assert _points(other_technician) == 0
    assert _entry(technician).outcome == "missing"


def _backdate(staff, *moments):
    """Give the staff record's audit rows (oldest first) the times they would have had."""
    events = apps.get_model("org", "StaffEvent")
    rows = list(events.objects.filter(pgh_obj_id=staff.pk).order_by("pgh_created_at", "pgh_id"))
    assert len(rows) == len(moments), [r.status for r in rows]
    for row, moment in zip(rows, moments):
        events.objects.filter(pk=row.pk).update(pgh_created_at=moment)


def test_the_business_trip_is_the_one_on_the_due_date_not_at_check_time(technician, other_technician, supervisor, rules):
    # technician: travelling 29 Sep – 3 Oct, back at work when Monday's check runs → skipped.
    technician.status = Staff.Status.BUSINESS_TRIP
    technician.save()
    technician.status = Staff.Status.WORKING
    technician.save()
    _backdate(technician, at(2026, 9, 1, 9), at(2026, 9, 29, 8), at(2026, 10, 3, 20))
    # other_technician: left on a trip on 2 Oct, after the due date, still away on Monday → counted missing.
    other_technician.status = Staff.Status.BUSINESS_TRIP
    other_technician.save()
    _backdate(other_technician, at(2026, 9, 1, 9), at(2026, 10, 2, 8))
    # supervisor: went away at 15:00 on the due day itself → skipped ("during the due date").
    supervisor.status = Staff.Status.BUSINESS_TRIP
    supervisor.save()
    supervisor.status = Staff.Status.WORKING
    supervisor.save()
    _backdate(supervisor, at(2026, 9, 1, 9), at(2026, 9, 30, 15), at(2026, 10, 1, 9))

    _check()
    assert _entry(technician).outcome == BackupCheckEntry.Outcome.BUSINESS_TRIP
    assert _entry(supervisor).outcome == BackupCheckEntry.Outcome.BUSINESS_TRIP
    missing = _entry(other_technician)
    assert (missing.outcome, missing.status_at_due) == ("missing", "working")
    assert _points(other_technician) == 25


def test_people_who_left_or_had_not_joined_are_not_expected(technician, other_technician, supervisor, rules):
    other_technician.status = Staff.Status.LEFT
    other_technician.save()
    supervisor.joined_on = date(2026, 10, 1)
    supervisor.save()
    _check()
    assert list(BackupCheckEntry.objects.values_list("staff_id", flat=True)) == [technician.pk]


def test_someone_who_leaves_while_missing_is_no_longer_chased(technician, rules):
    _check()
    technician.status = Staff.Status.LEFT
    technician.save()
    services.run_weekly_backup_checks(now=NEXT_MONDAY)
    entry = _entry(technician)
    assert (entry.overdue_days, entry.closed_reason) == (5, "left")
    assert _points(technician) == 25


def test_people_on_leave_are_skipped_only_when_the_rules_say_so(technician, other_technician, rules):
    technician.status = Staff.Status.ON_LEAVE
    technician.save()
    _check()
    assert _entry(technician).outcome == "missing"

    rules.skip_on_leave = True
    rules.save()
    other_technician.status = Staff.Status.ON_LEAVE
    other_technician.save()
    _check(week=date(2026, 10, 5), now=NEXT_MONDAY)
    assert _entry(other_technician, date(2026, 10, 5)).outcome == BackupCheckEntry.Outcome.ON_LEAVE


def test_points_and_the_overdue_limit_come_from_the_rules(technician, rules):
    rules.overdue_points_per_day = 3
    rules.max_overdue_days = 4
    rules.save()
    _check()
    entry = _entry(technician)
    assert (entry.overdue_days, entry.closed_reason) == (4, "limit")
    assert _points(technician) == 12
    services.run_weekly_backup_checks(now=NEXT_MONDAY)
    assert _points(technician) == 12
    # Points recorded stay as recorded when the rules change later.
    rules.overdue_points_per_day = 10
    rules.save()
    assert _points(technician) == 12


def test_the_supervisor_is_notified_once_and_falls_back_to_the_station_head_then_the_managers(
    supervised_technician, supervisor, station_head, manager, department, rules, django_capture_on_commit_callbacks
):
    lone = StaffFactory(station=None, name="无主管人员")
    _check(capture=django_capture_on_commit_callbacks)
    _check(capture=django_capture_on_commit_callbacks)

    def recipients(staff):
        key = f"appraisal:backup-missing:2026-09-28:{staff.pk}"
        return set(Notification.objects.filter(key=key).values_list("recipient__username", flat=True))

    # Staff.supervisor first; the person himself is told too.
    assert recipients(supervised_technician) == {"p_supervisor", "p_tech_a"}
    # The supervisor has no supervisor: his station's head.
    assert recipients(supervisor) == {"p_head", "p_supervisor"}
    # The station head's own backup: not himself, so the department manager.
    assert recipients(station_head) == {"p_manager", "p_head"}
    # No station: the department of the people without a station, i.e. its manager.
    assert recipients(lone) == {"p_manager", lone.user.username}
    assert Notification.objects.filter(kind="backup_missing", recipient=supervisor.user, key__endswith=f":{supervised_technician.pk}").count() == 1
    assert _entry(supervised_technician).notified_at is not None


def test_a_week_that_is_not_over_cannot_be_checked(rules):
    with pytest.raises(DomainError) as error:
        services.run_backup_check(week_start=HOLIDAY_WEEK, now=at(2026, 9, 30, 17))
    assert error.value.field == "week_start"
    with pytest.raises(DomainError):
        services.run_backup_check(week_start=date(2026, 9, 29), now=MONDAY_CHECK)


def test_the_weekly_job_catches_up_weeks_it_missed_but_never_backfills_a_fresh_install(technician, rules):
    services.run_weekly_backup_checks(now=at(2026, 9, 21, 10))  # fresh install: only last week
    assert list(BackupCheck.objects.values_list("week_start", flat=True)) == [date(2026, 9, 14)]
    # The job was down for two Mondays: the next run checks every week since.
    services.run_weekly_backup_checks(now=NEXT_MONDAY)
    assert sorted(BackupCheck.objects.values_list("week_start", flat=True)) == [
        date(2026, 9, 14), date(2026, 9, 21), date(2026, 9, 28), date(2026, 10, 5)
    ]


def test_a_week_without_working_days_is_checked_without_anyone_owing_a_backup(technician, rules):
    check = services.run_backup_check(week_start=date(2026, 2, 16), now=at(2026, 2, 23, 10))
    assert check.due_at is None and check.expected == 0
    assert not BackupDeduction.objects.exists()


def test_a_scorecard_sums_deductions_per_person_and_month_in_one_query(
    technician, other_technician, supervisor, submit, rules, django_assert_num_queries
):
    submit(other_technician, now=at(2026, 9, 29, 10))
    submit(supervisor, now=at(2026, 9, 29, 11))
    _check()
    services.mark_backup_incomplete(
        submission=other_technician.backup_submissions.get(), reason="缺少客户清单", actor=supervisor.user, now=at(2026, 10, 6, 9)
    )
    with django_assert_num_queries(1):
        october = {row["staff"]: row["points"] for row in selectors.deduction_points_by_staff(date(2026, 10, 1), date(2026, 10, 31))}
    assert october == {technician.pk: 25, other_technician.pk: 5}
    assert not selectors.deduction_points_by_staff(date(2026, 9, 1), date(2026, 9, 30)).exists()
    # The same sum as a subquery, for a scorecard built on a Staff queryset.
    with django_assert_num_queries(1):
        annotated = dict(
            Staff.objects.annotate(points=selectors.deduction_points_subquery(date(2026, 10, 1), date(2026, 10, 31)))
            .values_list("pk", "points")
        )
    assert annotated == {technician.pk: 25, other_technician.pk: 5, supervisor.pk: 0}
