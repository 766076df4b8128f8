"""Warnings about coming years without an official holiday schedule: system check, banner, task."""

from datetime import date

import pytest
from django.core import checks

from servicedesk.calendar.coverage import calendar_banners, uncovered_years
from servicedesk.calendar.models import ManualScheduleYear
from servicedesk.calendar.tasks import check_calendar_coverage_task
from servicedesk.core import banners
from servicedesk.core.models import JobHeartbeat
from servicedesk.notifications.models import Notification
from servicedesk.org.models import Role
from tests.factories import UserFactory


@pytest.fixture
def late_2026(monkeypatch):
    """Pretend it is late November 2026: this year is covered by the package, the next is not."""
    monkeypatch.setattr("servicedesk.calendar.coverage.timezone.localdate", lambda *a, **k: date(2026, 11, 22))


@pytest.fixture
def mid_2025(monkeypatch):
    monkeypatch.setattr("servicedesk.calendar.coverage.timezone.localdate", lambda *a, **k: date(2025, 6, 1))


@pytest.fixture
def admins(db):
    root = UserFactory(username="p_root", is_superuser=True, is_staff=True)
    admin = UserFactory(username="p_admin", roles=[Role.ADMIN])
    return [root, admin]


def _coverage_warnings():
    return [m for m in checks.run_checks() if m.id == "business_calendar.W001"]


@pytest.mark.django_db
def test_the_next_year_without_data_is_uncovered(late_2026):
    assert uncovered_years() == [2027]
    assert uncovered_years(today=date(2025, 12, 31)) == []
    assert uncovered_years(today=date(2027, 3, 1)) == [2027, 2028]


@pytest.mark.django_db
def test_the_system_check_warns_until_the_year_is_entered(late_2026):
    [warning] = _coverage_warnings()
    assert warning.level == checks.WARNING
    assert "2027" in warning.msg
    assert warning.hint
    ManualScheduleYear.objects.create(year=2027, note="国办发明电〔2026〕")
    assert _coverage_warnings() == []


@pytest.mark.django_db
def test_no_warning_when_both_years_are_covered(mid_2025):
    assert _coverage_warnings() == []
    assert calendar_banners() == []


@pytest.mark.django_db
def test_the_banner_is_shown_to_admins_only(late_2026, admins, technician):
    assert calendar_banners in banners._providers  # registered by the app's ready()
    [(level, message)] = calendar_banners()
    assert level == "warning" and "2027" in message
    assert any("2027" in text for _level, text in banners.banners_for(admins[0]))
    assert banners.banners_for(technician.user) == []
    ManualScheduleYear.objects.create(year=2027)
    assert calendar_banners() == []


@pytest.mark.django_db
def test_the_task_notifies_each_admin_once_per_missing_year(late_2026, admins, technician):
    assert check_calendar_coverage_task() == [2027]
    assert check_calendar_coverage_task() == [2027]  # the daily rerun repeats nothing
    notes = Notification.objects.filter(kind="calendar_coverage")
    assert sorted(n.recipient.username for n in notes) == ["p_admin", "p_root"]
    note = notes.first()
    assert "2027" in note.title and note.key == "calendar-coverage:2027"
    assert note.url == "/admin/business_calendar/manualscheduleyear/"
    heartbeat = JobHeartbeat.objects.get(name="calendar-coverage")
    assert heartbeat.runs == 2 and heartbeat.last_error == ""

    ManualScheduleYear.objects.create(year=2027)
    assert check_calendar_coverage_task() == []
    assert Notification.objects.filter(kind="calendar_coverage").count() == 2


@pytest.mark.django_db
def test_the_notification_is_written_in_the_site_language(late_2026, admins):
    check_calendar_coverage_task()
    note = Notification.objects.filter(kind="calendar_coverage").first()
    assert "2027" in note.title
    assert "工作日历" in note.title or "节假日" in note.title
