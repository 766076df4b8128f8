"""Finance writes: reconciliation marks on billable orders and the monthly fee report's workflow."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.org.models import Role
from servicedesk.org.roles import has_role
from tickets.models import WorkOrder

from .. import selectors
from ..exceptions import DomainError, InvalidTransition, NotAllowed
from ..models import BillingMark, FeeReport, FeeReportStep

NOTE_MAX = 200


def _ensure_finance(actor) -> None:
    if not (actor.is_superuser or has_role(actor, Role.FINANCE)):
        raise NotAllowed(_("Only finance may do this."), field="actor")


def _ensure_manager(actor) -> None:
    if not (actor.is_superuser or has_role(actor, Role.MANAGER, Role.GENERAL_MANAGER)):
        raise NotAllowed(_("Only a manager may decide on the fee report."), field="actor")


@transaction.atomic
def set_billing_mark(*, order: WorkOrder, status: str, actor, note: str = "", now=None) -> BillingMark:
    """Mark a billable order paid or unpaid (finance only); the mark's history is kept by the audit trail."""
    _ensure_finance(actor)
    now = now or timezone.now()
    if status not in BillingMark.Status.values:
        raise DomainError(_("Choose paid or unpaid."), field="status")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(_("The note is longer than %(n)d characters.") % {"n": NOTE_MAX}, field="note")
    # Lock the order row (reading only: it is frozen) so two clerks marking it queue up.
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if order.signed_at is None or order.total_charge <= 0 or order.status not in (WorkOrder.Status.SIGNED, WorkOrder.Status.CLOSED):
        raise DomainError(_("Only signed work orders with a charge are reconciled."), field="order")
    mark, _created = BillingMark.objects.update_or_create(
        order=order, defaults={"status": status, "note": note, "marked_by": actor, "marked_at": now}
    )
    return mark


def _parse_month(month) -> date:
    if isinstance(month, date):
        return month.replace(day=1)
    try:
        year, mon = str(month or "").strip().split("-")[:2]
        return date(int(year), int(mon), 1)
    except (ValueError, TypeError):
        raise DomainError(_("Enter a month as YYYY-MM."), field="month") from None


def parse_month(month) -> date:
    """``"2026-10"`` (or a date) → 2026-10-01; a clear error naming ``month`` otherwise."""
    return _parse_month(month)


def _event(report: FeeReport, kind: str, actor, now, comment: str = "") -> None:
    FeeReportStep.objects.create(
        report=report, kind=kind, actor=actor, at=now, comment=comment, version=report.version, figures=report.figures
    )


def _lock_report(report: FeeReport) -> FeeReport:
    return FeeReport.objects.select_for_update().get(pk=report.pk)


def _move(report: FeeReport, to: str) -> None:
    if to not in FeeReport.ALLOWED_TRANSITIONS[report.status]:
        raise InvalidTransition(
            _("The fee report is %(status)s: this step is not possible now.") % {"status": report.get_status_display()},
            field="status",
        )
    report.status = to


@transaction.atomic
def prepare_fee_report(*, month, actor, note: str = "", now=None) -> FeeReport:
    """Finance takes the month's figures (new report, or fresh figures for a draft / returned one → DRAFT)."""
    _ensure_finance(actor)
    now = now or timezone.now()
    month = _parse_month(month)
    if month > timezone.localdate(now).replace(day=1):
        raise DomainError(_("The month has not begun yet."), field="month")
    figures = selectors.fee_figures(month=month)
    report = FeeReport.objects.select_for_update().filter(month=month).first()
    if report is None:
        report = FeeReport.objects.create(month=month, figures=figures, prepared_by=actor, prepared_at=now, note=note.strip())
    else:
        if report.status not in (FeeReport.Status.DRAFT, FeeReport.Status.RETURNED):
            raise InvalidTransition(
                _("The fee report of this month is %(status)s; it can no longer be prepared again.") % {"status": report.get_status_display()},
                field="month",
            )
        report.status = FeeReport.Status.DRAFT
        report.figures = figures
        report.version += 1
        report.prepared_by, report.prepared_at = actor, now
        if note:
            report.note = note.strip()
        report.save()
    _event(report, "prepared", actor, now)
    return report


@transaction.atomic
def submit_fee_report(*, report: FeeReport, actor, now=None) -> FeeReport:
    """DRAFT → SUBMITTED (finance): the manager is asked to approve the snapshot as it is."""
    _ensure_finance(actor)
    now = now or timezone.now()
    report = _lock_report(report)
    _move(report, FeeReport.Status.SUBMITTED)
    report.submitted_at = now
    report.decided_by, report.decided_at, report.decision_comment = None, None, ""
    report.save()
    _event(report, "submitted", actor, now)
    return report


@transaction.atomic
def approve_fee_report(*, report: FeeReport, actor, comment: str = "", now=None) -> FeeReport:
    """SUBMITTED → APPROVED (manager)."""
    _ensure_manager(actor)
    now = now or timezone.now()
    report = _lock_report(report)
    _move(report, FeeReport.Status.APPROVED)
    report.decided_by, report.decided_at, report.decision_comment = actor, now, (comment or "").strip()
    report.save()
    _event(report, "approved", actor, now, report.decision_comment)
    return report


@transaction.atomic
def return_fee_report(*, report: FeeReport, actor, comment: str, now=None) -> FeeReport:
    """SUBMITTED → RETURNED (manager), with the reason finance must address."""
    _ensure_manager(actor)
    now = now or timezone.now()
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(_("Say why the report is returned."), field="comment")
    report = _lock_report(report)
    _move(report, FeeReport.Status.RETURNED)
    report.decided_by, report.decided_at, report.decision_comment = actor, now, comment
    report.save()
    _event(report, "returned", actor, now, comment)
    return report
