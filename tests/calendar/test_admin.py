"""The calendar admin: weekly hours, date overrides, manually entered years."""

from datetime import date

import pytest
from django.test import Client

from servicedesk.calendar import is_working_day, working_day_length
from servicedesk.calendar.models import DateOverride, ManualScheduleYear, WeeklyHours
from tests.factories import UserFactory


@pytest.fixture
def admin_client_zh(db):
    user = UserFactory(username="p_root", is_superuser=True, is_staff=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["weeklyhours", "dateoverride", "manualscheduleyear"])
def test_the_admin_pages_open(admin_client_zh, model):
    DateOverride.objects.create(date=date(2026, 12, 31), kind=DateOverride.Kind.DAY_OFF, note="年终盘点")
    ManualScheduleYear.objects.create(year=2027)
    for url in (f"/admin/business_calendar/{model}/", f"/admin/business_calendar/{model}/add/"):
        response = admin_client_zh.get(url)
        assert response.status_code in (200, 403), url  # weekly hours: 7 rows exist, adding is refused


@pytest.mark.django_db
def test_the_override_list_filters_by_kind_and_year_and_searches_notes(admin_client_zh):
    DateOverride.objects.create(date=date(2026, 12, 31), kind=DateOverride.Kind.DAY_OFF, note="年终盘点")
    DateOverride.objects.create(date=date(2027, 1, 1), kind=DateOverride.Kind.DAY_OFF, note="元旦")
    DateOverride.objects.create(date=date(2027, 2, 6), kind=DateOverride.Kind.MAKE_UP_DAY, note="春节调休")
    page = admin_client_zh.get("/admin/business_calendar/dateoverride/", {"year": "2027"}).content.decode()
    assert "元旦" in page and "春节调休" in page and "年终盘点" not in page
    page = admin_client_zh.get("/admin/business_calendar/dateoverride/", {"kind__exact": "make_up_day"}).content.decode()
    assert "春节调休" in page and "元旦" not in page
    page = admin_client_zh.get("/admin/business_calendar/dateoverride/", {"q": "盘点"}).content.decode()
    assert "年终盘点" in page and "春节调休" not in page
    assert "补班" in page  # the kind filter in Chinese


@pytest.mark.django_db
def test_adding_custom_hours_in_the_admin_normalises_them_and_takes_effect(admin_client_zh):
    response = admin_client_zh.post(
        "/admin/business_calendar/dateoverride/add/",
        {"date": "2026-11-28", "kind": "custom_hours", "periods": "9:00 - 12:00", "note": "盘点加班"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DateOverride.objects.get(date=date(2026, 11, 28)).periods == "09:00-12:00"
    assert working_day_length(date(2026, 11, 28)).total_seconds() == 3 * 3600


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "periods"),
    [("custom_hours", ""), ("custom_hours", "12:00-09:00"), ("day_off", "09:00-12:00"), ("custom_hours", "9点到12点")],
)
def test_the_admin_refuses_hours_that_do_not_fit(admin_client_zh, kind, periods):
    response = admin_client_zh.post(
        "/admin/business_calendar/dateoverride/add/", {"date": "2026-11-28", "kind": kind, "periods": periods}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not DateOverride.objects.exists()


@pytest.mark.django_db
def test_the_whole_week_is_edited_on_one_page(admin_client_zh):
    rows = list(WeeklyHours.objects.order_by("weekday"))
    data = {
        "form-TOTAL_FORMS": "7", "form-INITIAL_FORMS": "7", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000",
        "_save": "保存",
    }
    for i, row in enumerate(rows):
        data[f"form-{i}-id"] = str(row.pk)
        data[f"form-{i}-periods"] = "09:00-12:00" if row.weekday == 5 else row.periods
    response = admin_client_zh.post("/admin/business_calendar/weeklyhours/", data)
    assert response.status_code == 302
    assert not is_working_day(date(2026, 10, 3))  # a holiday Saturday stays off
    assert working_day_length(date(2026, 11, 28)).total_seconds() == 3 * 3600
    assert admin_client_zh.get(f"/admin/business_calendar/weeklyhours/{rows[0].pk}/delete/").status_code == 403
