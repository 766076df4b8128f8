"""The manager's dashboard: today and this month against the SPEC targets, breaches in progress,
callback quotas behind, and today's work orders by status — report data in a fixed number of queries.

Today's and the month's figures come from the same sources as the monthly statistics
(:mod:`reports.statistics`), each counted once with two conditional counts (today / month to date),
so a figure here and the same figure on the statistics page never disagree.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.org.models import Station
from tickets.models import SLATarget, TicketKind, WorkOrder
from visits.quotas import callback_quotas

from .selectors import local_bounds, month_start
from .statistics import (
    COMPLAINT_COUNTED,
    MONEY,
    RATING_FIELDS,
    SATISFIED_RATINGS,
    ZERO,
    Scope,
    _callbacks,
    _clocks,
    _completed,
    _money,
    _open_breaches,
    _revenue,
    _tickets,
    clock_state_q,
    drill,
    kpi,
    percent,
    targets,
)

BREACHES_SHOWN = 20


def _figures(scope: Scope, today: date) -> dict:
    start, end = local_bounds(today, today)

    def on(column: str) -> Q:
        return Q(**{f"{column}__gte": start, f"{column}__lt": end})

    counted = Q(kind=TicketKind.COMPLAINT, complaint_class__in=COMPLAINT_COUNTED)
    t = _tickets(scope).aggregate(
        month=Count("pk"), today=Count("pk", filter=on("registered_at")),
        complaints_month=Count("pk", filter=counted), complaints_today=Count("pk", filter=counted & on("registered_at")),
    )
    met, breached = clock_state_q("met", scope.now), clock_state_q("breached", scope.now)
    reg = on("ticket__registered_at")
    a = _clocks(scope).filter(target_code=SLATarget.ARRIVAL).aggregate(
        met_month=Count("pk", filter=met), breached_month=Count("pk", filter=breached),
        met_today=Count("pk", filter=met & reg), breached_today=Count("pk", filter=breached & reg),
    )
    answers = {}
    for name in RATING_FIELDS:
        good = Q(**{f"{name}__in": SATISFIED_RATINGS})
        answers[f"good_{name}_month"] = Count("pk", filter=good)
        answers[f"all_{name}_month"] = Count(name)
        answers[f"good_{name}_today"] = Count("pk", filter=good & on("done_at"))
        answers[f"all_{name}_today"] = Count(name, filter=on("done_at"))
    c = _callbacks(scope).aggregate(month=Count("pk"), today=Count("pk", filter=on("done_at")), **answers)
    o = _completed(scope).aggregate(month=Count("pk"), today=Count("pk", filter=on("completed_at")))
    r = _revenue(scope).aggregate(
        month=Coalesce(Sum("total_charge"), ZERO, output_field=MONEY),
        today=Coalesce(Sum("total_charge", filter=on("signed_at")), ZERO, output_field=MONEY),
    )
    goal = targets()
    out = {}
    for period in ("today", "month"):
        good = sum(c[f"good_{n}_{period}"] for n in RATING_FIELDS)
        total = sum(c[f"all_{n}_{period}"] for n in RATING_FIELDS)
        day = {"day": today.isoformat()} if period == "today" else {}
        out[period] = {
            "kpis": [
                kpi("timeliness", _("Timeliness (arrivals within the SLA)"),
                    percent(a[f"met_{period}"], a[f"met_{period}"] + a[f"breached_{period}"]), goal["timeliness"],
                    higher_is_better=True, link=drill("clocks", target=SLATarget.ARRIVAL, state="breached", **day)),
                kpi("satisfaction", _("Satisfaction (callback answers)"), percent(good, total), goal["satisfaction"],
                    higher_is_better=True, link=drill("callbacks", dissatisfied=1, **day)),
                kpi("complaint_rate", _("Complaint rate (valid and major complaints ÷ orders completed)"),
                    percent(t[f"complaints_{period}"], o[period]), goal["complaint_rate"], higher_is_better=False,
                    link=drill("tickets", counted_complaint=1, **day)),
            ],
            "figures": [
                {"key": "tickets", "label": _("Tickets registered"), "value": t[period], "drill": drill("tickets", **day)},
                {"key": "complaints", "label": _("Valid and major complaints"), "value": t[f"complaints_{period}"],
                 "drill": drill("tickets", counted_complaint=1, **day)},
                {"key": "completed", "label": _("Work orders completed"), "value": o[period], "drill": drill("completed", **day)},
                {"key": "callbacks", "label": _("Callbacks answered"), "value": c[period], "drill": drill("callbacks", **day)},
                {"key": "revenue", "label": _("Revenue billed (CNY)"), "value": _money(r[period]), "drill": drill("revenue", **day)},
            ],
        }
    return out


def manager_dashboard(*, station: Station | None = None, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    scope = Scope(month=month_start(today), station=station, now=now)
    data = {
        "today": today.isoformat(), "month": today.strftime("%Y-%m"), "generated_at": now.isoformat(),
        "station": {"id": station.pk, "name": station.name} if station else None, "targets": targets(),
    }
    data["periods"] = _figures(scope, today)

    breaches = _open_breaches(scope)
    by_target = {r["target_code"]: r["n"] for r in breaches.order_by().values("target_code").annotate(n=Count("pk"))}
    labels = dict(SLATarget.choices)
    shown = breaches.select_related("ticket", "ticket__customer", "ticket__station").order_by("due_at", "pk")[:BREACHES_SHOWN]
    data["breaches"] = {
        "total": sum(by_target.values()),
        "drill": drill("breaches"),
        "by_target": [
            {"target": code, "label": str(labels.get(code, code)), "count": n, "drill": drill("breaches", target=code)}
            for code, n in sorted(by_target.items(), key=lambda kv: -kv[1])
        ],
        "rows": [
            {"ticket": c.ticket.number, "ticket_id": c.ticket_id, "url": reverse("admin:tickets_ticket_change", args=[c.ticket_id]),
             "target": str(labels.get(c.target_code, c.target_code)), "customer": c.ticket.customer.name,
             "station": c.ticket.station.name, "due_at": timezone.localtime(c.due_at).strftime("%Y-%m-%d %H:%M") if c.due_at else "",
             "breached_at": timezone.localtime(c.breached_at).strftime("%Y-%m-%d %H:%M") if c.breached_at else ""}
            for c in shown
        ],
    }

    orders = WorkOrder.objects.filter(service_date=today)
    if station is not None:
        # technician's station: the filter the admin list offers, so the link shows exactly these orders
        orders = orders.filter(technician__station=station)
    counts = {r["status"]: r["n"] for r in orders.order_by().values("status").annotate(n=Count("pk"))}
    changelist = reverse("admin:tickets_workorder_changelist")
    data["orders_today"] = [
        {"status": code, "label": str(label), "count": counts.get(code, 0),
         "url": f"{changelist}?service_date={today.isoformat()}&status={code}"
         + (f"&technician__station__id__exact={station.pk}" if station else "")}
        for code, label in WorkOrder.Status.choices
        if counts.get(code)
    ]
    data["orders_today_total"] = sum(counts.values())

    data["quotas"] = _quotas_behind(today) if station is None else None
    return data


def _quotas_behind(today: date) -> dict:
    """The callback quotas (visits.quotas) that are not met this month, and the technicians behind."""
    q = callback_quotas(month=today, today=today)
    return {
        "url": reverse("visits:callback_quotas"),
        "behind": [
            {"key": m.key, "label": str(m.label), "done": m.done, "target": m.target, "percent": m.percent}
            for m in q.meters if not m.met
        ],
        "technicians_behind": [
            {"name": t["callbacks"].name, "station": t["callbacks"].station, "done": t["callbacks"].done,
             "target": t["callbacks"].target}
            for t in q.technicians if t["callbacks"].behind
        ],
    }
