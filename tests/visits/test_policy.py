"""Month arithmetic of renewals and the pace of a month — pure functions, no database."""

from datetime import date, timedelta

import pytest

from visits import policy


@pytest.mark.parametrize(
    ("end_date", "due"),
    [
        (date(2026, 3, 31), date(2026, 2, 28)),  # no 31 February: the last day of the month
        (date(2026, 3, 30), date(2026, 2, 28)),
        (date(2026, 3, 29), date(2026, 2, 28)),
        (date(2026, 3, 28), date(2026, 2, 28)),
        (date(2028, 3, 31), date(2028, 2, 29)),  # leap year
        (date(2028, 3, 29), date(2028, 2, 29)),
        (date(2026, 5, 31), date(2026, 4, 30)),
        (date(2026, 1, 15), date(2025, 12, 15)),  # across the new year
        (date(2026, 12, 31), date(2026, 11, 30)),
        (date(2026, 7, 1), date(2026, 6, 1)),
    ],
)
def test_renewal_notice_is_due_one_calendar_month_before_the_end_clamped_at_month_ends(end_date, due):
    assert policy.renewal_due_date(end_date, months=1) == due


def test_a_longer_notice_period_counts_whole_months():
    assert policy.renewal_due_date(date(2026, 8, 31), months=6) == date(2026, 2, 28)
    assert policy.renewal_due_date(date(2026, 8, 31), months=12) == date(2025, 8, 31)


@pytest.mark.parametrize("months", [0, 1, 2, 3, 12])
def test_the_window_end_is_exactly_the_last_end_date_whose_notice_is_due(months):
    """``end_date <= renewal_window_end(today)`` ⇔ ``renewal_due_date(end_date) <= today``, every day of two years."""
    start = date(2027, 12, 1)
    for offset in range(800):
        today = start + timedelta(days=offset)
        window_end = policy.renewal_window_end(today, months=months)
        assert policy.renewal_due_date(window_end, months=months) <= today, today
        assert policy.renewal_due_date(window_end + timedelta(days=1), months=months) > today, today


def test_the_home_pages_window_covers_every_contract_whose_notice_is_due(settings):
    # reports.homes lists contracts ending within RENEWAL_NOTICE_DAYS: never fewer than the due ones.
    start = date(2026, 1, 1)
    for offset in range(400):
        today = start + timedelta(days=offset)
        assert policy.renewal_window_end(today, months=settings.RENEWAL_NOTICE_MONTHS) <= today + timedelta(
            days=policy.RENEWAL_NOTICE_DAYS
        )


def test_reports_read_the_notice_period_from_visits():
    from reports.homes import selectors as homes

    assert homes.RENEWAL_NOTICE_DAYS is policy.RENEWAL_NOTICE_DAYS


@pytest.mark.parametrize(
    ("value", "month"),
    [("2026-11", date(2026, 11, 1)), ("2026-02-17", date(2026, 2, 1)), (" 2027-01 ", date(2027, 1, 1))],
)
def test_months_are_parsed_to_their_first_day(value, month):
    assert policy.parse_month(value) == month


@pytest.mark.parametrize("value", ["", "2026-13", "11/2026", "abc", "2026-1"])
def test_a_bad_month_is_refused(value):
    with pytest.raises(ValueError):
        policy.parse_month(value)


def test_pace_counts_working_days_of_the_month():
    weekdays = lambda d: d.weekday() < 5  # noqa: E731
    # November 2026: 21 weekdays; by Friday the 13th, 10 of them have begun.
    share = policy.working_share_elapsed(date(2026, 11, 1), date(2026, 11, 13), weekdays)
    assert share == pytest.approx(10 / 21)
    assert policy.expected_by_now(15, share) == 7
    assert policy.expected_by_now(45, share) == 21
    assert policy.working_share_elapsed(date(2026, 11, 1), date(2026, 10, 31), weekdays) == 0
    assert policy.working_share_elapsed(date(2026, 11, 1), date(2026, 12, 1), weekdays) == 1
    assert policy.expected_by_now(15, 1.0) == 15
