"""派工建议 — ranked technicians for a ticket, each with the reasons for its place (SPEC §5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.org.models import Role, Staff

from . import selectors
from .models import Ticket


def daily_customer_cap() -> int:
    """No technician gets more customers than this in one day (SPEC §5: 3)."""
    return settings.DISPATCH_DAILY_CUSTOMER_CAP


@dataclass
class Suggestion:
    technician: Staff
    score: tuple
    reasons: list[str] = field(default_factory=list)
    over_cap: bool = False
    customers_today: int = 0
    open_orders: int = 0


def suggest_technicians(ticket: Ticket, *, day: date | None = None, limit: int = 5) -> list[Suggestion]:
    """Owner first; nobody over the daily cap (they go last, marked); then same station, same zone,
    matching skill, fewest open orders. Only technicians at work are suggested."""
    day = day or (timezone.localdate(ticket.appointment_at) if ticket.appointment_at else timezone.localdate())
    candidates = list(
        Staff.objects.filter(user__groups__name=Role.TECHNICIAN, status=Staff.Status.WORKING, user__is_active=True)
        .select_related("station")
        .prefetch_related("skills")
        .distinct()
    )
    load = selectors.technician_load(day=day, technicians=candidates)
    cap = daily_customer_cap()
    line_id = ticket.unit.product_line_id if ticket.unit_id else None
    out = []
    for tech in candidates:
        stats = load.get(tech.pk, {"customers_today": 0, "open_orders": 0})
        customers_today, open_orders = stats["customers_today"], stats["open_orders"]
        owner = ticket.customer.owner_id == tech.pk
        same_station = tech.station_id == ticket.station_id
        same_zone = bool(tech.zone) and tech.zone == ticket.zone
        skilled = line_id is not None and any(s.pk == line_id for s in tech.skills.all())
        # Visiting an owned customer already on today's list adds no new customer.
        over_cap = customers_today >= cap
        reasons = []
        if owner:
            reasons.append(_("Owns this customer"))
        if over_cap:
            reasons.append(_("Already has %(n)d customers on %(day)s (limit %(cap)d): reassign") % {"n": customers_today, "day": day.isoformat(), "cap": cap})
        else:
            reasons.append(_("%(n)d of %(cap)d customers on %(day)s") % {"n": customers_today, "cap": cap, "day": day.isoformat()})
        if same_station:
            reasons.append(_("Same station"))
        if same_zone:
            reasons.append(_("Works in this zone"))
        if skilled:
            reasons.append(_("Skilled in %(line)s") % {"line": ticket.unit.product_line.name})
        elif line_id is not None:
            reasons.append(_("No skill for %(line)s") % {"line": ticket.unit.product_line.name})
        reasons.append(_("%(n)d open work orders") % {"n": open_orders})
        score = (not over_cap, owner, same_station, same_zone, skilled, -open_orders, -customers_today)
        out.append(Suggestion(tech, score, reasons, over_cap, customers_today, open_orders))
    out.sort(key=lambda s: (s.score, -s.technician.pk), reverse=True)
    return out[:limit]
