"""Properties of the arithmetic over random starts and durations (hypothesis), via the public API."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicedesk.calendar import add_working_time, working_time_between
from servicedesk.calendar.engine import CALENDAR_TZ

PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# 2025–2027: two years with official holidays and make-up days, one without (the fallback).
moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31),
                       timezones=st.sampled_from([CALENDAR_TZ, UTC]))
# Lean on the round values deadlines use (and on lunch/closing boundaries), but allow any microsecond.
round_moments = st.builds(
    lambda d, minutes: datetime(d.year, d.month, d.day, tzinfo=CALENDAR_TZ) + timedelta(minutes=minutes),
    st.dates(min_value=datetime(2025, 1, 1).date(), max_value=datetime(2027, 12, 31).date()),
    st.sampled_from([0, 8 * 60 + 59, 9 * 60, 12 * 60, 12 * 60 + 30, 13 * 60, 18 * 60, 23 * 60 + 59])
    | st.integers(0, 24 * 60 - 1),
)
starts = moments | round_moments
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=3 * 5 * 8)) | st.builds(
    lambda m: timedelta(minutes=m), st.integers(0, 6 * 5 * 8 * 60)
)


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(start=starts, duration=durations)
def test_the_working_time_to_a_deadline_is_the_duration(start, duration):
    deadline = add_working_time(start, duration)
    assert deadline >= start
    assert working_time_between(start, deadline) == duration


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(start=starts, first=durations, second=durations)
def test_adding_in_two_steps_is_adding_the_sum(start, first, second):
    assert add_working_time(add_working_time(start, first), second) == add_working_time(start, first + second)


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(start=starts, first=durations, second=durations)
def test_a_longer_duration_never_gives_an_earlier_deadline(start, first, second):
    short, long = sorted((first, second))
    assert add_working_time(start, short) <= add_working_time(start, long)


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(a=starts, b=starts, duration=durations)
def test_a_later_start_never_gives_an_earlier_deadline(a, b, duration):
    early, late = sorted((a, b))
    assert add_working_time(early, duration) <= add_working_time(late, duration)


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(a=starts, b=starts, c=starts)
def test_working_time_is_additive_over_adjacent_intervals(a, b, c):
    a, b, c = sorted((a, b, c))
    total = working_time_between(a, c)
    assert total == working_time_between(a, b) + working_time_between(b, c)
    assert timedelta(0) <= total <= c - a
    assert working_time_between(c, a) == timedelta(0) or a == c
