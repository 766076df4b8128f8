"""Fixtures of the weekly-backup tests: a department with a manager, a second department, uploads.

The week of 2026-09-28 is the holiday week used throughout: 1–7 October 2026 are National Day
holidays (chinesecalendar), so its backup is due Wednesday 30 September 18:00.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from appraisal import services
from appraisal.models import BackupRules
from servicedesk.org.models import Role
from tests.factories import DepartmentFactory, StaffFactory, StationFactory, UserFactory

SH = ZoneInfo("Asia/Shanghai")
HOLIDAY_WEEK = date(2026, 9, 28)
HOLIDAY_WEEK_DUE = datetime(2026, 9, 30, 18, 0, tzinfo=SH)


def at(*args) -> datetime:
    """An Asia/Shanghai moment: at(2026, 10, 5, 10) → 2026-10-05 10:00 +08:00."""
    return datetime(*args, tzinfo=SH)


def zip_bytes(text: str = "客户清单") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # A fixed time stamp: the same text gives the same bytes whenever it is built (a test that
        # compares a download with a fresh zip_bytes() would otherwise fail across a second's tick).
        archive.writestr(zipfile.ZipInfo("data.txt", date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def upload(name: str = "backup.zip", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, zip_bytes() if content is None else content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded backups go to a temporary storage root, never into the repository's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def rules(db):
    return BackupRules.current()


@pytest.fixture
def department(station_a, manager):
    dept = station_a.department
    dept.manager = manager.user
    dept.save(update_fields=["manager"])
    return dept


@pytest.fixture
def supervised_technician(technician, supervisor):
    technician.supervisor = supervisor
    technician.save(update_fields=["supervisor"])
    return technician


@pytest.fixture
def north(db):
    """A second department (华北) with its own station, manager and technician."""
    boss = StaffFactory(user=UserFactory(username="p_manager_north", roles=[Role.MANAGER]), station=None, name="北区经理")
    dept = DepartmentFactory(code="HB", name="华北区售后服务部", manager=boss.user)
    station = StationFactory(code="BJ1", name="北京服务站", department=dept, province="北京市")
    tech = StaffFactory(user=UserFactory(username="p_tech_north", roles=[Role.TECHNICIAN]), station=station, name="北区技师")
    return {"department": dept, "manager": boss, "station": station, "technician": tech}


@pytest.fixture
def submit():
    """submit(staff, week, now, file=…, note=…) through the service, as the owner."""

    def do(staff, week=HOLIDAY_WEEK, now=None, *, file=None, note=""):
        if file is None and not note:
            file = upload()
        return services.submit_backup(
            staff=staff, week_start=week, actor=staff.user, upload=file, note=note, now=now or at(2026, 9, 29, 15)
        )

    return do
