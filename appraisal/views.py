"""Pages: my backups (everyone), backup compliance and its history (reviewers), borrowing.

Function views, tablet-first: access helper → form → service → redirect. A domain error goes
back onto the form field it names. Downloads go through :mod:`appraisal.downloads` only.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.core.exceptions import DomainError
from servicedesk.core.views import role_required
from servicedesk.org.selectors import staff_of

from . import selectors, services
from .compliance import row_state, summarise
from .downloads import backup_file_response
from .exports import compliance_response
from .forms import BackupForm, BorrowForm, DecisionForm, ReasonForm
from .models import BackupCheck, BackupRules, BackupSubmission, BorrowRequest
from .weeks import due_moment, is_week_start, week_start_of


def _form_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def _no_staff(request):
    return render(request, "appraisal/no_staff.html", status=200)


def _week_label(week: date, this_week: date) -> str:
    if week == this_week:
        return _("This week (from %(week)s)") % {"week": week.isoformat()}
    if week == this_week - timedelta(weeks=1):
        return _("Last week (from %(week)s)") % {"week": week.isoformat()}
    return _("Week of %(week)s") % {"week": week.isoformat()}


# --- my backups -------------------------------------------------------------------------------


@login_required
def my_backups(request):
    me = staff_of(request.user)
    if me is None:
        return _no_staff(request)
    now = timezone.now()
    today = timezone.localdate(now)
    this_week = week_start_of(today)
    rules = BackupRules.current()
    weeks = services.weeks_open_for(me, today=today)
    form = BackupForm(
        request.POST or None,
        request.FILES or None,
        weeks=[(w, _week_label(w, this_week)) for w in weeks],
        allow_confirmation=rules.allow_confirmation,
        initial={"week_start": this_week.isoformat()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submit_backup(
                staff=me,
                week_start=form.cleaned_data["week_start"],
                upload=form.cleaned_data.get("file"),
                note=form.cleaned_data.get("note", ""),
                actor=request.user,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            if submission.is_late:
                messages.warning(request, _("Backup received — after its due time."))
            else:
                messages.success(request, _("Backup received in time. Thank you."))
            return redirect("appraisal:my_backups")

    submissions = selectors.my_submissions(me)
    page = Paginator(submissions, 20).get_page(request.GET.get("page"))
    month_start = today.replace(day=1)
    deductions = selectors.deductions_visible_to(request.user).filter(staff=me).order_by("-occurred_on", "-pk")
    month_points = deductions.filter(occurred_on__gte=month_start).aggregate(total=Sum("points"))["total"] or 0
    open_entries = selectors.entries_visible_to(request.user).filter(staff=me, outcome="missing", closed_at__isnull=True)
    this_week_done = submissions.filter(week_start=this_week).exists()
    return render(
        request,
        "appraisal/my_backups.html",
        {
            "me": me,
            "form": form,
            "page": page,
            "this_week": this_week,
            "this_week_due": due_moment(this_week),
            "this_week_done": this_week_done,
            "open_entries": list(open_entries.order_by("week_start")),
            "deductions": list(deductions[:20]),
            "month_points": month_points,
            "rules": rules,
            "today": today,
        },
    )


@login_required
def backup_download(request, pk: int):
    """The owner, or a reviewer while the backup is recent; anyone else gets a 404 (and no log row)."""
    submission = get_object_or_404(BackupSubmission.objects.select_related("staff"), pk=pk)
    return backup_file_response(request, submission)


# --- compliance (reviewers) -------------------------------------------------------------------


def _week_param(request, default: date) -> date:
    raw = request.GET.get("week") or ""
    try:
        week = date.fromisoformat(raw) if raw else default
    except ValueError:
        raise Http404 from None
    return week_start_of(week) if not is_week_start(week) else week


@role_required(*selectors.REVIEWER_ROLES)
def compliance(request):
    now = timezone.now()
    this_week = week_start_of(timezone.localdate(now))
    week = _week_param(request, this_week)
    if week > this_week:
        raise Http404
    due = due_moment(week)
    rows = list(selectors.compliance_rows(request.user, week))
    states = [row_state(row, due=due, now=now) for row in rows]
    return render(
        request,
        "appraisal/compliance.html",
        {
            "week": week,
            "this_week": this_week,
            "previous_week": week - timedelta(weeks=1),
            "next_week": week + timedelta(weeks=1) if week < this_week else None,
            "due": due,
            "rows": list(zip(rows, states, strict=True)),
            "counts": summarise(states),
            "check": BackupCheck.objects.filter(week_start=week).first(),
            "history": selectors.check_history(request.user),
            "reason_form": ReasonForm(),
        },
    )


@role_required(*selectors.REVIEWER_ROLES)
def compliance_export(request):
    now = timezone.now()
    this_week = week_start_of(timezone.localdate(now))
    week = _week_param(request, this_week)
    rows = selectors.compliance_rows(request.user, week)
    return compliance_response(rows, week_start=week, due=due_moment(week), now=now, user=request.user)


@role_required(*selectors.REVIEWER_ROLES)
@require_POST
def mark_incomplete(request, pk: int):
    submission = get_object_or_404(selectors.submissions_visible_to(request.user), pk=pk)
    form = ReasonForm(request.POST)
    back = f"{reverse('appraisal:compliance')}?week={submission.week_start.isoformat()}"
    if not form.is_valid():
        messages.error(request, _("Say what is missing from the backup."))
        return redirect(back)
    try:
        services.mark_backup_incomplete(submission=submission, reason=form.cleaned_data["reason"], actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("The backup of %(name)s is marked incomplete.") % {"name": submission.staff.name}
        )
    return redirect(back)


# --- borrowing --------------------------------------------------------------------------------


@login_required
def borrow_list(request):
    me = staff_of(request.user)
    if me is None:
        return _no_staff(request)
    form = BorrowForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            borrow = services.request_borrow(
                requester=me, submission=form.submission, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Request %(number)s sent for approval.") % {"number": borrow.number})
            return redirect("appraisal:borrow_detail", pk=borrow.pk)
    mine = selectors.borrow_requests_visible_to(request.user).filter(requester=me).order_by("-created_at", "-pk")
    return render(
        request,
        "appraisal/borrow_list.html",
        {
            "form": form,
            "page": Paginator(mine, 20).get_page(request.GET.get("page")),
            "awaiting": selectors.borrow_requests_awaiting(request.user),
            "now": timezone.now(),
        },
    )


@login_required
def borrow_detail(request, pk: int):
    borrow = get_object_or_404(selectors.borrow_requests_visible_to(request.user), pk=pk)
    now = timezone.now()
    is_requester = borrow.requester.user_id == request.user.pk
    return render(
        request,
        "appraisal/borrow_detail.html",
        {
            "borrow": borrow,
            "to_decide": selectors.departments_to_decide(request.user, borrow),
            "is_requester": is_requester,
            "can_download": is_requester and borrow.status == BorrowRequest.Status.APPROVED and borrow.expires_at > now,
            "can_cancel": is_requester and borrow.status in (BorrowRequest.Status.PENDING, BorrowRequest.Status.APPROVED),
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def borrow_decide(request, pk: int):
    borrow = get_object_or_404(selectors.borrow_requests_visible_to(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to reject."))
        return redirect("appraisal:borrow_detail", pk=pk)
    try:
        if form.cleaned_data["decision"] == "approve":
            borrow = services.approve_borrow(borrow=borrow, actor=request.user, comment=form.cleaned_data["comment"])
        else:
            borrow = services.reject_borrow(borrow=borrow, actor=request.user, comment=form.cleaned_data["comment"])
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Decision recorded: %(status)s.") % {"status": borrow.get_status_display()})
    return redirect("appraisal:borrow_detail", pk=pk)


@login_required
@require_POST
def borrow_cancel(request, pk: int):
    borrow = get_object_or_404(selectors.borrow_requests_visible_to(request.user), pk=pk)
    try:
        services.cancel_borrow(borrow=borrow, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Request %(number)s cancelled.") % {"number": borrow.number})
    return redirect("appraisal:borrow_detail", pk=pk)


@login_required
def borrow_download(request, pk: int):
    borrow = get_object_or_404(selectors.borrow_requests_visible_to(request.user), pk=pk)
    return backup_file_response(request, borrow.submission)
