"""The public API over the database-backed calendar, and its in-process cache."""

import threading
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from servicedesk.calendar import (
    add_working_time,
    explain_day,
    get_calendar,
    invalidate_calendar_cache,
    is_working_day,
    normal_day_length,
    working_day_length,
    working_days,
    working_periods,
    working_time_between,
)
from servicedesk.calendar.loader import fingerprint
from servicedesk.calendar.models import DateOverride, ManualScheduleYear, WeeklyHours

from .helpers import sh

H = timedelta(hours=1)


@pytest.mark.django_db
def test_the_migration_seeds_the_default_weekly_hours():
    rows = {row.weekday: row.periods for row in WeeklyHours.objects.all()}
    assert rows == {0: "09:00-12:00, 13:00-18:00", 1: "09:00-12:00, 13:00-18:00", 2: "09:00-12:00, 13:00-18:00",
                    3: "09:00-12:00, 13:00-18:00", 4: "09:00-12:00, 13:00-18:00", 5: "", 6: ""}


@pytest.mark.django_db
def test_the_public_api(django_assert_num_queries):
    invalidate_calendar_cache()
    with django_assert_num_queries(3):  # one load: weekly hours, overrides, manual years
        assert add_working_time(sh(2026, 11, 20, 17), 2 * H) == sh(2026, 11, 23, 10)
    with django_assert_num_queries(0):  # then from memory, whatever is asked
        assert working_time_between(sh(2026, 9, 30, 17), sh(2026, 10, 8, 10)) == 2 * H
        assert not is_working_day(date(2026, 10, 1))
        assert is_working_day(date(2026, 10, 10))
        assert working_day_length(date(2026, 11, 23)) == 8 * H
        assert normal_day_length() == 8 * H
        assert working_days(3) == 24 * H
        assert working_periods(date(2026, 11, 23)) == [(sh(2026, 11, 23, 9), sh(2026, 11, 23, 12)),
                                                       (sh(2026, 11, 23, 13), sh(2026, 11, 23, 18))]
        assert explain_day(date(2026, 10, 1)).kind == "holiday"
        for i in range(200):
            add_working_time(sh(2026, 1, 1) + timedelta(hours=7 * i), timedelta(minutes=37 * i))


@pytest.mark.django_db
def test_a_new_override_takes_effect_at_once_and_wins():
    assert is_working_day(date(2026, 11, 24))
    DateOverride.objects.create(date=date(2026, 11, 24), kind=DateOverride.Kind.DAY_OFF, note="公司年会")
    assert not is_working_day(date(2026, 11, 24))
    assert add_working_time(sh(2026, 11, 23, 17), 2 * H) == sh(2026, 11, 25, 10)

    DateOverride.objects.create(date=date(2026, 10, 5), kind=DateOverride.Kind.MAKE_UP_DAY)  # an official holiday
    assert is_working_day(date(2026, 10, 5))
    DateOverride.objects.create(date=date(2026, 11, 28), kind=DateOverride.Kind.CUSTOM_HOURS, periods="09:00-11:30")
    assert working_day_length(date(2026, 11, 28)) == 2.5 * H

    DateOverride.objects.filter(date=date(2026, 11, 24)).delete()
    assert is_working_day(date(2026, 11, 24))


@pytest.mark.django_db
def test_changed_weekly_hours_take_effect_at_once():
    saturday = WeeklyHours.objects.get(weekday=5)
    saturday.periods = "09:00-12:00"
    saturday.save()
    assert working_day_length(date(2026, 11, 28)) == 3 * H
    assert add_working_time(sh(2026, 11, 27, 17), 2 * H) == sh(2026, 11, 28, 10)


@pytest.mark.django_db
def test_a_rolled_back_change_is_forgotten():
    add_working_time(sh(2026, 11, 23, 9), H)  # a cached calendar exists
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            DateOverride.objects.create(date=date(2026, 11, 24), kind=DateOverride.Kind.DAY_OFF)
            assert not is_working_day(date(2026, 11, 24))  # the writer sees its own change
            raise RuntimeError("abort")
    assert is_working_day(date(2026, 11, 24))
    assert get_calendar() is get_calendar()  # cached again


@pytest.mark.django_db
def test_a_change_inside_the_test_transaction_is_not_cached_beyond_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        DateOverride.objects.create(date=date(2026, 12, 1), kind=DateOverride.Kind.DAY_OFF, note="leak probe")
    # The on_commit marker ran inside the test's transaction: nothing is committed, still pending.
    assert not is_working_day(date(2026, 12, 1))


@pytest.mark.django_db
def test_the_previous_tests_overrides_did_not_leak():
    # Runs after the tests above in this module: their overrides were rolled back with them.
    assert is_working_day(date(2026, 12, 1))
    assert is_working_day(date(2026, 11, 24))
    assert not is_working_day(date(2026, 10, 5))
    assert working_day_length(date(2026, 11, 28)) == timedelta(0)


@pytest.mark.django_db
def test_writes_that_bypass_signals_are_found_by_the_fingerprint(settings):
    add_working_time(sh(2026, 11, 23, 9), H)
    DateOverride.objects.bulk_create([DateOverride(date=date(2026, 11, 24), kind=DateOverride.Kind.DAY_OFF)])
    # Under tests the cache is never rechecked (one writer); bulk writes need an explicit invalidation …
    assert is_working_day(date(2026, 11, 24))
    # … while a long-running process compares the fingerprint every few seconds.
    settings.BUSINESS_CALENDAR_RECHECK_SECONDS = 0
    assert not is_working_day(date(2026, 11, 24))
    invalidate_calendar_cache()


@pytest.mark.django_db
def test_the_fingerprint_changes_with_every_kind_of_row():
    before = fingerprint()
    ManualScheduleYear.objects.create(year=2027)
    after_year = fingerprint()
    assert after_year != before
    DateOverride.objects.create(date=date(2027, 1, 1), kind=DateOverride.Kind.DAY_OFF)
    assert fingerprint() != after_year


@pytest.mark.django_db
def test_the_database_refuses_hours_that_do_not_match_the_kind():
    with pytest.raises(IntegrityError), transaction.atomic():
        DateOverride.objects.create(date=date(2026, 12, 2), kind=DateOverride.Kind.DAY_OFF, periods="09:00-10:00")
    with pytest.raises(IntegrityError), transaction.atomic():
        DateOverride.objects.create(date=date(2026, 12, 3), kind=DateOverride.Kind.CUSTOM_HOURS, periods="")


@pytest.mark.django_db
def test_a_flushed_weekly_table_falls_back_to_the_default_hours():
    WeeklyHours.objects.all().delete()
    assert working_day_length(date(2026, 11, 23)) == 8 * H
    assert not is_working_day(date(2026, 11, 22))


@pytest.mark.django_db(transaction=True)
def test_other_threads_see_a_change_only_once_it_is_committed():
    add_working_time(sh(2026, 11, 23, 9), H)
    seen = {}

    def look(label):
        try:
            seen[label] = is_working_day(date(2026, 11, 24))
        finally:
            connection.close()

    with transaction.atomic():
        DateOverride.objects.create(date=date(2026, 11, 24), kind=DateOverride.Kind.DAY_OFF)
        assert not is_working_day(date(2026, 11, 24))
        reader = threading.Thread(target=look, args=("during",))
        reader.start()
        reader.join()
    reader = threading.Thread(target=look, args=("after",))
    reader.start()
    reader.join()
    assert seen == {"during": True, "after": False}
    assert not is_working_day(date(2026, 11, 24))


@pytest.mark.django_db(transaction=True)
def test_a_flush_clears_the_cache():
    DateOverride.objects.create(date=date(2026, 11, 24), kind=DateOverride.Kind.DAY_OFF)
    assert not is_working_day(date(2026, 11, 24))
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert is_working_day(date(2026, 11, 24))
