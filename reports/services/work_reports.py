"""Work reports (服务周报 / 月报): drafted from the data, written by the station head, approved or
returned by the manager, answered (批复) by the station's provincial supervisor."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk import calendar
from servicedesk.notifications.services import notify_users
from servicedesk.org.models import Role, Station
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of

from .. import selectors
from ..exceptions import DomainError, InvalidTransition, NotAllowed
from ..models import WorkReport, WorkReportStep

TEXT_MAX = 10_000
W = WorkReport.Status


# --- periods and due dates ----------------------------------------------------------------------


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def period_bounds(period: str, start: date) -> tuple[date, date]:
    """The period containing ``start``, normalised: a Monday–Sunday week or a calendar month."""
    if period == WorkReport.Period.WEEKLY:
        first = week_start(start)
        return first, first + timedelta(days=6)
    if period == WorkReport.Period.MONTHLY:
        first = start.replace(day=1)
        return first, selectors.month_end(first)
    raise DomainError(_("Choose a weekly or a monthly report."), field="period")


def nth_working_day(first: date, n: int) -> date:
    day, seen = first, 0
    for _i in range(60):
        if calendar.is_working_day(day):
            seen += 1
            if seen == n:
                return day
        day += timedelta(days=1)
    return first + timedelta(days=n - 1)  # a calendar without working days: count plain days


def due_at(period: str, first: date) -> datetime:
    """Weekly: Monday 12:00 after the week. Monthly: the end of the 3rd working day of the next month."""
    if period == WorkReport.Period.WEEKLY:
        return timezone.make_aware(datetime.combine(first + timedelta(days=7), time(12, 0)))
    day = nth_working_day(selectors.next_month(first), 3)
    periods = calendar.working_periods(day)
    if periods:
        return periods[-1][1]
    return timezone.make_aware(datetime.combine(day, time(18, 0)))


# --- who may do what ----------------------------------------------------------------------------


def is_head_of(user, station: Station) -> bool:
    if user.is_superuser:
        return True
    if not has_role(user, Role.STATION_HEAD):
        return False
    if station.head_id == user.pk:
        return True
    me = staff_of(user)
    return me is not None and me.station_id == station.pk


def _ensure_head(report: WorkReport, actor) -> None:
    if not is_head_of(actor, report.station):
        raise NotAllowed(_("Only the head of this station writes and submits its reports."), field="actor")


def _ensure_manager(actor) -> None:
    if not (actor.is_superuser or has_role(actor, Role.MANAGER, Role.GENERAL_MANAGER)):
        raise NotAllowed(_("Only a manager approves or returns work reports."), field="actor")


def _ensure_supervisor(report: WorkReport, actor) -> None:
    if not (actor.is_superuser or (report.station.provincial_supervisor_id and report.station.provincial_supervisor_id == actor.pk)):
        raise NotAllowed(_("Only the station's provincial supervisor replies to its reports."), field="actor")


# --- steps --------------------------------------------------------------------------------------


def _event(report: WorkReport, kind: str, actor, now, comment: str = "", snapshot: dict | None = None) -> WorkReportStep:
    return WorkReportStep.objects.create(
        report=report, kind=kind, actor=actor, at=now, comment=comment, version=report.version, snapshot=snapshot or {}
    )


def _lock(report: WorkReport) -> WorkReport:
    return WorkReport.objects.select_for_update().select_related("station").get(pk=report.pk)


def _move(report: WorkReport, to: str) -> None:
    if to not in WorkReport.ALLOWED_TRANSITIONS[report.status]:
        raise InvalidTransition(
            _("The report is %(status)s: this step is not possible now.") % {"status": report.get_status_display()},
            field="status",
        )
    report.status = to


def _text(value, field: str) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise DomainError(_("Enter text."), field=field)
    if len(text) > TEXT_MAX:
        raise DomainError(_("The text is longer than %(n)d characters.") % {"n": TEXT_MAX}, field=field)
    return text


def _snapshot(report: WorkReport) -> dict:
    return {
        "figures": report.figures, "cases": report.cases,
        **{name: getattr(report, name) for name in WorkReport.NARRATIVE_FIELDS},
    }


def _after_commit_notify(users, *, kind: str, title: str, body: str, report: WorkReport, step: str) -> None:
    recipients = [u for u in users if u is not None]
    if not recipients:
        return
    url = f"/reports/work-reports/{report.pk}/"
    transaction.on_commit(lambda: notify_users(
        recipients=recipients, kind=kind, title=title, body=body, url=url, key=f"work_report:{report.pk}:{step}:{report.version}",
    ))


def _title(report: WorkReport) -> str:
    return _("%(station)s %(period)s %(start)s – %(end)s") % {
        "station": report.station.name, "period": report.get_period_display(),
        "start": report.period_start.isoformat(), "end": report.period_end.isoformat(),
    }


@transaction.atomic
def draft_work_report(*, station: Station, period: str, start: date, actor=None, now=None) -> WorkReport:
    """A new DRAFT with the period's figures and notable cases; an existing report is returned as it is."""
    now = now or timezone.now()
    first, last = period_bounds(period, start)
    existing = WorkReport.objects.filter(station=station, period=period, period_start=first).first()
    if existing is not None:
        return existing
    if first > timezone.localdate(now):
        raise DomainError(_("The period has not begun yet."), field="period_start")
    figures, cases = selectors.work_report_figures(station=station, first=first, last=last)
    try:
        with transaction.atomic():
            report = WorkReport.objects.create(
                station=station, period=period, period_start=first, period_end=last, due_at=due_at(period, first),
                figures=figures, cases=cases, drafted_at=now,
            )
    except IntegrityError:  # drafted by a concurrent run meanwhile
        return WorkReport.objects.get(station=station, period=period, period_start=first)
    _event(report, "drafted", actor, now)
    return report


@transaction.atomic
def refresh_work_report(*, report: WorkReport, actor, now=None) -> WorkReport:
    """Take the figures again (station head, while the report is a draft or returned)."""
    now = now or timezone.now()
    report = _lock(report)
    _ensure_head(report, actor)
    if report.status not in WorkReport.EDITABLE:
        raise InvalidTransition(_("The report is %(status)s: this step is not possible now.") % {"status": report.get_status_display()}, field="status")
    report.figures, report.cases = selectors.work_report_figures(station=report.station, first=report.period_start, last=report.period_end)
    report.save(update_fields=["figures", "cases"])
    _event(report, "refreshed", actor, now)
    return report


@transaction.atomic
def edit_work_report(*, report: WorkReport, actor, now=None, **sections) -> WorkReport:
    """The station head writes the narrative (summary, problems, plans) of a draft or returned report."""
    now = now or timezone.now()
    unknown = set(sections) - set(WorkReport.NARRATIVE_FIELDS)
    if unknown:
        raise DomainError(_("This part of the report cannot be edited."), field=sorted(unknown)[0])
    report = _lock(report)
    _ensure_head(report, actor)
    if report.status not in WorkReport.EDITABLE:
        raise InvalidTransition(_("The report is %(status)s: this step is not possible now.") % {"status": report.get_status_display()}, field="status")
    changed = []
    for name, value in sections.items():
        text = _text(value, name)
        if getattr(report, name) != text:
            setattr(report, name, text)
            changed.append(name)
    if changed:
        report.save(update_fields=changed)
        _event(report, "edited", actor, now, comment=", ".join(changed))
    return report


@transaction.atomic
def submit_work_report(*, report: WorkReport, actor, now=None) -> WorkReport:
    """DRAFT / RETURNED → SUBMITTED (station head): a new version is stored; managers are told."""
    now = now or timezone.now()
    report = _lock(report)
    _ensure_head(report, actor)
    _move(report, W.SUBMITTED)
    if not report.summary.strip():
        raise DomainError(_("Write the work summary before submitting."), field="summary")
    report.version += 1
    report.submitted_at, report.submitted_by = now, actor
    report.save(update_fields=["status", "version", "submitted_at", "submitted_by"])
    _event(report, "submitted", actor, now, snapshot=_snapshot(report))
    managers = get_user_model().objects.filter(groups__name__in=[Role.MANAGER], is_active=True).distinct()
    _after_commit_notify(list(managers), kind="work_report_submitted", title=_("Work report to approve: %(title)s") % {"title": _title(report)},
                         body="", report=report, step="submitted")
    return report


@transaction.atomic
def approve_work_report(*, report: WorkReport, actor, comment: str = "", now=None) -> WorkReport:
    """SUBMITTED → APPROVED (manager); the provincial supervisor is asked for his reply."""
    now = now or timezone.now()
    _ensure_manager(actor)
    report = _lock(report)
    _move(report, W.APPROVED)
    comment = _text(comment, "comment")
    report.approved_at, report.approved_by = now, actor
    report.save(update_fields=["status", "approved_at", "approved_by"])
    _event(report, "approved", actor, now, comment=comment)
    _after_commit_notify([report.station.provincial_supervisor, report.station.head], kind="work_report_approved",
                         title=_("Work report approved: %(title)s") % {"title": _title(report)}, body=comment, report=report, step="approved")
    return report


@transaction.atomic
def return_work_report(*, report: WorkReport, actor, comment: str, now=None) -> WorkReport:
    """SUBMITTED → RETURNED (manager) with the comments the station head must address."""
    now = now or timezone.now()
    _ensure_manager(actor)
    comment = _text(comment, "comment")
    if not comment:
        raise DomainError(_("Say what must be changed."), field="comment")
    report = _lock(report)
    _move(report, W.RETURNED)
    report.save(update_fields=["status"])
    _event(report, "returned", actor, now, comment=comment)
    _after_commit_notify([report.station.head, report.submitted_by], kind="work_report_returned",
                         title=_("Work report returned: %(title)s") % {"title": _title(report)}, body=comment, report=report, step="returned")
    return report


@transaction.atomic
def reply_work_report(*, report: WorkReport, actor, reply: str, now=None) -> WorkReport:
    """APPROVED → REPLIED (批复, the station's provincial supervisor)."""
    now = now or timezone.now()
    report = _lock(report)
    _ensure_supervisor(report, actor)
    reply = _text(reply, "reply")
    if not reply:
        raise DomainError(_("Write the reply."), field="reply")
    _move(report, W.REPLIED)
    report.reply, report.replied_at, report.replied_by = reply, now, actor
    report.save(update_fields=["status", "reply", "replied_at", "replied_by"])
    _event(report, "replied", actor, now, comment=reply)
    _after_commit_notify([report.station.head], kind="work_report_replied",
                         title=_("Reply to the work report: %(title)s") % {"title": _title(report)}, body=reply, report=report, step="replied")
    return report


def draft_due_work_reports(*, today: date | None = None) -> int:
    """Draft last week's and last month's reports of every active station (idempotent). Returns how many were new."""
    today = today or timezone.localdate()
    last_week = week_start(today) - timedelta(days=7)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    created = 0
    for station in Station.objects.filter(is_active=True).order_by("code"):
        for period, start in ((WorkReport.Period.WEEKLY, last_week), (WorkReport.Period.MONTHLY, last_month)):
            before = WorkReport.objects.filter(station=station, period=period, period_start=start).exists()
            if not before:
                draft_work_report(station=station, period=period, start=start)
                created += 1
    return created
