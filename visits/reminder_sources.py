"""What the daily job reminds, and whom: planned visits and contract renewals (SPEC §7, §2).

* A planned visit: on its day ("due") and every day after until recorded or cancelled ("overdue"),
  to its technician.
* A renewal task: once when its notice comes due (the 保养到期通知, to the owning technician), and
  every day after the contract expired while it is still open ("overdue"), to the owning
  technician and the station head (the managers when the station has no head).
  The owning technician is the customer's owner today, else the one the task was opened for;
  nobody → the station head, else the managers.
* A pending callback: on its due day ("due") and every day after until finished ("overdue"), not on
  days it waits for a retry, to its assignee — or, unassigned, to the pool of the role it needs: the
  supervisors of the customer's station (else the supervisors without a station, else the managers),
  the managers, or the general manager.

Imported by :class:`visits.apps.VisitsConfig` so the sources are registered in every process.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from servicedesk.org.models import Role, Staff

from . import selectors
from .models import Callback, Reminder, RenewalTask, Visit
from .reminders import Due, page_url, reminder_source

VISIT, RENEWAL, CALLBACK = "visit", "renewal", "callback"


@reminder_source(VISIT)
def visit_reminders(today: date) -> Iterator[Due]:
    visits = (
        Visit.objects.filter(status=Visit.Status.PLANNED, planned_for__lte=today)
        .exclude(technician__status=Staff.Status.LEFT)
        .select_related("customer", "technician__user")
        .order_by("planned_for", "pk")
    )
    for visit in visits.iterator(chunk_size=500):
        customer = visit.customer
        facts = {
            "customer": customer.name, "date": visit.planned_for.isoformat(), "purpose": visit.get_purpose_display(),
            "address": customer.address, "phone": customer.phone,
        }
        if visit.planned_for == today:
            kind = Reminder.Kind.DUE
            title = _("Visit today: %(customer)s") % facts
        else:
            kind = Reminder.Kind.OVERDUE
            title = _("Overdue visit: %(customer)s, planned for %(date)s") % facts
        body = _("Purpose: %(purpose)s · %(address)s · %(phone)s. Record the visit with a short report, or cancel it.") % facts
        yield Due(
            item_id=visit.pk, kind=kind, recipients=(visit.technician.user,), title=title, body=body,
            url=page_url("visits:complete", visit.pk),
        )


def _usable(staff: Staff | None):
    if staff is None or staff.status == Staff.Status.LEFT or not staff.user.is_active:
        return None
    return staff.user


@reminder_source(RENEWAL)
def renewal_reminders(today: date) -> Iterator[Due]:
    tasks = (
        RenewalTask.objects.filter(status=RenewalTask.Status.OPEN, due_date__lte=today)
        .select_related(
            "contract", "contract__customer", "contract__customer__station__head",
            "contract__customer__owner__user", "assignee__user",
        )
        # The notice is reminded once per task; only an expired contract is reminded every day.
        .annotate(notice_reminded=Exists(
            Reminder.objects.filter(item_type=RENEWAL, item_id=OuterRef("pk"), kind=Reminder.Kind.DUE)
        ))
        .order_by("contract__end_date", "pk")
    )
    managers = None
    for task in tasks.iterator(chunk_size=500):
        contract = task.contract
        customer = contract.customer
        expired = contract.end_date < today
        if not expired and task.notice_reminded:
            continue
        head = customer.station.head if customer.station.head_id and customer.station.head.is_active else None
        # The customer's owner today (customers are handed over when a technician leaves or moves),
        # else the technician the task was opened for.
        owner = _usable(customer.owner) or _usable(task.assignee)
        if head is None and (owner is None or expired):
            if managers is None:
                managers = tuple(selectors.managers())
            fallback = managers
        else:
            fallback = ()
        if expired:
            recipients = tuple(u for u in (owner, head) if u is not None) + fallback
        else:
            recipients = (owner,) if owner is not None else ((head,) if head is not None else fallback)
        facts = {
            "contract": contract.number, "customer": customer.name, "date": contract.end_date.isoformat(),
            "fee": f"{contract.annual_fee:,.2f}", "kind": contract.get_kind_display(),
        }
        if expired:
            kind = Reminder.Kind.OVERDUE
            title = _("Not renewed: contract %(contract)s of %(customer)s expired on %(date)s") % facts
            body = _("Record the renewal with its new contract, or why the customer does not renew.") % facts
        else:
            kind = Reminder.Kind.DUE
            title = _("Contract expiry notice: %(contract)s of %(customer)s ends on %(date)s") % facts
            body = _("%(kind)s, annual fee %(fee)s CNY. Give the customer the expiry notice and agree the renewal.") % facts
        yield Due(
            item_id=task.pk, kind=kind, recipients=recipients, title=title, body=body,
            url=page_url("visits:renewal", task.pk),
        )


def _users_with(role: str):
    return get_user_model().objects.filter(groups__name=role, is_active=True).distinct().order_by("pk")


class _Pools:
    """Who makes unassigned callbacks, read once per run (three queries whatever the number of callbacks)."""

    def __init__(self):
        self.by_station: dict[int | None, list] = {}
        supervisors = _users_with(Role.SUPERVISOR).select_related("staff")
        for user in supervisors:
            staff = getattr(user, "staff", None)
            if staff is not None and staff.status == Staff.Status.LEFT:
                continue
            self.by_station.setdefault(staff.station_id if staff else None, []).append(user)
        self.managers = tuple(_users_with(Role.MANAGER))
        self.general_managers = tuple(_users_with(Role.GENERAL_MANAGER))

    def for_callback(self, callback: Callback) -> tuple:
        R = Callback.RequiredRole
        if callback.required_role == R.GENERAL_MANAGER:
            return self.general_managers or self.managers
        if callback.required_role == R.MANAGER:
            return self.managers or self.general_managers
        station = self.by_station.get(callback.customer.station_id) or self.by_station.get(None)
        return tuple(station) if station else self.managers


@reminder_source(CALLBACK)
def callback_reminders(today: date) -> Iterator[Due]:
    callbacks = (
        Callback.objects.filter(status=Callback.Status.PENDING, due_date__lte=today)
        .filter(Q(next_attempt_on__isnull=True) | Q(next_attempt_on__lte=today))
        .select_related("customer", "assignee", "work_order", "technician")
        .order_by("due_date", "-customer__is_key", "pk")
    )
    pools = None
    for callback in callbacks.iterator(chunk_size=500):
        customer = callback.customer
        if callback.assignee_id and callback.assignee.is_active:
            recipients = (callback.assignee,)
        else:
            pools = pools or _Pools()
            recipients = pools.for_callback(callback)
        facts = {
            "customer": customer.name, "date": callback.due_date.isoformat(), "kind": callback.get_kind_display(),
            "phone": customer.phone, "order": callback.work_order.number if callback.work_order_id else "—",
            "technician": callback.technician.name if callback.technician_id else "—",
        }
        if callback.due_date == today:
            kind = Reminder.Kind.DUE
            title = _("Callback today: %(customer)s") % facts
        else:
            kind = Reminder.Kind.OVERDUE
            title = _("Overdue callback: %(customer)s, due on %(date)s") % facts
        body = _("%(kind)s · work order %(order)s · technician %(technician)s · %(phone)s") % facts
        yield Due(
            item_id=callback.pk, kind=kind, recipients=recipients, title=title, body=body,
            url=page_url("visits:callback", callback.pk),
        )
