"""Pages: the technician's visits of the month (tablet), the progress report, one renewal.

Function views, each: access helper → form → service → redirect (CONVENTIONS §4). Every object is
fetched through a selector scoped to the signed-in user, so another technician's visit is a 404.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.core.exceptions import DomainError
from servicedesk.core.views import role_required
from servicedesk.org.models import Role, Staff
from servicedesk.org.selectors import staff_of
from tickets.models import Contract

from . import policy, selectors, services
from .exports import progress_workbook
from .forms import (
    MonthFilterForm,
    RenewalCloseForm,
    RenewalNoticeForm,
    VisitCancelForm,
    VisitCompleteForm,
    VisitRecordForm,
    VisitScheduleForm,
    apply_domain_error,
)
from .models import RenewalTask, Visit

# Who opens the progress report (a technician sees his own progress on his visits page).
PROGRESS_ROLES = (Role.MANAGER, Role.GENERAL_MANAGER, Role.SUPERVISOR, Role.STATION_HEAD, Role.ADMIN)
# Who opens a renewal: its technician and everyone who follows renewals up.
RENEWAL_ROLES = (
    Role.TECHNICIAN, Role.DISPATCHER, Role.MANAGER, Role.GENERAL_MANAGER, Role.SUPERVISOR, Role.STATION_HEAD,
    Role.FINANCE, Role.ADMIN,
)
# Who records or cancels a visit on the visit page (besides its own technician, scoped by the selector).
VISIT_ROLES = (Role.TECHNICIAN, Role.STATION_HEAD, Role.MANAGER, Role.ADMIN)


def _require_perm(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("You may not change this."))


# --- the technician's month ---------------------------------------------------------------------


def _my_visits_context(request, me: Staff, *, record_form=None, plan_form=None) -> dict:
    today = timezone.localdate()
    month_form = MonthFilterForm(request.GET or None)
    month = month_form.month_or_default()
    customers = selectors.customers_for_visits(me)
    progress = selectors.progress_for_month(month=month, technicians=[me], today=today)[0]
    planned = list(selectors.open_planned_visits(me))
    done = Paginator(selectors.visits_of_month(me, month), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "me": me,
        "today": today,
        "month": month,
        "previous_month": policy.add_months(month, -1),
        "next_month": policy.add_months(month, 1) if month < policy.month_start(today) else None,
        "month_form": month_form,
        "progress": progress,
        "planned_due": [v for v in planned if v.planned_for <= today],
        "planned_later": [v for v in planned if v.planned_for > today],
        "page": done,
        "query": query.urlencode(),
        "renewals": list(selectors.open_renewals(request.user, today=today)[:20]),
        "record_form": record_form or VisitRecordForm(customers=customers, initial={"visit_date": today}),
        "plan_form": plan_form or VisitScheduleForm(customers=customers, initial={"planned_for": today + timedelta(days=1)}),
    }


def _me_or_none(request):
    return staff_of(request.user)


@role_required(Role.TECHNICIAN)
def my_visits(request):
    me = _me_or_none(request)
    if me is None:
        return render(request, "visits/no_staff.html")
    return render(request, "visits/my_visits.html", _my_visits_context(request, me))


@role_required(Role.TECHNICIAN)
@require_POST
def record_visit(request):
    me = _me_or_none(request)
    if me is None:
        return render(request, "visits/no_staff.html")
    _require_perm(request, "visits.add_visit")
    form = VisitRecordForm(request.POST, customers=selectors.customers_for_visits(me))
    if form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.record_visit(
                technician=me, customer=data["customer"], visit_date=data["visit_date"], purpose=data["purpose"],
                problems_resolved=data["problems_resolved"], report=data["report"], actor=request.user,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Visit to %(customer)s recorded.") % {"customer": visit.customer.name})
            return redirect(f"{reverse('visits:mine')}?month={visit.visit_date:%Y-%m}")
    return render(request, "visits/my_visits.html", _my_visits_context(request, me, record_form=form), status=400)


@role_required(Role.TECHNICIAN)
@require_POST
def plan_visit(request):
    me = _me_or_none(request)
    if me is None:
        return render(request, "visits/no_staff.html")
    _require_perm(request, "visits.add_visit")
    form = VisitScheduleForm(request.POST, customers=selectors.customers_for_visits(me))
    if form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.schedule_visit(
                technician=me, customer=data["customer"], planned_for=data["planned_for"], purpose=data["purpose"],
                actor=request.user,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Visit to %(customer)s planned for %(date)s.") % {"customer": visit.customer.name, "date": visit.planned_for.isoformat()},
            )
            return redirect("visits:mine")
    return render(request, "visits/my_visits.html", _my_visits_context(request, me, plan_form=form), status=400)


@role_required(*VISIT_ROLES)
def complete_visit(request, pk: int):
    """A planned visit: record it (date, problems resolved, short report) or cancel it."""
    visit = get_object_or_404(selectors.visits_visible_to(request.user), pk=pk)
    today = timezone.localdate()
    form = VisitCompleteForm(initial={"visit_date": min(today, visit.planned_for or today), "purpose": visit.purpose})
    cancel_form = VisitCancelForm()
    if request.method == "POST":
        _require_perm(request, "visits.change_visit")
        form = VisitCompleteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = services.complete_visit(
                    visit=visit, visit_date=data["visit_date"], purpose=data["purpose"],
                    problems_resolved=data["problems_resolved"], report=data["report"], actor=request.user,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Visit to %(customer)s recorded.") % {"customer": visit.customer.name})
                return redirect(_after_visit(request, visit))
    status = 400 if form.errors else 200
    return render(request, "visits/complete_visit.html", {"visit": visit, "form": form, "cancel_form": cancel_form, "today": today}, status=status)


@role_required(*VISIT_ROLES)
@require_POST
def cancel_visit(request, pk: int):
    visit = get_object_or_404(selectors.visits_visible_to(request.user), pk=pk)
    _require_perm(request, "visits.change_visit")
    form = VisitCancelForm(request.POST)
    if form.is_valid():
        try:
            visit = services.cancel_visit(visit=visit, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Visit to %(customer)s cancelled.") % {"customer": visit.customer.name})
            return redirect(_after_visit(request, visit))
    today = timezone.localdate()
    return render(
        request, "visits/complete_visit.html",
        {"visit": visit, "form": VisitCompleteForm(initial={"visit_date": today, "purpose": visit.purpose}), "cancel_form": form,
         "today": today},
        status=400,
    )


def _after_visit(request, visit: Visit) -> str:
    me = staff_of(request.user)
    if me is not None and me.pk == visit.technician_id:
        return reverse("visits:mine")
    return reverse("visits:progress")


# --- progress report ----------------------------------------------------------------------------


def _progress_data(request):
    today = timezone.localdate()
    form = MonthFilterForm(request.GET or None, stations=selectors.stations_for_progress(request.user))
    month, station = form.month_or_default(), form.station_or_none()
    technicians = selectors.technicians_visible_to(request.user)
    if station is not None:
        technicians = technicians.filter(station=station)
    rows = selectors.progress_for_month(month=month, technicians=technicians, today=today)
    return form, month, station, rows, today


@role_required(*PROGRESS_ROLES)
def progress(request):
    form, month, station, rows, today = _progress_data(request)
    renewals = selectors.open_renewals(request.user, today=today)
    if station is not None:
        renewals = renewals.filter(contract__customer__station=station)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "visits/progress.html",
        {
            "form": form,
            "month": month,
            "station": station,
            "rows": rows,
            "totals": selectors.progress_totals(rows),
            "today": today,
            "renewals": Paginator(renewals, 50).get_page(request.GET.get("page")),
            "query": query.urlencode(),
        },
    )


@role_required(*PROGRESS_ROLES)
def progress_export(request):
    form, month, station, rows, today = _progress_data(request)
    wb = progress_workbook(
        rows, month=month, station_name=station.name if station else _("All stations"), exported_on=today, user=request.user
    )
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="visit-progress-{month:%Y-%m}.xlsx"'
    wb.save(response)
    return response


# --- one renewal --------------------------------------------------------------------------------


@role_required(*RENEWAL_ROLES)
def renewal(request, pk: int):
    """A renewal task: the contract, the customer, and forms to note the notice and close the task."""
    task = get_object_or_404(selectors.renewals_visible_to(request.user), pk=pk)
    today = timezone.localdate()
    contracts = Contract.objects.filter(customer_id=task.contract.customer_id, end_date__gt=task.contract.end_date).order_by(
        "-end_date", "number"
    )
    notice_form = RenewalNoticeForm(initial={"given_on": task.notice_given_on or today})
    close_form = RenewalCloseForm(contracts=contracts)
    can_change = request.user.has_perm("visits.change_renewaltask")
    if request.method == "POST":
        _require_perm(request, "visits.change_renewaltask")
        step = request.POST.get("step")
        try:
            if step == "notice":
                notice_form = RenewalNoticeForm(request.POST)
                if notice_form.is_valid():
                    services.record_renewal_notice(task=task, given_on=notice_form.cleaned_data["given_on"], actor=request.user)
                    messages.success(request, _("Expiry notice recorded."))
                    return redirect("visits:renewal", pk=task.pk)
            elif step == "close":
                close_form = RenewalCloseForm(request.POST, contracts=contracts)
                if close_form.is_valid():
                    data = close_form.cleaned_data
                    task = services.complete_renewal(
                        task=task, outcome=data["outcome"], new_contract=data["new_contract"], note=data["note"],
                        actor=request.user,
                    )
                    messages.success(request, _("Renewal closed: %(status)s.") % {"status": task.get_status_display()})
                    return redirect("visits:renewal", pk=task.pk)
            else:
                messages.error(request, _("Unknown action."))
        except DomainError as error:
            apply_domain_error(notice_form if step == "notice" else close_form, error)
    has_errors = bool(notice_form.errors or close_form.errors)
    return render(
        request,
        "visits/renewal.html",
        {
            "task": task,
            "today": today,
            "expired": task.is_open and task.contract.end_date < today,
            "notice_form": notice_form,
            "close_form": close_form,
            "can_change": can_change and task.status == RenewalTask.Status.OPEN,
            "reminders": selectors.reminders_of("renewal", task.pk),
        },
        status=400 if has_errors else 200,
    )

