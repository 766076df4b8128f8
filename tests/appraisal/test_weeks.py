"""The due rule and overdue-day counting, against the real 2025/2026 official schedule (chinesecalendar)."""

from datetime import date, timedelta

import pytest

from appraisal.weeks import due_day, due_moment, overdue_date, overdue_days, week_start_of
from servicedesk.calendar.models import DateOverride

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("week", "due", "why"),
    [
        (date(2026, 9, 7), at(2026, 9, 11, 18), "an ordinary week: Friday 18:00"),
        (date(2026, 9, 14), at(2026, 9, 18, 18), "Sunday 20 Sep is a make-up day, but Friday is a working day"),
        (date(2026, 9, 21), at(2026, 9, 24, 18), "Friday 25 Sep is Mid-Autumn: Thursday"),
        (date(2026, 9, 28), at(2026, 9, 30, 18), "1–7 Oct is National Day: Wednesday before the long holiday"),
        (date(2026, 10, 5), at(2026, 10, 9, 18), "back on Thursday 8 Oct; Saturday 10 Oct is a make-up day after Friday"),
        (date(2025, 1, 27), at(2025, 1, 27, 18), "Spring Festival 2025: Monday is the week's only working day"),
        (date(2026, 2, 9), at(2026, 2, 13, 18), "Spring Festival 2026 starts Sunday; Friday works, Saturday 14 Feb is 补班"),
    ],
)
def test_due_moment_follows_the_business_calendar(week, due, why):
    assert due_moment(week) == due, why


def test_a_week_without_any_working_day_has_no_backup_due():
    # 2026-02-16 … 02-22: the whole Spring Festival week is a statutory holiday.
    assert due_day(date(2026, 2, 16)) is None
    assert due_moment(date(2026, 2, 16)) is None


def test_a_company_day_off_on_friday_moves_the_due_date_to_thursday():
    DateOverride.objects.create(date=date(2026, 11, 13), kind=DateOverride.Kind.DAY_OFF, note="年度盘点")
    assert due_moment(date(2026, 11, 9)) == at(2026, 11, 12, 18)


def test_custom_hours_on_friday_move_the_due_time_to_the_end_of_those_hours():
    DateOverride.objects.create(date=date(2026, 11, 13), kind=DateOverride.Kind.CUSTOM_HOURS, periods="09:00-12:00")
    assert due_moment(date(2026, 11, 9)) == at(2026, 11, 13, 12)


def test_a_week_working_only_on_a_make_up_weekend_day_is_due_that_day():
    monday = date(2026, 11, 16)
    for offset in range(5):
        DateOverride.objects.create(date=monday + timedelta(days=offset), kind=DateOverride.Kind.DAY_OFF)
    DateOverride.objects.create(date=date(2026, 11, 21), kind=DateOverride.Kind.MAKE_UP_DAY)
    assert due_moment(monday) == at(2026, 11, 21, 18)


def test_due_moment_wants_a_monday():
    with pytest.raises(ValueError):
        due_moment(date(2026, 9, 29))


def test_week_start_of_any_day_and_of_an_aware_datetime():
    assert week_start_of(date(2026, 10, 4)) == date(2026, 9, 28)  # a Sunday belongs to its Monday
    assert week_start_of(at(2026, 10, 5, 0, 30)) == date(2026, 10, 5)


@pytest.mark.parametrize(
    ("until", "days"),
    [
        (at(2026, 9, 11, 17, 59), 0),
        (at(2026, 9, 11, 18, 0), 0),  # exactly on time
        (at(2026, 9, 11, 18, 1), 1),  # a minute late is a day late
        (at(2026, 9, 12, 18, 0), 1),
        (at(2026, 9, 12, 18, 0, 1), 2),
        (at(2026, 9, 14, 10, 0), 3),  # the Monday 10:00 check: Saturday, Sunday, Monday
    ],
)
def test_overdue_days_are_started_calendar_days_after_the_due_moment(until, days):
    assert overdue_days(at(2026, 9, 11, 18), until) == days


def test_overdue_days_respect_a_limit_and_are_dated_from_the_day_after_the_due_date():
    assert overdue_days(at(2026, 9, 11, 18), at(2026, 9, 30, 9), limit=5) == 5
    assert overdue_date(at(2026, 9, 11, 18), 1) == date(2026, 9, 12)
    assert overdue_date(at(2026, 9, 30, 18), 3) == date(2026, 10, 3)
