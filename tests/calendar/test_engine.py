"""The arithmetic on a plain Calendar (default weekly hours, live official data) — no database."""

from datetime import UTC, date, datetime, timedelta

import pytest
from chinese_calendar import constants as official

from servicedesk.calendar.engine import (
    CALENDAR_TZ,
    OFFICIAL_YEARS,
    Calendar,
    CalendarError,
    InvalidPeriods,
    Override,
    format_periods,
    parse_periods,
)

from .helpers import sh

H = timedelta(hours=1)
M = timedelta(minutes=1)

HOLIDAYS_2026 = sorted(d for d in official.holidays if d.year == 2026)
MAKE_UP_DAYS_2026 = sorted(d for d in official.workdays if d.year == 2026)


@pytest.fixture(scope="module")
def cal():
    return Calendar()


# --- a normal week --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (sh(2026, 11, 23, 9), 3 * H, sh(2026, 11, 23, 12)),  # ends at the lunch break, not after it
        (sh(2026, 11, 23, 9), 3 * H + M, sh(2026, 11, 23, 13, 1)),  # lunch is skipped
        (sh(2026, 11, 23, 11, 30), H, sh(2026, 11, 23, 13, 30)),
        (sh(2026, 11, 23, 9), 8 * H, sh(2026, 11, 23, 18)),  # a whole day ends at 18:00 that day
        (sh(2026, 11, 23, 17), 2 * H, sh(2026, 11, 24, 10)),  # the night is skipped
        (sh(2026, 11, 20, 17), 2 * H, sh(2026, 11, 23, 10)),  # Friday → Monday over the weekend
        (sh(2026, 11, 23, 7), H, sh(2026, 11, 23, 10)),  # before 09:00
        (sh(2026, 11, 23, 12, 30), 30 * M, sh(2026, 11, 23, 13, 30)),  # during lunch
        (sh(2026, 11, 23, 12), 30 * M, sh(2026, 11, 23, 13, 30)),  # exactly at the lunch break
        (sh(2026, 11, 23, 19), H, sh(2026, 11, 24, 10)),  # after 18:00
        (sh(2026, 11, 23, 18), M, sh(2026, 11, 24, 9, 1)),  # exactly at closing time
        (sh(2026, 11, 21, 10), H, sh(2026, 11, 23, 10)),  # on a Saturday
        (sh(2026, 11, 22, 23, 59), M, sh(2026, 11, 23, 9, 1)),  # Sunday night
        (sh(2026, 11, 23, 9, 0, 0, 1), timedelta(microseconds=1), sh(2026, 11, 23, 9, 0, 0, 2)),
        (sh(2026, 11, 2, 9), 4 * 5 * 8 * H, sh(2026, 11, 27, 18)),  # four weeks of work, November has no holiday
        (sh(2026, 11, 2, 9), 4 * 5 * 8 * H + M, sh(2026, 11, 30, 9, 1)),
    ],
)
def test_add_working_time_in_an_ordinary_week(cal, start, duration, expected):
    assert cal.add(start, duration) == expected
    assert cal.between(start, expected) == duration


def test_lunch_break_and_nights_are_not_working_time(cal):
    assert cal.between(sh(2026, 11, 23, 11), sh(2026, 11, 23, 14)) == 2 * H
    assert cal.between(sh(2026, 11, 23, 12), sh(2026, 11, 23, 13)) == timedelta(0)
    assert cal.between(sh(2026, 11, 23, 17), sh(2026, 11, 24, 10)) == 2 * H
    assert cal.between(sh(2026, 11, 20, 17), sh(2026, 11, 23, 10)) == 2 * H  # weekend
    assert cal.between(sh(2026, 11, 23, 0), sh(2026, 11, 24, 0)) == 8 * H


def test_a_zero_duration_is_the_start_itself_even_outside_working_hours(cal):
    for start in (sh(2026, 11, 22, 3), sh(2026, 11, 23, 12, 30), sh(2026, 10, 1, 10), sh(2026, 11, 23, 10)):
        assert cal.add(start, timedelta(0)) == start
    assert cal.between(sh(2026, 11, 23, 10), sh(2026, 11, 23, 10)) == timedelta(0)


def test_end_before_start_counts_no_working_time(cal):
    assert cal.between(sh(2026, 11, 24, 10), sh(2026, 11, 23, 10)) == timedelta(0)


def test_results_are_aware_shanghai_times_whatever_the_input_zone(cal):
    start = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    result = cal.add(start, H)
    assert result == sh(2026, 11, 23, 10)
    assert result.tzinfo is CALENDAR_TZ
    assert result.utcoffset() == timedelta(hours=8)
    assert cal.between(start, datetime(2026, 11, 23, 4, 0, tzinfo=UTC)) == 3 * H  # to 12:00 Shanghai


def test_naive_datetimes_are_refused_with_a_clear_error(cal):
    with pytest.raises(ValueError, match="naive datetime"):
        cal.add(datetime(2026, 11, 23, 9), H)
    with pytest.raises(ValueError, match="naive datetime"):
        cal.between(sh(2026, 11, 23, 9), datetime(2026, 11, 23, 10))
    with pytest.raises(ValueError, match="naive datetime"):
        cal.is_working_day(datetime(2026, 11, 23, 9))


def test_negative_or_non_timedelta_durations_are_refused(cal):
    with pytest.raises(ValueError, match="negative"):
        cal.add(sh(2026, 11, 23, 9), -M)
    with pytest.raises(TypeError):
        cal.add(sh(2026, 11, 23, 9), 60)


def test_working_days_are_multiples_of_a_normal_day(cal):
    assert cal.normal_day_length() == 8 * H
    assert cal.working_days(3) == 24 * H
    # 三个工作日内答复: Friday 10:00 + 3 working days → Wednesday 10:00.
    assert cal.add(sh(2026, 11, 20, 10), cal.working_days(3)) == sh(2026, 11, 25, 10)


def test_a_datetime_given_as_a_day_means_its_shanghai_date(cal):
    # 2026-11-22 20:00 UTC is Monday 04:00 in Shanghai.
    assert cal.is_working_day(datetime(2026, 11, 22, 20, 0, tzinfo=UTC))
    assert not cal.is_working_day(datetime(2026, 11, 22, 1, 0, tzinfo=UTC))


def test_is_working_time(cal):
    assert cal.is_working_time(sh(2026, 11, 23, 9))
    assert not cal.is_working_time(sh(2026, 11, 23, 12))
    assert not cal.is_working_time(sh(2026, 11, 23, 18))
    assert not cal.is_working_time(sh(2026, 10, 1, 10))


# --- 2026 statutory holidays and make-up days -------------------------------------------------------


def test_the_official_data_matches_known_2026_facts():
    """Guards the data source: the State Council's 2026 schedule as published."""
    assert 2026 in OFFICIAL_YEARS and 2027 not in OFFICIAL_YEARS
    assert date(2026, 10, 1) in official.holidays  # 国庆节
    assert date(2026, 2, 17) in official.holidays  # 春节 (Lunar New Year's day)
    assert date(2026, 1, 1) in official.holidays  # 元旦
    # 调休: Saturdays/Sundays worked around Spring Festival and National Day.
    assert {date(2026, 2, 14), date(2026, 2, 28)} <= set(official.workdays)
    assert all(d.weekday() == 5 for d in (date(2026, 2, 14), date(2026, 2, 28)))
    assert {date(2026, 9, 20), date(2026, 10, 10)} <= set(official.workdays)
    assert len(HOLIDAYS_2026) == 33
    assert MAKE_UP_DAYS_2026 == [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
                                 date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)]


@pytest.mark.parametrize("day", HOLIDAYS_2026, ids=str)
def test_each_2026_statutory_holiday_is_a_day_off(cal, day):
    assert not cal.is_working_day(day)
    assert cal.periods_for(day) == ()
    info = cal.explain(day)
    assert info.source == "official" and info.kind == "holiday" and info.name
    noon = sh(day.year, day.month, day.day, 10)
    assert cal.between(sh(day.year, day.month, day.day), sh(day.year, day.month, day.day) + timedelta(days=1)) == timedelta(0)
    # A deadline started on the holiday begins counting on the next working day, never on it.
    deadline = cal.add(noon, M)
    assert deadline.date() > day
    assert cal.is_working_day(deadline.date())
    assert deadline.time().isoformat() == "09:01:00"


@pytest.mark.parametrize("day", MAKE_UP_DAYS_2026, ids=str)
def test_each_2026_make_up_day_is_a_full_working_day(cal, day):
    assert day.weekday() in (5, 6)  # a Saturday or Sunday declared a working day
    assert cal.is_working_day(day)
    assert cal.working_day_length(day) == 8 * H
    info = cal.explain(day)
    assert info.source == "official" and info.kind == "make_up_day"
    assert cal.add(sh(day.year, day.month, day.day, 9), 3 * H + M) == sh(day.year, day.month, day.day, 13, 1)
    # The last working moment before it leads into it: a deadline from the evening before lands on it.
    eve = day - timedelta(days=1)
    while not cal.is_working_day(eve):
        eve -= timedelta(days=1)
    start = sh(eve.year, eve.month, eve.day, 17)
    assert cal.add(start, 2 * H) == sh(day.year, day.month, day.day, 10)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (sh(2026, 9, 30, 17), 2 * H, sh(2026, 10, 8, 10)),  # over National Day (Oct 1–7)
        (sh(2026, 9, 18, 17), 2 * H, sh(2026, 9, 20, 10)),  # Sunday Sep 20 is a make-up day
        (sh(2026, 2, 13, 17), 2 * H, sh(2026, 2, 14, 10)),  # Saturday Feb 14 is a make-up day
        (sh(2026, 2, 14, 17), 2 * H, sh(2026, 2, 24, 10)),  # Spring Festival Feb 15–23
        (sh(2026, 10, 3, 10), H, sh(2026, 10, 8, 10)),  # starting on a holiday
        (sh(2026, 12, 31, 17), 2 * H, sh(2027, 1, 1, 10)),  # into 2027: no official data, weekly pattern
    ],
)
def test_deadlines_across_holidays(cal, start, duration, expected):
    assert cal.add(start, duration) == expected
    assert cal.between(start, expected) == duration


def test_a_spring_festival_week_of_work(cal):
    # Mon Feb 9 09:00 + 6 days of work: Feb 9–13 and the make-up Saturday Feb 14 → Sat 18:00.
    assert cal.add(sh(2026, 2, 9, 9), 6 * 8 * H) == sh(2026, 2, 14, 18)
    assert cal.add(sh(2026, 2, 9, 9), 6 * 8 * H + M) == sh(2026, 2, 24, 9, 1)
    # February 2026: 20 weekdays, 6 of them in the holiday (Feb 16–20, 23), plus 2 make-up Saturdays.
    assert cal.between(sh(2026, 2, 1), sh(2026, 3, 1)) == (20 - 6 + 2) * 8 * H


# --- years without official data ------------------------------------------------------------------


def test_a_year_without_official_data_falls_back_to_the_weekly_pattern(cal):
    assert not cal.is_covered(2027)
    assert cal.is_working_day(date(2027, 1, 1))  # a Friday; its holiday is unknown to the package
    assert not cal.is_working_day(date(2027, 1, 2))
    assert cal.explain(date(2027, 10, 1)).source == "weekly"
    assert cal.add(sh(2027, 2, 5, 17), 2 * H) == sh(2027, 2, 8, 10)
    assert cal.between(sh(2027, 1, 1), sh(2028, 1, 1)) == 261 * 8 * H  # every weekday of 2027
    assert cal.add(sh(2030, 6, 3, 9), H) == sh(2030, 6, 3, 10)


def test_a_manually_entered_year_counts_as_covered():
    assert Calendar(manual_years=[2027]).is_covered(2027)
    assert not Calendar().is_covered(2027)


def test_years_the_package_does_not_know_never_raise(cal):
    for year in (1999, 2003, 2027, 2100):
        cal.is_working_day(date(year, 5, 1))
        cal.add(sh(year, 5, 1, 10), 10 * H)


# --- overrides and custom hours -------------------------------------------------------------------


def test_overrides_win_over_the_official_schedule_and_the_weekly_hours():
    cal = Calendar(
        overrides={
            date(2026, 11, 24): Override("day_off", note="公司年会"),
            date(2026, 11, 29): Override("make_up_day"),  # a Sunday
            date(2026, 10, 5): Override("make_up_day"),  # an official holiday, worked anyway
            date(2026, 10, 10): Override("day_off"),  # an official make-up Saturday, given off
            date(2026, 11, 25): Override("custom_hours", parse_periods("09:00-11:00")),
        }
    )
    assert not cal.is_working_day(date(2026, 11, 24))
    assert cal.explain(date(2026, 11, 24)).name == "公司年会"
    assert cal.working_day_length(date(2026, 11, 29)) == 8 * H
    assert cal.is_working_day(date(2026, 10, 5))
    assert not cal.is_working_day(date(2026, 10, 10))
    assert cal.working_day_length(date(2026, 11, 25)) == 2 * H
    # Mon 17:00 + 2 h: Tue off → Wed 09:00–11:00 has only 2 h → Wed 10:00.
    assert cal.add(sh(2026, 11, 23, 17), 2 * H) == sh(2026, 11, 25, 10)
    # Mon 17:00 + 4 h: 1 h Mon, 2 h Wed, then Thu 09:00–10:00.
    assert cal.add(sh(2026, 11, 23, 17), 4 * H) == sh(2026, 11, 26, 10)


def test_custom_weekly_hours():
    half_saturday = parse_periods("09:00-12:00")
    cal = Calendar(weekly={5: half_saturday, 2: parse_periods("08:30-12:00, 13:30-17:30")})
    assert cal.working_day_length(date(2026, 11, 28)) == 3 * H  # Saturday
    assert cal.working_day_length(date(2026, 11, 25)) == 7.5 * H  # Wednesday
    assert cal.normal_day_length() == 8 * H  # still the commonest pattern (Mon, Tue, Thu, Fri)
    assert cal.add(sh(2026, 11, 27, 17), 2 * H) == sh(2026, 11, 28, 10)
    # A make-up Sunday works a normal day, a make-up Saturday its own (Saturday) hours.
    assert Calendar(weekly={5: half_saturday}).working_day_length(date(2026, 9, 20)) == 8 * H
    assert Calendar(weekly={5: half_saturday}).working_day_length(date(2026, 10, 10)) == 3 * H


def test_a_calendar_without_any_working_hours_fails_loudly_instead_of_looping():
    cal = Calendar(weekly={wd: () for wd in range(7)}, official_years=[])
    with pytest.raises(CalendarError):
        cal.add(sh(2026, 11, 23, 9), H)


# --- working-hours text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["09:00-12:00, 13:00-18:00", "9:00-12:00，13:00-18:00", "13:00 - 18:00 09:00～12:00", "09：00至12：00;13:00-18:00"],
)
def test_working_hours_are_parsed_leniently_and_written_canonically(text):
    assert format_periods(parse_periods(text)) == "09:00-12:00, 13:00-18:00"


@pytest.mark.parametrize("text", ["9-12", "12:00-09:00", "09:00-12:00, 11:00-13:00", "25:00-26:00", "09:60-10:00", "23:00-24:30"])
def test_bad_working_hours_are_refused(text):
    with pytest.raises(InvalidPeriods):
        parse_periods(text)


def test_periods_may_end_at_midnight():
    cal = Calendar(weekly={wd: parse_periods("22:00-24:00") for wd in range(7)}, official_years=[])
    assert cal.add(sh(2026, 11, 23, 23), H) == sh(2026, 11, 24, 0)
    assert cal.add(sh(2026, 11, 23, 23), H + M) == sh(2026, 11, 24, 22, 1)
