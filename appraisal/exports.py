"""Excel export of one week's backup compliance (formula-safe cells: servicedesk.core.xlsx)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from servicedesk.core.xlsx import DATE, INTEGER, Column, write_table

from .compliance import row_state, summarise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def compliance_response(rows, *, week_start: date, due: datetime | None, now: datetime, user) -> HttpResponse:
    """The rows of :func:`appraisal.selectors.compliance_rows` as an .xlsx attachment."""
    rows = list(rows)
    states = [row_state(row, due=due, now=now) for row in rows]
    counts = summarise(states)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Backups %(week)s") % {"week": week_start.isoformat()}
    write_table(
        ws,
        [
            Column(_("Employee number")),
            Column(_("Name")),
            Column(_("Service station")),
            Column(_("Week"), DATE),
            Column(_("Result")),
            Column(_("First submitted at")),
            Column(_("Submissions"), INTEGER),
            Column(_("Overdue days"), INTEGER),
            Column(_("Incomplete")),
            Column(_("Points deducted"), INTEGER),
        ],
        (
            (
                row.employee_no,
                row.name,
                row.station.name if row.station else "",
                week_start,
                state.label,
                _local(row.first_submitted_at),
                row.submission_count,
                state.overdue_days,
                _("yes") if any(s.is_incomplete for s in row.week_submissions) else "",
                row.week_points,
            )
            for row, state in zip(rows, states, strict=True)
        ),
        title=_("Weekly backup compliance, week of %(week)s") % {"week": week_start.isoformat()},
        subtitle=" · ".join(
            [
                _("Due %(due)s") % {"due": _local(due) or _("nothing due")},
                _("On time %(on_time)d, late %(late)d, missing %(missing)d, skipped %(exempt)d of %(total)d") % counts,
                _("Exported on %(date)s by %(user)s") % {"date": _local(now), "user": user.get_username()},
            ]
        ),
        totals=[_("Total"), None, None, None, None, None, sum(r.submission_count for r in rows),
                sum(s.overdue_days for s in states), None, sum(r.week_points for r in rows)],
    )
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="backups-{week_start.isoformat()}.xlsx"'
    wb.save(response)
    return response
