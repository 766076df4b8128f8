"""What happens when a ticket's SLA clock warns or breaches (called by the clock sweep)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from servicedesk.notifications.services import notify_users
from servicedesk.org.models import Role

from .models import SLAClock, SLATarget, TicketLog, WorkOrder


def on_sla_clock_fired(clock: SLAClock, kind: str) -> None:
    """80 %: warn whoever holds the ticket. Breach: log it on the ticket and tell the managers too."""
    ticket = clock.ticket
    target = SLATarget(clock.target_code).label if clock.target_code in SLATarget.values else clock.target_code
    order = (
        WorkOrder.objects.filter(ticket=ticket).exclude(status=WorkOrder.Status.CANCELLED).select_related("technician__user").order_by("-dispatched_at").first()
    )
    holders = [order.technician.user] if order else [ticket.registered_by]
    due = clock.due_at
    if kind == "warning":
        title = _("%(number)s: %(target)s due soon") % {"number": ticket.number, "target": target}
        recipients = holders
    else:
        title = _("%(number)s: %(target)s breached") % {"number": ticket.number, "target": target}
        TicketLog.objects.create(ticket=ticket, kind=TicketLog.Kind.NOTE, by=None, at=clock.breached_at, text=title)
        managers = list(get_user_model().objects.filter(groups__name=Role.MANAGER, is_active=True))
        recipients = list({u.pk: u for u in holders + managers}.values())
    body = _("Deadline: %(due)s · %(customer)s") % {"due": due.isoformat(timespec="minutes") if due else "—", "customer": ticket.customer.name}
    key = f"slaclock:{clock.pk}:{kind}:{due.isoformat() if due else ''}"
    url = f"/admin/tickets/ticket/{ticket.pk}/change/"
    # In the sweep's transaction, with the firing: both commit or neither does. (Sent after commit,
    # a worker killed between the commit and the sending lost them for good: the firing was claimed.)
    # The e-mails themselves are queued on commit by notify().
    notify_users(recipients=recipients, kind=f"sla_{kind}", title=title, body=body, url=url, key=key)
