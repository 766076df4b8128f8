"""Callback pages: the workbench (today's and overdue callbacks for me), one callback with its
questionnaire ("save and next" goes straight to the next one), spot checks, and the monthly quotas.

Function views, each: access helper → form → service → redirect. Callbacks are fetched through the
scoped selector, so one outside the user's reach is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.core.exceptions import DomainError
from servicedesk.core.views import role_required
from servicedesk.org.models import Role
from tickets.models import WorkOrder

from . import callbacks, policy, selectors
from .forms import CallbackForm, MonthFilterForm, SpotCheckForm, apply_domain_errors
from .models import Callback
from .quotas import callback_quotas

# Who makes callbacks (the workbench); who may open one (its technician and station head read it).
WORKBENCH_ROLES = (Role.SUPERVISOR, Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)
READ_ROLES = WORKBENCH_ROLES + (Role.STATION_HEAD, Role.TECHNICIAN)
QUOTA_ROLES = (Role.SUPERVISOR, Role.MANAGER, Role.GENERAL_MANAGER, Role.STATION_HEAD, Role.ADMIN)


@role_required(*WORKBENCH_ROLES)
def workbench(request):
    today = timezone.localdate()
    rows = list(selectors.workbench_callbacks(request.user, today=today)[:200])
    return render(request, "visits/callback_workbench.html", {
        "today": today,
        "rows": rows,
        "overdue": sum(1 for c in rows if c.due_date < today),
        "spot_form": SpotCheckForm(),
        "can_spot_check": request.user.has_perm("visits.add_callback"),
    })


@role_required(*WORKBENCH_ROLES)
def next_callback(request):
    """The first callback of my workbench (after "save and next"), or the workbench when none is left."""
    following = selectors.workbench_callbacks(request.user, today=timezone.localdate()).first()
    if following is None:
        messages.success(request, _("No callbacks left for today. Well done!"))
        return redirect("visits:callbacks")
    return redirect("visits:callback", pk=following.pk)


def _script(callback: Callback) -> str:
    order = callback.work_order
    facts = {
        "customer": callback.customer.name,
        "number": order.number if order else callback.ticket.number,
        "technician": callback.technician.name if callback.technician_id else "",
        "date": timezone.localdate(order.closed_at).isoformat() if order and order.closed_at else
        (timezone.localdate(callback.ticket.closed_at).isoformat() if callback.ticket.closed_at else ""),
    }
    if callback.kind == Callback.Kind.COMPLAINT:
        return _(
            "Hello, this is the customer service department. You told us about a problem (%(number)s), which we closed "
            "on %(date)s. We would like to know whether the way we handled it satisfied you. Do you have two minutes?"
        ) % facts
    if callback.kind == Callback.Kind.FOLLOW_UP:
        return _(
            "Hello, this is the customer service department. Last time you were not satisfied, and we followed it up "
            "(%(number)s, closed on %(date)s). Are you satisfied now? May I ask you the four short questions again?"
        ) % facts
    return _(
        "Hello, this is the customer service department calling back about the service of %(date)s (work order "
        "%(number)s, technician %(technician)s). Do you have two minutes? I would like to ask how satisfied you are "
        "with the technician's attitude, skill, arrival time and keeping of promises, and whether the unit works well now."
    ) % facts


@role_required(*READ_ROLES)
def callback_page(request, pk: int):
    callback = get_object_or_404(selectors.callbacks_visible_to(request.user), pk=pk)
    can_record = callback.is_pending and request.user.has_perm("visits.change_callback")
    initial = {"channel": Callback.Channel.ON_SITE if callback.on_site_required else Callback.Channel.PHONE}
    form = CallbackForm(initial=initial)
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("visits.change_callback"):
            raise PermissionDenied(_("You may not change this."))
        form = CallbackForm(request.POST)
        if form.is_valid():
            try:
                done = callbacks.record_callback(
                    callback=callback, outcome=form.cleaned_data["outcome"], answers=form.answers(),
                    note=form.cleaned_data["note"], actor=request.user,
                )
            except DomainError as error:
                apply_domain_errors(form, error)
            else:
                messages.success(request, _record_message(done))
                if "next" in request.POST:
                    return redirect("visits:callback_next")
                return redirect("visits:callback", pk=done.pk)
        status = 400
    order = callback.work_order
    today = timezone.localdate()
    return render(request, "visits/callback.html", {
        "callback": callback,
        "customer": callback.customer,
        "contacts": list(callback.customer.contacts.all()[:5]),
        "order": order,
        "items": list(order.items.all()) if order else [],
        "script": _script(callback),
        "form": form,
        "can_record": can_record,
        "attempts": list(callback.attempt_log.select_related("by")),
        "chain": selectors.callback_chain(callback),
        "follow_up_deadline": callbacks.follow_up_deadline(callback),
        "today": today,
        "max_attempts": callbacks.max_attempts(),
        "position": _position(request.user, callback, today) if can_record else None,
    }, status=status)


def _position(user, callback: Callback, today):
    ids = list(selectors.workbench_callbacks(user, today=today).values_list("pk", flat=True)[:500])
    return {"index": ids.index(callback.pk) + 1, "total": len(ids)} if callback.pk in ids else None


def _record_message(callback: Callback) -> str:
    name = callback.customer.name
    if callback.status == Callback.Status.DONE and callback.follow_up_ticket_id:
        return _("Callback to %(customer)s saved. Not satisfied: follow-up ticket %(number)s opened.") % {
            "customer": name, "number": callback.follow_up_ticket.number,
        }
    if callback.status == Callback.Status.PENDING:
        return _("No answer from %(customer)s: try again on %(date)s.") % {
            "customer": name, "date": callback.next_attempt_on.isoformat(),
        }
    return _("Callback to %(customer)s saved: %(status)s.") % {"customer": name, "status": callback.get_status_display()}


@role_required(*WORKBENCH_ROLES)
@require_POST
def spot_check(request):
    if not request.user.has_perm("visits.add_callback"):
        raise PermissionDenied(_("You may not change this."))
    form = SpotCheckForm(request.POST)
    if form.is_valid():
        order = WorkOrder.objects.filter(number=form.cleaned_data["number"].strip().upper()).first()
        if order is None:
            form.add_error("number", _("No work order with this number."))
        else:
            try:
                callback = callbacks.schedule_spot_check(work_order=order, actor=request.user)
            except DomainError as error:
                apply_domain_errors(form, error if error.field != "work_order" else DomainError(error.message, field="number"))
            else:
                messages.success(request, _("Spot check of %(number)s added to your callbacks.") % {"number": order.number})
                return redirect("visits:callback", pk=callback.pk)
    today = timezone.localdate()
    rows = list(selectors.workbench_callbacks(request.user, today=today)[:200])
    return render(request, "visits/callback_workbench.html", {
        "today": today, "rows": rows, "overdue": sum(1 for c in rows if c.due_date < today), "spot_form": form,
        "can_spot_check": True,
    }, status=400)


@role_required(*QUOTA_ROLES)
def quotas(request):
    today = timezone.localdate()
    form = MonthFilterForm(request.GET or None)
    month = form.month_or_default()
    data = callback_quotas(month=month, today=today)
    return render(request, "visits/callback_quotas.html", {
        "form": form, "month": month, "data": data, "today": today,
        "previous_month": policy.add_months(month, -1),
        "next_month": policy.add_months(month, 1) if month < policy.month_start(today) else None,
        "workbench_url": reverse("visits:callbacks"),
    })
