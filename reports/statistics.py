"""客户服务信息统计分析汇总表 — the monthly statistics of the department or one station, as report data.

Everything is counted in the database (GROUP BY with ``Count``/``Sum`` and ``filter=Q``), in a fixed
number of queries whatever the size of the month; nothing here loads records into Python except
the few rows a table shows (top N, the latest comments).

Every figure is built from one of the **sources** below — a base queryset for the month and the
station, plus named filters — and every figure carries the filter that selects its records. The
drill-down page (:func:`records`) applies the same base and the same filter, so the list behind a
number is exactly the rows that were counted.

Definitions (where SPEC §10 names a figure but not its rule):

* tickets, SLA clocks and complaints belong to the month their **ticket was registered** in, and to
  the ticket's station;
* a clock is **met** when stopped on time, **breached** when stopped late, marked breached by the
  sweep, or running past its deadline now; otherwise **running** (paused ones too); cancelled
  clocks do not count. Attainment = met ÷ (met + breached);
* **timeliness** = attainment of the arrival target (SPEC §9: arrivals within the SLA);
* **satisfaction** counts the callbacks **done** (answered) in the month, by the station of their
  ticket; the rate = answers "very satisfied" or "satisfied" ÷ all answers of the four questions;
* **complaint rate** = valid and major complaints registered in the month ÷ work orders completed
  in the month;
* **revenue** = the billing sheet's orders (signed in the month, something to charge, a corrected
  order counted once through its correction), by category and payment method;
* **parts consumed** = stock moves "use on work order" out of the station's locations posted in the
  month and not reversed, valued at the catalogue price.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.org.models import ProductLine, Staff, Station, Zone
from spares.models import StockMove
from tickets.models import SLAClock, SLATarget, Ticket, TicketChannel, TicketKind, WorkOrder
from visits.models import RATING_FIELDS, Callback, Rating

from .selectors import billable_between, billable_orders, local_bounds, month_end, month_start

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
VALUE = DecimalField(max_digits=20, decimal_places=5)
NONE = "none"  # the drill-down value of "not set" (a ticket without a unit has no product line)
TOP_N = 10
TREND_MONTHS = 12

COMPLAINT_COUNTED = ("valid", "major")
SATISFIED_RATINGS = (Rating.VERY_SATISFIED, Rating.SATISFIED)
DIMENSION_LABELS = {
    "rating_attitude": gettext_lazy("Service attitude"),
    "rating_skill": gettext_lazy("Technical skill"),
    "rating_arrival": gettext_lazy("Arrival time"),
    "rating_promise": gettext_lazy("Keeping promises"),
}
STATE_LABELS = {"met": gettext_lazy("Met"), "breached": gettext_lazy("Breached"), "running": gettext_lazy("Running")}


def targets() -> dict[str, int]:
    """The SPEC §9 targets, configured once in settings (percent)."""
    return {
        "timeliness": settings.REPORT_TARGET_TIMELINESS_PERCENT,
        "satisfaction": settings.REPORT_TARGET_SATISFACTION_PERCENT,
        "complaint_rate": settings.REPORT_TARGET_COMPLAINT_RATE_PERCENT,
    }


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent with one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return round(100.0 * part / whole, 1)


# --- clock states (shared by the counts and the drill-down) ------------------------------------


def clock_state_q(state: str, now: datetime, prefix: str = "") -> Q:
    p = prefix
    stopped = Q(**{f"{p}stopped_at__isnull": False})
    late = Q(**{f"{p}breached_at__isnull": False}) | Q(**{f"{p}due_at__isnull": False, f"{p}stopped_at__gt": F(f"{p}due_at")})
    open_breached = Q(**{f"{p}breached_at__isnull": False}) | Q(
        **{f"{p}running_since__isnull": False, f"{p}due_at__lte": now}
    )
    if state == "met":
        return stopped & ~late
    if state == "breached":
        return (stopped & late) | (~stopped & open_breached)
    if state == "running":
        return ~stopped & ~open_breached
    raise ValueError(state)


def _dissatisfied_q(prefix: str = "") -> Q:
    q = Q()
    for name in RATING_FIELDS:
        q |= Q(**{f"{prefix}{name}": Rating.DISSATISFIED})
    return q


# --- sources: the month's records and their named filters --------------------------------------


@dataclass(frozen=True)
class Scope:
    month: date
    station: Station | None = None
    now: datetime = field(default_factory=timezone.now)
    day: date | None = None  # one day of the month instead of the whole month (the dashboard's "today")

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        if self.day is not None:
            return local_bounds(self.day, self.day)
        return local_bounds(month_start(self.month), month_end(month_start(self.month)))


def _lookup(field_name: str, *, nullable: bool = False) -> Callable[[str, Scope], Q]:
    """A filter on one column; ``none`` means NULL (a foreign key) or empty text."""

    def make(value: str, scope: Scope) -> Q:
        if value == NONE:
            return Q(**{f"{field_name}__isnull": True}) if nullable else Q(**{field_name: ""})
        return Q(**{field_name: value})

    return make


@dataclass(frozen=True)
class Source:
    name: str
    label: object
    base: Callable[[Scope], QuerySet]
    filters: dict[str, Callable[[str, Scope], Q]]


def _tickets(scope: Scope) -> QuerySet[Ticket]:
    start, end = scope.bounds
    qs = Ticket.objects.filter(registered_at__gte=start, registered_at__lt=end)
    return qs.filter(station=scope.station) if scope.station else qs


def _clocks(scope: Scope) -> QuerySet[SLAClock]:
    start, end = scope.bounds
    qs = SLAClock.objects.filter(ticket__registered_at__gte=start, ticket__registered_at__lt=end, cancelled=False)
    return qs.filter(ticket__station=scope.station) if scope.station else qs


def _callbacks(scope: Scope) -> QuerySet[Callback]:
    start, end = scope.bounds
    qs = Callback.objects.filter(status=Callback.Status.DONE, done_at__gte=start, done_at__lt=end)
    return qs.filter(ticket__station=scope.station) if scope.station else qs


def _completed(scope: Scope) -> QuerySet[WorkOrder]:
    start, end = scope.bounds
    qs = WorkOrder.objects.filter(completed_at__gte=start, completed_at__lt=end)
    return qs.filter(ticket__station=scope.station) if scope.station else qs


def _revenue(scope: Scope) -> QuerySet[WorkOrder]:
    return billable_orders(month=scope.month, station=scope.station)


def _parts(scope: Scope) -> QuerySet[StockMove]:
    start, end = scope.bounds
    qs = StockMove.objects.filter(kind=StockMove.Kind.USE, posted_at__gte=start, posted_at__lt=end, reversed_by__isnull=True)
    return qs.filter(from_location__station=scope.station) if scope.station else qs


def _open_breaches(scope: Scope) -> QuerySet[SLAClock]:
    """Clocks breached and still running now, whatever month their ticket came in."""
    qs = SLAClock.objects.filter(cancelled=False).filter(clock_state_q("breached", scope.now)).filter(stopped_at__isnull=True)
    return qs.filter(ticket__station=scope.station) if scope.station else qs


def _rating_filter(name: str):
    def make(value: str, scope: Scope) -> Q:
        if value not in {str(v) for v in Rating.values}:
            raise ValueError(value)
        return Q(**{name: int(value)})

    return make


def _state_filter(value: str, scope: Scope) -> Q:
    return clock_state_q(value, scope.now)


def _flag(q: Q):
    def make(value: str, scope: Scope) -> Q:
        return q if value == "1" else ~q

    return make


SOURCES: dict[str, Source] = {
    "tickets": Source("tickets", gettext_lazy("Tickets"), _tickets, {
        "channel": _lookup("channel"), "kind": _lookup("kind"), "zone": _lookup("zone"),
        "product_line": _lookup("unit__product_line", nullable=True), "complaint_class": _lookup("complaint_class"),
        "counted_complaint": _flag(Q(kind=TicketKind.COMPLAINT, complaint_class__in=COMPLAINT_COUNTED)),
    }),
    "clocks": Source("clocks", gettext_lazy("SLA clocks"), _clocks, {
        "target": _lookup("target_code"), "state": _state_filter,
    }),
    "callbacks": Source("callbacks", gettext_lazy("Callbacks"), _callbacks, {
        **{name: _rating_filter(name) for name in RATING_FIELDS},
        "technician": _lookup("technician", nullable=True), "product_line": _lookup("ticket__unit__product_line", nullable=True),
        "dissatisfied": _flag(_dissatisfied_q()),
    }),
    "breaches": Source("breaches", gettext_lazy("Breaches in progress"), _open_breaches, {"target": _lookup("target_code")}),
    "completed": Source("completed", gettext_lazy("Work orders completed"), _completed, {
        "responsibility": _lookup("responsibility"), "technician": _lookup("technician"), "category": _lookup("category"),
    }),
    "revenue": Source("revenue", gettext_lazy("Billed work orders"), _revenue, {
        "category": _lookup("category"), "payment_method": _lookup("payment_method"), "technician": _lookup("technician"),
    }),
    "parts": Source("parts", gettext_lazy("Parts used"), _parts, {"part": _lookup("part", nullable=True)}),
}


class BadFilter(ValueError):
    pass


def records(source: str, scope: Scope, params: dict[str, str]) -> QuerySet:
    """The records behind a figure: the source's month and station, and the figure's filters."""
    try:
        src = SOURCES[source]
    except KeyError:
        raise BadFilter(source) from None
    qs = src.base(scope)
    for key, value in params.items():
        if key not in src.filters:
            continue
        try:
            qs = qs.filter(src.filters[key](value, scope))
        except (ValueError, TypeError):
            raise BadFilter(key) from None
    return qs


def drill(source: str, **params) -> dict:
    """What a figure links to: the source and its filters (the page adds month and station)."""
    return {"source": source, "params": {k: str(v) for k, v in params.items()}}


# --- the report --------------------------------------------------------------------------------


def _key(value) -> str:
    return NONE if value in (None, "") else str(value)


def _rows(pairs, counts: dict, source: str, param: str, *, keep_empty: bool = True) -> list[dict]:
    out = []
    for code, label in pairs:
        n = counts.get(_key(code), 0)
        if n or keep_empty:
            out.append({"code": _key(code), "label": str(label), "count": n, "drill": drill(source, **{param: _key(code)})})
    for code, n in counts.items():  # values no longer in the choices still add up
        if code not in {_key(c) for c, _l in pairs}:
            out.append({"code": code, "label": code, "count": n, "drill": drill(source, **{param: code})})
    return out


def _grouped(qs: QuerySet, column: str, **aggregates) -> dict:
    return {_key(row[column]): row for row in qs.order_by().values(column).annotate(**aggregates)}


def _money(value) -> str:
    return str((value or ZERO).quantize(Decimal("0.01")))


def _qty(value) -> str:
    return format((value or Decimal(0)).normalize(), "f")


def monthly_statistics(*, month: date, station: Station | None = None, now: datetime | None = None, top: int = TOP_N,
                       trends: bool = True) -> dict:
    """The whole report for ``month`` (any day of it) and ``station`` (None: the department), JSON-able.

    ``trends=False`` leaves out the 12-month trends (the bench measures the month's sections apart)."""
    scope = Scope(month=month_start(month), station=station, now=now or timezone.now())
    lines = dict(ProductLine.objects.values_list("pk", "name"))
    report = {
        "month": scope.month.strftime("%Y-%m"),
        "station": {"id": station.pk, "name": station.name} if station else None,
        "generated_at": scope.now.isoformat(),
        "targets": targets(),
    }
    # The work orders of the month are grouped once by every dimension the sections need (a few
    # hundred groups at most) and rolled up here: one pass over the orders instead of one per table.
    cubes = {"revenue": _revenue_cube(scope), "completed": _completed_cube(scope)}
    report["tickets"] = _ticket_figures(scope, lines)
    report["sla"] = _sla_figures(scope)
    report["satisfaction"] = _satisfaction_figures(scope, lines, top)
    report["complaints"] = _complaint_figures(scope, cubes)
    report["parts"] = _part_figures(scope, top)
    report["revenue"] = _revenue_figures(scope, cubes)
    report["technicians"] = _technician_figures(scope, cubes)
    report["stations"] = _station_figures(scope, cubes)
    report["trends"] = _trends(scope, report) if trends else {"months": []}
    report["summary"] = _summary(report)
    return report


def _ticket_figures(scope: Scope, lines: dict) -> dict:
    base = _tickets(scope).order_by()
    totals = base.aggregate(total=Count("pk"))
    # One pass, grouped by every dimension at once (GROUPING SETS would be one query too; four small
    # GROUP BYs over the month's rows are as fast and stay plain ORM).
    by = {}
    for column in ("channel", "kind", "zone", "unit__product_line"):
        by[column] = {k: r["n"] for k, r in _grouped(base, column, n=Count("pk")).items()}
    product_pairs = [(pk, name) for pk, name in sorted(lines.items(), key=lambda kv: kv[1]) if str(pk) in by["unit__product_line"]]
    product_pairs.append((None, _("No unit given")))
    return {
        "total": totals["total"],
        "total_drill": drill("tickets"),
        "by_channel": _rows(TicketChannel.choices, by["channel"], "tickets", "channel"),
        "by_kind": _rows(TicketKind.choices, by["kind"], "tickets", "kind"),
        "by_zone": _rows(Zone.choices, by["zone"], "tickets", "zone"),
        "by_product_line": _rows(product_pairs, by["unit__product_line"], "tickets", "product_line", keep_empty=False),
    }


def _state_counts(now: datetime, prefix: str = "") -> dict:
    return {state: Count("pk", filter=clock_state_q(state, now, prefix)) for state in STATE_LABELS}


def _sla_figures(scope: Scope) -> list[dict]:
    counted = _grouped(_clocks(scope), "target_code", **_state_counts(scope.now))
    out = []
    for code, label in SLATarget.choices:
        row = counted.get(code)
        if row is None:
            continue
        met, breached, running = row["met"], row["breached"], row["running"]
        out.append({
            "target": code, "label": str(label), "met": met, "breached": breached, "running": running,
            "total": met + breached + running, "attainment": percent(met, met + breached),
            "drill": {s: drill("clocks", target=code, state=s) for s in STATE_LABELS} | {"total": drill("clocks", target=code)},
        })
    return out


def _satisfaction_figures(scope: Scope, lines: dict, top: int) -> dict:
    base = _callbacks(scope).order_by()
    aggregates = {"callbacks": Count("pk"), "dissatisfied": Count("pk", filter=_dissatisfied_q())}
    for name in RATING_FIELDS:
        for value in Rating.values:
            aggregates[f"{name}_{value}"] = Count("pk", filter=Q(**{name: value}))
    row = base.aggregate(**aggregates)
    dimensions, answers, satisfied = [], 0, 0
    for name in RATING_FIELDS:
        levels = [
            {"rating": value, "label": str(label), "count": row[f"{name}_{value}"], "drill": drill("callbacks", **{name: value})}
            for value, label in Rating.choices
        ]
        total = sum(level["count"] for level in levels)
        good = sum(level["count"] for level in levels if level["rating"] in SATISFIED_RATINGS)
        answers += total
        satisfied += good
        dimensions.append({
            "dimension": name, "label": str(DIMENSION_LABELS[name]), "levels": levels, "answers": total,
            "satisfied_rate": percent(good, total), "dissatisfied": row[f"{name}_{Rating.DISSATISFIED}"],
        })
    dissatisfied = base.filter(_dissatisfied_q())
    by_tech = list(
        dissatisfied.values("technician", "technician__name").annotate(n=Count("pk")).order_by("-n", "technician__name")[:top]
    )
    by_line = list(
        dissatisfied.values("ticket__unit__product_line").annotate(n=Count("pk")).order_by("-n", "ticket__unit__product_line")[:top]
    )
    comments = list(
        dissatisfied.select_related("ticket", "technician", "customer").order_by("-done_at", "-pk")[:top]
    )
    return {
        "callbacks": row["callbacks"],
        "callbacks_drill": drill("callbacks"),
        "answers": answers,
        "satisfied_answers": satisfied,
        "rate": percent(satisfied, answers),
        "dissatisfied_callbacks": row["dissatisfied"],
        "dissatisfied_drill": drill("callbacks", dissatisfied=1),
        "dimensions": dimensions,
        "top_dimensions": sorted(
            ({"dimension": d["dimension"], "label": d["label"], "count": d["dissatisfied"],
              "drill": drill("callbacks", **{d["dimension"]: Rating.DISSATISFIED})} for d in dimensions if d["dissatisfied"]),
            key=lambda d: -d["count"],
        ),
        "top_technicians": [
            {"id": r["technician"], "label": r["technician__name"] or _("Nobody"), "count": r["n"],
             "drill": drill("callbacks", dissatisfied=1, technician=_key(r["technician"]))}
            for r in by_tech
        ],
        "top_product_lines": [
            {"id": r["ticket__unit__product_line"], "label": lines.get(r["ticket__unit__product_line"], _("No unit given")),
             "count": r["n"], "drill": drill("callbacks", dissatisfied=1, product_line=_key(r["ticket__unit__product_line"]))}
            for r in by_line
        ],
        "comments": [
            {"id": c.pk, "done_at": timezone.localtime(c.done_at).strftime("%Y-%m-%d"), "ticket": c.ticket.number,
             "customer": c.customer.name, "technician": c.technician.name if c.technician_id else "",
             "ratings": [getattr(c, n) for n in RATING_FIELDS], "unit_working": c.unit_working, "comments": c.comments}
            for c in comments
        ],
    }


def _revenue_cube(scope: Scope) -> list[dict]:
    return list(
        _revenue(scope).order_by().values("category", "payment_method", "technician", "ticket__station")
        .annotate(n=Count("pk"), amount=Coalesce(Sum("total_charge"), ZERO, output_field=MONEY))
    )


def _completed_cube(scope: Scope) -> list[dict]:
    return list(_completed(scope).order_by().values("technician", "ticket__station", "responsibility").annotate(n=Count("pk")))


def _rollup(cube: list[dict], column: str) -> dict:
    """{value of ``column``: {"n": …, "amount": …}} summed over the other dimensions of the cube."""
    out: dict = {}
    for row in cube:
        acc = out.setdefault(_key(row[column]), {"n": 0, "amount": ZERO})
        acc["n"] += row["n"]
        acc["amount"] += row.get("amount") or ZERO
    return out


def _complaint_figures(scope: Scope, cubes: dict) -> dict:
    complaints = _tickets(scope).filter(kind=TicketKind.COMPLAINT).order_by()
    by_class = {k: r["n"] for k, r in _grouped(complaints, "complaint_class", n=Count("pk")).items()}
    classes = [(code or NONE, label) for code, label in Ticket.ComplaintClass.choices]
    by_resp = {k: r["n"] for k, r in _rollup(cubes["completed"], "responsibility").items()}
    counted = sum(by_class.get(c, 0) for c in COMPLAINT_COUNTED)
    orders = sum(by_resp.values())
    return {
        "total": sum(by_class.values()),
        "by_class": [
            {**r, "drill": drill("tickets", kind=TicketKind.COMPLAINT, complaint_class=r["code"])}
            for r in _rows(classes, by_class, "tickets", "complaint_class")
        ],
        "counted": counted,
        "counted_drill": drill("tickets", counted_complaint=1),
        "orders_completed": orders,
        "orders_drill": drill("completed"),
        "rate": percent(counted, orders),
        "by_responsibility": _rows(
            [(c or NONE, label) for c, label in WorkOrder.Responsibility.choices], by_resp, "completed", "responsibility"
        ),
    }


def _part_figures(scope: Scope, top: int) -> dict:
    value = ExpressionWrapper(F("qty") * F("part__price"), output_field=VALUE)
    base = _parts(scope).order_by()
    totals = base.aggregate(
        used=Coalesce(Sum("qty"), Decimal(0)), worth=Coalesce(Sum(value), Decimal(0), output_field=VALUE), moves=Count("pk")
    )
    rows = list(
        base.values("part", "part__number", "part__name", "part__unit", "part__price")
        .annotate(used=Sum("qty"), worth=Sum(value), moves=Count("pk"))
        .order_by("-worth", "-used", "part__number")[:top]
    )
    return {
        "moves": totals["moves"], "qty": _qty(totals["used"]), "value": _money(totals["worth"]),
        "drill": drill("parts"),
        "top": [
            {"id": r["part"], "number": r["part__number"], "label": r["part__name"], "unit": r["part__unit"],
             "price": _money(r["part__price"]), "qty": _qty(r["used"]), "value": _money(r["worth"]),
             "moves": r["moves"], "drill": drill("parts", part=r["part"])}
            for r in rows
        ],
    }


def _revenue_figures(scope: Scope, cubes: dict) -> dict:
    cube = cubes["revenue"]

    def rows(column: str, pairs) -> list[dict]:
        grouped = _rollup(cube, column)
        out = []
        for code, label in pairs:
            r = grouped.get(_key(code))
            if r:
                out.append({"code": _key(code), "label": str(label), "orders": r["n"], "amount": _money(r["amount"]),
                            "drill": drill("revenue", **{column: _key(code)})})
        return out

    return {
        "orders": sum(r["n"] for r in cube), "amount": _money(sum((r["amount"] for r in cube), ZERO)), "drill": drill("revenue"),
        "by_category": rows("category", WorkOrder.Category.choices),
        "by_payment": rows("payment_method", WorkOrder.Payment.choices),
    }


def _technician_figures(scope: Scope, cubes: dict) -> list[dict]:
    """Per technician: orders completed, revenue billed, callbacks, satisfaction, dissatisfied callbacks."""
    completed = _rollup(cubes["completed"], "technician")
    revenue = _rollup(cubes["revenue"], "technician")
    callbacks = _grouped(_callbacks(scope), "technician", n=Count("pk"), bad=Count("pk", filter=_dissatisfied_q()), **_answer_counts())
    ids = {k for k in (*completed, *revenue, *callbacks) if k != NONE}
    names = {str(s.pk): (s.name, s.station.name if s.station_id else "") for s in Staff.objects.filter(pk__in=ids).select_related("station")}
    out = []
    for key in sorted(ids, key=lambda k: names.get(k, ("", ""))[::-1]):
        good, total = _satisfied(callbacks.get(key))
        out.append({
            "id": int(key), "label": names.get(key, (key, ""))[0], "station": names.get(key, ("", ""))[1],
            "completed": completed.get(key, {}).get("n", 0), "completed_drill": drill("completed", technician=key),
            "billed": revenue.get(key, {}).get("n", 0), "amount": _money(revenue.get(key, {}).get("amount")),
            "revenue_drill": drill("revenue", technician=key),
            "callbacks": callbacks.get(key, {}).get("n", 0), "callbacks_drill": drill("callbacks", technician=key),
            "dissatisfied": callbacks.get(key, {}).get("bad", 0),
            "dissatisfied_drill": drill("callbacks", technician=key, dissatisfied=1),
            "satisfaction": percent(good, total),
        })
    return out


def _answer_counts() -> dict:
    """Satisfied answers and all answers of the four questions, as conditional counts (one pass)."""
    out = {}
    for name in RATING_FIELDS:
        out[f"good_{name}"] = Count("pk", filter=Q(**{f"{name}__in": SATISFIED_RATINGS}))
        out[f"all_{name}"] = Count(name)
    return out


def _satisfied(row: dict | None) -> tuple[int, int]:
    if not row:
        return 0, 0
    return sum(row[f"good_{n}"] for n in RATING_FIELDS), sum(row[f"all_{n}"] for n in RATING_FIELDS)


def _station_figures(scope: Scope, cubes: dict) -> list[dict]:
    """Per station: tickets, counted complaints, orders completed, revenue, timeliness, satisfaction."""
    tickets = _grouped(
        _tickets(scope), "station", n=Count("pk"),
        complaints=Count("pk", filter=Q(kind=TicketKind.COMPLAINT, complaint_class__in=COMPLAINT_COUNTED)),
    )
    completed = _rollup(cubes["completed"], "ticket__station")
    revenue = _rollup(cubes["revenue"], "ticket__station")
    arrivals = _grouped(
        _clocks(scope).filter(target_code=SLATarget.ARRIVAL), "ticket__station",
        met=Count("pk", filter=clock_state_q("met", scope.now)), breached=Count("pk", filter=clock_state_q("breached", scope.now)),
    )
    callbacks = _grouped(_callbacks(scope), "ticket__station", n=Count("pk"), **_answer_counts())
    stations = Station.objects.filter(pk=scope.station.pk) if scope.station else Station.objects.filter(
        Q(is_active=True) | Q(pk__in=[int(k) for k in (*tickets, *completed, *revenue) if k != NONE])
    )
    out = []
    for s in stations.order_by("code"):
        key = str(s.pk)
        t, c, r, a = tickets.get(key, {}), completed.get(key, {}), revenue.get(key, {}), arrivals.get(key, {})
        good, total = _satisfied(callbacks.get(key))
        orders = c.get("n", 0)
        out.append({
            "id": s.pk, "label": s.name, "code": s.code,
            "tickets": t.get("n", 0), "complaints": t.get("complaints", 0), "completed": orders,
            "billed": r.get("n", 0), "amount": _money(r.get("amount")),
            "arrival_met": a.get("met", 0), "arrival_breached": a.get("breached", 0),
            "timeliness": percent(a.get("met", 0), a.get("met", 0) + a.get("breached", 0)),
            "callbacks": callbacks.get(key, {}).get("n", 0), "satisfaction": percent(good, total),
            "complaint_rate": percent(t.get("complaints", 0), orders),
            "station_query": {"station": str(s.pk)},
        })
    return out


def trend_months(month: date, count: int = TREND_MONTHS) -> list[date]:
    """The first days of the ``count`` months ending with ``month``, oldest first."""
    months = [month_start(month)]
    while len(months) < count:
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


TREND_FIELDS = ("tickets", "arrival_met", "arrival_breached", "revenue", "satisfied_answers", "answers")


def live_trend_figures(start: datetime, end: datetime, now: datetime, station: Station | None = None) -> dict:
    """The trend figures counted from the records, per month and station of the ticket, for [start, end).

    {(first day of the month, station id or None): {field of TREND_FIELDS: value}} — 3 queries.
    The rules are the month's sections': tickets registered; arrival clocks met or breached (at
    ``now``); revenue of the billing sheet by signing time; callback answers done in the month."""
    tickets = Ticket.objects.filter(registered_at__gte=start, registered_at__lt=end).annotate(
        # At most one arrival clock per ticket: joined, not counted apart.
        arrival=FilteredRelation("clocks", condition=Q(clocks__target_code=SLATarget.ARRIVAL, clocks__cancelled=False))
    )
    revenue = billable_between(start, end)
    callbacks = Callback.objects.filter(status=Callback.Status.DONE, done_at__gte=start, done_at__lt=end)
    if station is not None:
        tickets, revenue, callbacks = tickets.filter(station=station), revenue.filter(ticket__station=station), callbacks.filter(ticket__station=station)

    out: dict = {}

    def add(qs, column, station_column, values) -> None:
        rows = qs.order_by().annotate(m=TruncMonth(column)).values("m", station_column).annotate(**values)
        for r in rows:
            m = timezone.localtime(r["m"]).date() if isinstance(r["m"], datetime) else r["m"]
            acc = out.setdefault((m, r[station_column]), dict.fromkeys(TREND_FIELDS, 0) | {"revenue": ZERO})
            for name in values:
                if name in acc:
                    acc[name] += r[name]
            if "good_rating_attitude" in r:
                good, total = _satisfied(r)
                acc["satisfied_answers"] += good
                acc["answers"] += total

    add(tickets, "registered_at", "station", {
        "tickets": Count("pk"),
        "arrival_met": Count("arrival__pk", filter=clock_state_q("met", now, "arrival__")),
        "arrival_breached": Count("arrival__pk", filter=clock_state_q("breached", now, "arrival__")),
    })
    add(revenue, "signed_at", "ticket__station", {"revenue": Coalesce(Sum("total_charge"), ZERO, output_field=MONEY)})
    add(callbacks, "done_at", "ticket__station", _answer_counts())
    return out


def _trend_row(month: date, f: dict) -> dict:
    met, breached = f.get("arrival_met", 0), f.get("arrival_breached", 0)
    return {
        "month": month.strftime("%Y-%m"), "tickets": f.get("tickets", 0), "revenue": _money(f.get("revenue")),
        "satisfaction": percent(f.get("satisfied_answers", 0), f.get("answers", 0)), "timeliness": percent(met, met + breached),
    }


def _sum_figures(rows) -> dict:
    total = dict.fromkeys(TREND_FIELDS, 0) | {"revenue": ZERO}
    for f in rows:
        for name in TREND_FIELDS:
            total[name] += f[name] if name != "revenue" else (f[name] or ZERO)
    return total


def _trends(scope: Scope, report: dict) -> dict:
    """The twelve months up to the chosen one: tickets, revenue, satisfaction rate, timeliness.

    * the chosen month: its own sections above (counted live, no query of its own);
    * closed months before it: the stored :class:`~reports.models.MonthlyFigure` rows (1 query),
      computed on demand when a month is missing (see :mod:`reports.services.monthly_figures`);
    * a month after the current one's start (only when a future month is chosen): counted live.
    """
    from .models import MonthlyFigure
    from .services.monthly_figures import refresh_monthly_figures

    months = trend_months(scope.month)
    current = month_start(timezone.localdate(scope.now))
    closed = [m for m in months[:-1] if m < current]
    open_ = [m for m in months[:-1] if m >= current]
    figures: dict[date, dict] = {}
    if closed:
        # A month is stored once computed: its station-less row is always written, zeros included.
        stored = MonthlyFigure.objects.filter(month__in=closed)
        if scope.station is not None:
            stored = stored.filter(Q(station=scope.station) | Q(station__isnull=True))
        rows = list(stored.values("month", "station", *TREND_FIELDS))
        present = {r["month"] for r in rows if r["station"] is None}
        missing = [m for m in closed if m not in present]
        if missing:
            rows = [r for r in rows if r["month"] in present]
            for row in refresh_monthly_figures(months=missing, now=scope.now):
                if scope.station is None or row.station_id in (scope.station.pk, None):
                    rows.append({"month": row.month, "station": row.station_id, **{n: getattr(row, n) for n in TREND_FIELDS}})
        wanted = (lambda r: True) if scope.station is None else (lambda r: r["station"] == scope.station.pk)
        for m in closed:
            figures[m] = _sum_figures(r for r in rows if r["month"] == m and wanted(r))
    if open_:
        start, _x = local_bounds(open_[0], open_[0])
        _y, end = local_bounds(open_[-1], month_end(open_[-1]))
        live = live_trend_figures(start, end, scope.now, scope.station)
        for m in open_:
            figures[m] = _sum_figures(f for (month, _s), f in live.items() if month == m)
    arrival = next((row for row in report["sla"] if row["target"] == SLATarget.ARRIVAL), {})
    sat = report["satisfaction"]
    figures[scope.month] = {
        "tickets": report["tickets"]["total"], "revenue": Decimal(report["revenue"]["amount"]),
        "arrival_met": arrival.get("met", 0), "arrival_breached": arrival.get("breached", 0),
        "satisfied_answers": sat["satisfied_answers"], "answers": sat["answers"],
    }
    return {"months": [_trend_row(m, figures[m]) for m in months]}


def _summary(report: dict) -> list[dict]:
    """The key figures against the SPEC targets."""
    goal = report["targets"]
    arrival = next((row for row in report["sla"] if row["target"] == SLATarget.ARRIVAL), None)
    timeliness = arrival["attainment"] if arrival else None
    satisfaction = report["satisfaction"]["rate"]
    complaint = report["complaints"]["rate"]
    return [
        kpi("timeliness", _("Timeliness (arrivals within the SLA)"), timeliness, goal["timeliness"], higher_is_better=True,
            link=arrival["drill"]["breached"] if arrival else None),
        kpi("satisfaction", _("Satisfaction (callback answers)"), satisfaction, goal["satisfaction"], higher_is_better=True,
            link=report["satisfaction"]["dissatisfied_drill"]),
        kpi("complaint_rate", _("Complaint rate (valid and major complaints ÷ orders completed)"), complaint,
            goal["complaint_rate"], higher_is_better=False, link=report["complaints"]["counted_drill"]),
    ]


def kpi(key: str, label: str, value: float | None, target: int, *, higher_is_better: bool, link: dict | None = None) -> dict:
    if value is None:
        met = None
    else:
        met = value >= target if higher_is_better else value < target
    return {"key": key, "label": label, "value": value, "target": target, "higher_is_better": higher_is_better,
            "met": met, "drill": link}
