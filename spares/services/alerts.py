"""Out-of-stock registrations (缺货登记) with their reply clock, and the notifications of the app:
low stock, a part arrived, an out-of-stock reply coming due, ledger drift."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from servicedesk.clocks import services as clocks
from servicedesk.clocks.engine import CALENDAR
from servicedesk.core.exceptions import DomainError, InvalidTransition
from servicedesk.notifications.services import notify
from servicedesk.org.models import Role

from .. import access, selectors
from ..models import Location, OutOfStockClock, OutOfStockRegistration, Part, SparesPolicy, StockBalance
from .common import number_for, require_text
from .ledger import as_qty


def _admin_url(name: str, *args) -> str:
    try:
        return reverse(f"admin:spares_{name}", args=args)
    except NoReverseMatch:
        return ""


def keepers_of(location: Location | None, *, station=None):
    """Who looks after a location's stock: the warehouse keepers, plus the station's head."""
    User = get_user_model()
    condition = Q(groups__name=Role.WAREHOUSE_KEEPER)
    station_id = location.station_id if location is not None else getattr(station, "pk", None)
    if station_id:
        condition |= Q(headed_stations__pk=station_id)
    return User.objects.filter(is_active=True).filter(condition).distinct().order_by("pk")


def leaders():
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[Role.MANAGER, Role.ADMIN]))
        .distinct()
        .order_by("pk")
    )


# --- Low stock ----------------------------------------------------------------------------------


def notify_low_stock(*, balance_id: int, move_id: int) -> int:
    """The alert for a balance that fell below its threshold (flagged by the ledger); once per episode."""
    balance = StockBalance.objects.select_related("part", "location", "location__station").filter(pk=balance_id).first()
    if balance is None or not balance.low_stock_alerted:
        return 0  # stock came back before the alert went out
    part, location = balance.part, balance.location
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("Low stock: %(part)s at %(location)s") % {"part": part, "location": location}
        body = gettext("On hand %(qty)s %(unit)s, below the threshold of %(threshold)s. Please reorder or transfer.") % {
            "qty": _fmt(balance.qty),
            "unit": part.unit,
            "threshold": _fmt(part.low_stock_threshold),
        }
    sent = 0
    for user in keepers_of(location):
        notify(
            recipient=user,
            kind="spares_low_stock",
            title=title,
            body=body,
            url=_admin_url("stockbalance_changelist") + f"?location__id__exact={location.pk}",
            key=f"spares-low-stock:{balance_id}:{move_id}",
        )
        sent += 1
    return sent


# --- Out-of-stock registrations ---------------------------------------------------------------


def reply_due(registered_at: datetime, policy: SparesPolicy | None = None) -> tuple[datetime, datetime]:
    """(reply due, remind at) for a registration made at ``registered_at`` — calendar days.

    The period lives in :class:`SparesPolicy` (default 7 days, 缺货…1周内再次联系顾客); the
    registration's :class:`OutOfStockClock` counts it down in the shared clock sweep.
    """
    policy = policy or SparesPolicy.current()
    due = registered_at + timedelta(days=policy.out_of_stock_reply_days)
    remind = max(registered_at, due - timedelta(hours=policy.out_of_stock_reminder_hours))
    return due, remind


@transaction.atomic
def register_out_of_stock(
    *,
    customer_name: str,
    customer_phone: str,
    actor,
    part: Part | None = None,
    part_description: str = "",
    qty=1,
    station=None,
    work_order_ref: str = "",
    note: str = "",
) -> OutOfStockRegistration:
    """缺货登记 → OPEN with the reply clock running (due in the policy's days)."""
    if not access.can_register_out_of_stock(actor):
        raise access.NotAllowed(_("You cannot register out-of-stock requests."))
    customer_name = require_text(customer_name, field="customer_name", message=_("Enter the customer."))
    customer_phone = require_text(customer_phone, field="customer_phone", message=_("Enter the customer's phone."))
    if part is None and not part_description.strip():
        raise DomainError(_("Choose the part, or describe it if it is not in the catalogue."), field="part")
    qty = as_qty(qty)
    if station is None:
        me = getattr(actor, "staff", None)
        station = getattr(me, "station", None)
    now = timezone.now()
    due, remind = reply_due(now)
    registration = OutOfStockRegistration.objects.create(
        number=number_for("out_of_stock"),
        part=part,
        part_description=part_description.strip(),
        qty=qty,
        station=station,
        customer_name=customer_name,
        customer_phone=customer_phone,
        work_order_ref=work_order_ref.strip(),
        note=note,
        registered_by=actor,
        registered_at=now,
        reply_due_at=due,
        remind_at=remind,
    )
    target = due - now
    # The shared clock sweep fires the reminder (its warning, at ``remind``) and the overdue breach.
    clocks.new_clock(
        OutOfStockClock, target_code="out_of_stock_reply", kind=CALENDAR, target=target, now=now,
        warn_ratio=(remind - now) / target, registration=registration,
    ).save()
    return registration


def _close(registration, target, **fields):
    changed = OutOfStockRegistration.objects.filter(
        pk=registration.pk, status=OutOfStockRegistration.Status.OPEN
    ).update(status=target, **fields)
    if changed != 1:
        raise InvalidTransition(_("This registration is no longer open."))
    clock = OutOfStockClock.objects.select_for_update().filter(registration=registration).first()
    if clock is not None:
        now = timezone.now()
        if target == OutOfStockRegistration.Status.REPLIED:
            clocks.stop_clock(clock, now=now)
        else:
            clocks.cancel_clock(clock, now=now)
    registration.refresh_from_db()
    return registration


@transaction.atomic
def reply_out_of_stock(*, registration: OutOfStockRegistration, note: str, actor) -> OutOfStockRegistration:
    """OPEN → REPLIED: the customer was contacted again (stops the reply clock)."""
    if not access.can_reply_out_of_stock(actor, registration):
        raise access.NotAllowed(_("You cannot reply to this registration."))
    note = require_text(note, field="note", message=_("Write down what the customer was told."))
    return _close(
        registration, OutOfStockRegistration.Status.REPLIED,
        replied_at=timezone.now(), replied_by=actor, reply_note=note,
    )


@transaction.atomic
def cancel_out_of_stock(*, registration: OutOfStockRegistration, note: str, actor) -> OutOfStockRegistration:
    """OPEN → CANCELLED (the customer no longer needs the part)."""
    if not access.can_reply_out_of_stock(actor, registration):
        raise access.NotAllowed(_("You cannot cancel this registration."))
    note = require_text(note, field="note", message=_("Say why the registration is cancelled."))
    return _close(
        registration, OutOfStockRegistration.Status.CANCELLED,
        replied_at=timezone.now(), replied_by=actor, reply_note=note,
    )


def on_out_of_stock_clock_fired(clock: OutOfStockClock, kind: str) -> None:
    """Called by the clock sweep (exactly once per kind): the warning is the reminder before the
    reply is due, the breach says the reply is overdue. Both go to the registrant and the keepers."""
    reg = clock.registration
    if reg.status != OutOfStockRegistration.Status.OPEN:
        return
    overdue = kind == "breach"
    if not overdue:
        OutOfStockRegistration.objects.filter(pk=reg.pk, reminded_at__isnull=True).update(reminded_at=timezone.now())
    with translation.override(settings.LANGUAGE_CODE):
        wanted = str(reg.part) if reg.part else reg.part_description
        if overdue:
            title = gettext("Out-of-stock reply overdue: %(number)s (%(customer)s)") % {
                "number": reg.number, "customer": reg.customer_name}
        else:
            title = gettext("Out-of-stock reply due: %(number)s (%(customer)s)") % {
                "number": reg.number, "customer": reg.customer_name}
        body = gettext(
            "%(customer)s (%(phone)s) is waiting for %(part)s × %(qty)s. Contact the customer again by %(due)s."
        ) % {
            "customer": reg.customer_name,
            "phone": reg.customer_phone,
            "part": wanted,
            "qty": _fmt(reg.qty),
            "due": timezone.localtime(reg.reply_due_at).strftime("%Y-%m-%d %H:%M"),
        }
    recipients = {reg.registered_by_id: reg.registered_by}
    for user in keepers_of(None, station=reg.station):
        recipients.setdefault(user.pk, user)
    users = [user for user in recipients.values() if user.is_active]
    url = _admin_url("outofstockregistration_change", reg.pk)
    kind_name = "spares_out_of_stock_overdue" if overdue else "spares_out_of_stock_due"
    key = f"spares-oos-{'overdue' if overdue else 'reminder'}:{reg.pk}"
    # In the sweep's transaction, with the firing (see tickets.receivers.on_sla_clock_fired).
    for user in users:
        notify(recipient=user, kind=kind_name, title=title, body=body, url=url, key=key)


def notify_part_arrived(*, registration_id: int, receipt_id: int) -> bool:
    """Tell the registrant of an open out-of-stock registration that its part was received."""
    from ..models import Receipt

    reg = OutOfStockRegistration.objects.select_related("part", "registered_by").filter(pk=registration_id).first()
    receipt = Receipt.objects.select_related("location").filter(pk=receipt_id).first()
    if reg is None or receipt is None or reg.status != OutOfStockRegistration.Status.OPEN:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("Part arrived for %(number)s: %(part)s") % {"number": reg.number, "part": reg.part}
        body = gettext("Received into %(location)s with %(receipt)s. Contact %(customer)s (%(phone)s).") % {
            "location": receipt.location,
            "receipt": receipt.number,
            "customer": reg.customer_name,
            "phone": reg.customer_phone,
        }
    notify(
        recipient=reg.registered_by,
        kind="spares_part_arrived",
        title=title,
        body=body,
        url=_admin_url("outofstockregistration_change", reg.pk),
        key=f"spares-oos-arrived:{reg.pk}:{receipt.pk}",
    )
    return True


# --- Reconciliation (帐物一致) -----------------------------------------------------------------


def reconcile_stock(*, today=None) -> list[tuple[int, int, object, object]]:
    """Compare every balance with the sum of its moves; notify managers and admins of any drift.

    One notification per recipient and night (the key carries the date), listing the pairs.
    """
    drift = selectors.stock_drift()
    if not drift:
        return drift
    today = today or timezone.localdate()
    parts = {p.pk: p for p in Part.objects.filter(pk__in={d[0] for d in drift})}
    locations = {loc.pk: loc for loc in Location.objects.filter(pk__in={d[1] for d in drift})}
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("Stock books differ from the ledger: %(count)s part/location pairs") % {"count": len(drift)}
        lines = [
            gettext("%(part)s at %(location)s: books %(books)s, sum of moves %(ledger)s")
            % {
                "part": parts.get(p, p),
                "location": locations.get(loc, loc),
                "books": _fmt(books),
                "ledger": _fmt(ledger),
            }
            for p, loc, books, ledger in drift[:50]
        ]
        if len(drift) > 50:
            lines.append(gettext("… and %(more)s more; run manage.py check_stock for the full list.") % {"more": len(drift) - 50})
    for user in leaders():
        notify(
            recipient=user,
            kind="spares_stock_drift",
            title=title,
            body="\n".join(lines),
            url=_admin_url("stockbalance_changelist"),
            key=f"spares-drift:{today.isoformat()}",
        )
    return drift


def _fmt(value) -> str:
    from ..exceptions import _qty

    return _qty(value)


# --- Monthly old-part processing reminder -------------------------------------------------------


def remind_old_part_processing(*, today=None) -> int:
    """On the first days of a month: each old-parts store still holding parts handed in before this
    month gets its keepers reminded to process them (once per store and month)."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    until = timezone.make_aware(datetime.combine(month, time.min))
    stores = 0
    for location in Location.objects.filter(kind=Location.Kind.OLD_PARTS, is_active=True).order_by("pk"):
        pending = selectors.pending_old_parts(location=location, until=until).count()
        if not pending:
            continue
        stores += 1
        with translation.override(settings.LANGUAGE_CODE):
            title = gettext("Old parts to process: %(count)s in %(location)s") % {"count": pending, "location": location}
            body = gettext(
                "Dispose of them or claim them from the supplier (二次索赔) with an old-part processing sheet."
            )
        for user in keepers_of(location):
            notify(
                recipient=user,
                kind="spares_old_parts_due",
                title=title,
                body=body,
                url=_admin_url("oldpartreturn_changelist") + f"?location__id__exact={location.pk}&status__exact=received",
                key=f"spares-old-parts:{location.pk}:{month.isoformat()}",
            )
    return stores
