"""Printable pages of carry-in repairs and the daily reports (function views, zh-hans, print CSS).

Every object comes through a selector scoped to the signed-in user (:mod:`tickets.carry_in_selectors`),
so a receipt, tag or report that is not yours to see is a 404 — never a 403 that confirms it exists.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.org.selectors import staff_of

from . import daily_reports
from .carry_in_selectors import (
    carry_ins_visible_to,
    register_visible_to,
    report_stations_visible_to,
    report_technicians_visible_to,
)
from .models import WorkOrder

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(book, filename: str) -> HttpResponse:
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    book.save(response)
    return response


@login_required
def receipt(request, pk: int):
    """客户商品领取收据 — the pickup receipt; stamped VOID once the unit went back."""
    carry = get_object_or_404(carry_ins_visible_to(request.user), pk=pk)
    return render(request, "tickets/carry_in/receipt.html", {"carry": carry, "order": carry.order})


@login_required
def repair_tag(request, pk: int):
    """修护卡 — the repair tag that follows the unit: times, repair, inspection, parts on the order."""
    carry = get_object_or_404(carry_ins_visible_to(request.user), pk=pk)
    parts = carry.order.parts.select_related("part").order_by("pk")
    steps = carry.order.steps.filter(
        kind__in=["carried_in", "repair_started", "repair_finished", "inspected", "inspection_failed",
                  "factory_return_requested", "factory_return_approved", "factory_return_rejected", "back_from_factory",
                  "collection_reminder", "to_be_shipped", "handed_back", "shipped"]
    ).select_related("actor")
    return render(request, "tickets/carry_in/repair_tag.html", {"carry": carry, "order": carry.order, "parts": parts, "steps": steps})


class RegisterFilter(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    station = forms.ModelChoiceField(label=gettext_lazy("Station"), queryset=None, required=False)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


def _day_bounds(day: date, tz) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()), tz)


@login_required
def goods_register(request):
    """客户商品进出登记簿 — goods in and out, filtered by dates (default: the last 30 days) and station."""
    from servicedesk.org.models import Station

    entries = register_visible_to(request.user)
    stations = Station.objects.filter(pk__in=entries.values("carry_in__order__ticket__station")).order_by("code")
    form = RegisterFilter(request.GET or None, stations=stations)
    today = timezone.localdate()
    date_from, date_to, station = today - timedelta(days=30), today, None
    if form.is_valid():
        date_from = form.cleaned_data["date_from"] or date_from
        date_to = form.cleaned_data["date_to"] or date_to
        station = form.cleaned_data["station"]
    tz = timezone.get_current_timezone()
    entries = entries.filter(at__gte=_day_bounds(date_from, tz), at__lt=_day_bounds(date_to + timedelta(days=1), tz))
    if station is not None:
        entries = entries.filter(carry_in__order__ticket__station=station)
    page = Paginator(entries.order_by("at", "pk"), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "tickets/carry_in/register.html", {
        "form": form, "page": page, "date_from": date_from, "date_to": date_to, "station": station, "query": query.urlencode(),
    })


# --- daily reports ------------------------------------------------------------------------------


def _day(request) -> date:
    raw = request.GET.get("day")
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Http404(_("Not a day: use YYYY-MM-DD.")) from None


@login_required
def technician_report(request):
    """技术员工作日报表 — the signed-in technician's own day, or (supervisors, heads, managers) anyone's."""
    visible = report_technicians_visible_to(request.user)
    raw = request.GET.get("technician")
    if raw:
        if not raw.isdigit():
            raise Http404
        technician = get_object_or_404(visible, pk=int(raw))
    else:
        me = staff_of(request.user)
        technician = get_object_or_404(visible, pk=getattr(me, "pk", None) or 0) if me else None
        if technician is None:
            raise Http404
    day = _day(request)
    report = daily_reports.technician_daily_report(technician=technician, day=day)
    if request.GET.get("format") == "xlsx":
        return _xlsx(daily_reports.technician_workbook(report), f"technician-daily-{technician.pk}-{day:%Y%m%d}.xlsx")
    labels = dict(WorkOrder.Category.choices)
    rows = [(c, labels[c], report.by_category[c]) for c in daily_reports.CATEGORIES]
    return render(request, "tickets/reports/technician_daily.html", {
        "report": report, "rows": rows, "technicians": visible, "day": day,
    })


@login_required
def supervisor_report(request):
    """服务主任日报表 — every technician of one station, for one day."""
    stations = report_stations_visible_to(request.user)
    raw = request.GET.get("station")
    if raw:
        if not raw.isdigit():
            raise Http404
        station = get_object_or_404(stations, pk=int(raw))
    else:
        me = staff_of(request.user)
        station = stations.filter(pk=getattr(me, "station_id", None)).first() or stations.first()
        if station is None:
            raise Http404
    day = _day(request)
    report = daily_reports.supervisor_daily_report(station=station, day=day)
    if request.GET.get("format") == "xlsx":
        return _xlsx(daily_reports.supervisor_workbook(report, station.name), f"supervisor-daily-{station.code}-{day:%Y%m%d}.xlsx")
    return render(request, "tickets/reports/supervisor_daily.html", {
        "report": report, "station": station, "stations": stations, "day": day, "categories": daily_reports.CATEGORIES,
    })
