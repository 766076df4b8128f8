"""The monthly statistics page (客户服务信息统计分析汇总表), its drill-down lists, its Excel file, and
the manager's dashboard: access → form → report data (:mod:`reports.statistics`) → template."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.core.reports_db import read_from_reports_database
from servicedesk.org.models import Station

from . import charts, dashboard, statistics, statistics_xlsx
from .access import department_wide, statistics_station, statistics_stations
from .exceptions import DomainError
from .selectors import month_start
from .services.finance import parse_month
from .xlsx import XLSX_CONTENT_TYPE


class StatisticsFilter(forms.Form):
    month = forms.CharField(label=gettext_lazy("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    station = forms.ModelChoiceField(label=gettext_lazy("Service station"), required=False, queryset=Station.objects.none(),
                                     empty_label=gettext_lazy("Whole department"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = statistics_stations(user)
        if not department_wide(user):
            self.fields["station"].empty_label = None


def _month(raw) -> object:
    if not raw:
        return month_start(timezone.localdate())
    try:
        return parse_month(raw)
    except DomainError:
        raise Http404(_("Choose a month as YYYY-MM.")) from None


def _scope(request) -> tuple[object, Station | None]:
    """Month and station from the query string, checked against what the user may see (403/404)."""
    station = statistics_station(request.user, request.GET.get("station") or "")
    return _month(request.GET.get("month")), station


def with_urls(report: dict, base_query: dict) -> dict:
    """Give every figure's drill-down a URL to its list (the page's month and station + the figure's filter)."""
    from urllib.parse import urlencode

    def walk(node):
        if isinstance(node, dict):
            if set(node) >= {"source", "params"} and isinstance(node.get("params"), dict):
                node["url"] = reverse("reports:statistics_records", args=[node["source"]]) + "?" + urlencode(
                    {**base_query, **node["params"]}
                )
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(report)
    return report


def report_for(request, month, station) -> dict:
    report = statistics.monthly_statistics(month=month, station=station)
    query = {"month": month.strftime("%Y-%m")}
    if station is not None:
        query["station"] = str(station.pk)
    return with_urls(report, query)


def _charts(report: dict) -> dict:
    t, s, trend = report["tickets"], report["satisfaction"], report["trends"]["months"]
    labels = [m["month"][2:] for m in trend]
    goal = report["targets"]
    return {
        "channel": charts.bar_chart([(r["label"], r["count"]) for r in t["by_channel"]], title=_("Tickets by channel")),
        "kind": charts.bar_chart([(r["label"], r["count"]) for r in t["by_kind"]], title=_("Tickets by kind")),
        "sla": charts.bar_chart([(r["label"], r["attainment"]) for r in report["sla"]], title=_("SLA attainment"), unit="%"),
        "satisfaction": charts.stacked_bar(
            [(d["label"], [lv["count"] for lv in d["levels"]]) for d in s["dimensions"]],
            series=[lv["label"] for lv in s["dimensions"][0]["levels"]], title=_("Satisfaction by question"),
        ),
        "revenue": charts.bar_chart([(r["label"], r["amount"]) for r in report["revenue"]["by_category"]], title=_("Revenue by category")),
        "trend_tickets": charts.line_chart(labels, [m["tickets"] for m in trend], title=_("Tickets per month"), bars=True),
        "trend_revenue": charts.line_chart(labels, [m["revenue"] for m in trend], title=_("Revenue per month (CNY)"), bars=True,
                                           colour=charts.PALETTE[2]),
        "trend_satisfaction": charts.line_chart(labels, [m["satisfaction"] for m in trend], title=_("Satisfaction rate"),
                                                unit="%", target=goal["satisfaction"], colour=charts.PALETTE[1]),
        "trend_timeliness": charts.line_chart(labels, [m["timeliness"] for m in trend], title=_("Timeliness"), unit="%",
                                              target=goal["timeliness"], colour=charts.PALETTE[4]),
    }


@login_required
@read_from_reports_database
def statistics_page(request):
    month, station = _scope(request)
    form = StatisticsFilter(request.GET or None, user=request.user,
                            initial={"month": month.strftime("%Y-%m"), "station": station})
    report = report_for(request, month, station)
    query = request.GET.copy()
    return render(request, "reports/statistics.html", {
        "form": form, "report": report, "charts": _charts(report), "month": month, "station": station,
        "filter_query": query.urlencode(),
    })


def _admin_url(name: str, pk) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _local(value, fmt="%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


# The drill-down lists: the related rows each needs, its columns, and a row of one record.
LISTS = {
    "tickets": (
        ("customer", "station", "unit__product_line"),
        [gettext_lazy("Number"), gettext_lazy("Registered at"), gettext_lazy("Channel"), gettext_lazy("Kind"),
         gettext_lazy("Zone"), gettext_lazy("Product line"), gettext_lazy("Customer"), gettext_lazy("Service station"),
         gettext_lazy("Status"), gettext_lazy("Complaint classification")],
        lambda t: ([t.number, _admin_url("admin:tickets_ticket_change", t.pk)], _local(t.registered_at), t.get_channel_display(),
                   t.get_kind_display(), t.get_zone_display(), t.unit.product_line.name if t.unit_id else "", t.customer.name,
                   t.station.name, t.get_status_display(), t.get_complaint_class_display() if t.kind == "complaint" else ""),
    ),
    "clocks": (
        ("ticket", "ticket__station"),
        [gettext_lazy("Ticket"), gettext_lazy("Target"), gettext_lazy("Started at"), gettext_lazy("Due at"),
         gettext_lazy("Stopped at"), gettext_lazy("Breached at"), gettext_lazy("Service station")],
        lambda c: ([c.ticket.number, _admin_url("admin:tickets_ticket_change", c.ticket_id)], c.get_target_display(),
                   _local(c.started_at), _local(c.due_at), _local(c.stopped_at), _local(c.breached_at), c.ticket.station.name),
    ),
    "callbacks": (
        ("ticket", "customer", "technician"),
        [gettext_lazy("Finished at"), gettext_lazy("Ticket"), gettext_lazy("Customer"), gettext_lazy("Technician"),
         gettext_lazy("Service attitude"), gettext_lazy("Technical skill"), gettext_lazy("Arrival time"),
         gettext_lazy("Keeping promises"), gettext_lazy("Comments")],
        lambda c: ([_local(c.done_at), _admin_url("admin:visits_callback_change", c.pk)], c.ticket.number, c.customer.name,
                   c.technician.name if c.technician_id else "", c.get_rating_attitude_display(), c.get_rating_skill_display(),
                   c.get_rating_arrival_display(), c.get_rating_promise_display(), c.comments),
    ),
    "completed": (
        ("customer", "technician", "ticket__station"),
        [gettext_lazy("Number"), gettext_lazy("Completed at"), gettext_lazy("Category"), gettext_lazy("Responsibility"),
         gettext_lazy("Customer"), gettext_lazy("Technician"), gettext_lazy("Service station"), gettext_lazy("Amount (CNY)")],
        lambda o: ([o.number, _admin_url("admin:tickets_workorder_change", o.pk)], _local(o.completed_at), o.get_category_display(),
                   o.get_responsibility_display(), o.customer.name, o.technician.name, o.ticket.station.name, o.total_charge),
    ),
    "revenue": (
        ("customer", "technician", "ticket__station"),
        [gettext_lazy("Number"), gettext_lazy("Signed at"), gettext_lazy("Category"), gettext_lazy("Payment"),
         gettext_lazy("Customer"), gettext_lazy("Technician"), gettext_lazy("Service station"), gettext_lazy("Amount (CNY)")],
        lambda o: ([o.number, _admin_url("admin:tickets_workorder_change", o.pk)], _local(o.signed_at), o.get_category_display(),
                   o.get_payment_method_display(), o.customer.name, o.technician.name, o.ticket.station.name, o.total_charge),
    ),
    "parts": (
        ("part", "from_location"),
        [gettext_lazy("Posted at"), gettext_lazy("Part number"), gettext_lazy("Part name"), gettext_lazy("Quantity"),
         gettext_lazy("Unit price (CNY)"), gettext_lazy("Value (CNY)"), gettext_lazy("Taken from"), gettext_lazy("Reference")],
        lambda m: ([_local(m.posted_at), ""], m.part.number, m.part.name, m.qty, m.part.price,
                   (m.qty * m.part.price).quantize(m.part.price), m.from_location.name if m.from_location_id else "", m.reference),
    ),
}


LISTS["breaches"] = LISTS["clocks"]


@login_required
@read_from_reports_database
def statistics_records(request, source: str):
    """The records behind one figure, filtered exactly as it was counted."""
    if source not in LISTS:
        raise Http404
    month, station = _scope(request)
    day = None
    if request.GET.get("day"):
        try:
            day = date.fromisoformat(request.GET["day"])
        except ValueError:
            raise Http404(_("Choose a day as YYYY-MM-DD.")) from None
        month = month_start(day)
    scope = statistics.Scope(month=month, station=station, day=day)
    params = {k: v for k, v in request.GET.items() if k not in ("month", "station", "page", "day")}
    try:
        qs = statistics.records(source, scope, params)
    except statistics.BadFilter as exc:
        raise Http404(_("Unknown filter: %(name)s") % {"name": exc}) from None
    related, headers, row = LISTS[source]
    qs = qs.select_related(*related).order_by("-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    back = request.GET.copy()
    back["month"] = month.strftime("%Y-%m")
    for key in list(back):
        if key not in ("month", "station"):
            back.pop(key)
    return render(request, "reports/statistics_records.html", {
        "source": statistics.SOURCES[source], "page": page, "headers": headers,
        "rows": [row(obj) for obj in page.object_list], "month": month, "station": station, "day": day,
        "filters": params, "filter_query": query.urlencode(), "back_query": back.urlencode(),
    })


@login_required
@read_from_reports_database
def statistics_export(request):
    month, station = _scope(request)
    report = statistics.monthly_statistics(month=month, station=station)
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    filename = statistics_xlsx.filename(report)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    statistics_xlsx.write_report(response, report)
    return response


@login_required
@read_from_reports_database
def dashboard_page(request):
    station = statistics_station(request.user, request.GET.get("station") or "")
    data = dashboard.manager_dashboard(station=station)
    base = {"station": str(station.pk)} if station else {}
    with_urls(data, {"month": data["month"], **base})
    return render(request, "reports/dashboard.html", {"data": data, "station": station,
                                                      "stations": statistics_stations(request.user)})
