"""Excel export of visit progress: the progress page as a workbook (formula-safe: servicedesk.core.xlsx)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook

from servicedesk.core.xlsx import INTEGER, Column, write_table

from .selectors import BEHIND, MET, Progress, progress_totals


def status_label(status: str) -> str:
    return {MET: _("Target met"), BEHIND: _("Behind")}.get(status, _("On track"))


def progress_workbook(rows: list[Progress], *, month: date, station_name: str, exported_on: date, user) -> Workbook:
    """One row per technician: targets, done, percentages, expected by now, open and overdue planned visits."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Visit progress")[:31]
    totals = progress_totals(rows)
    write_table(
        ws,
        [
            Column(_("Technician")),
            Column(_("Employee number")),
            Column(_("Service station")),
            Column(_("Visits target"), INTEGER),
            Column(_("Visits done"), INTEGER),
            Column(_("Visits %"), INTEGER),
            Column(_("Visits expected by now"), INTEGER),
            Column(_("Resolved problems target"), INTEGER),
            Column(_("Problems resolved"), INTEGER),
            Column(_("Problems %"), INTEGER),
            Column(_("Problems expected by now"), INTEGER),
            Column(_("Planned, not yet recorded"), INTEGER),
            Column(_("Overdue"), INTEGER),
            Column(_("Status")),
            Column(_("Targets from")),
        ],
        (
            (
                r.technician.name, r.technician.employee_no, r.technician.station.name if r.technician.station_id else "",
                r.visits_target, r.visits_done, r.visits_percent, r.expected_visits,
                r.problems_target, r.problems_resolved, r.problems_percent, r.expected_problems,
                r.planned_open, r.overdue, status_label(r.status),
                _("monthly plan") if r.from_plan else _("default targets"),
            )
            for r in rows
        ),
        title=_("Customer visits %(month)s") % {"month": month.strftime("%Y-%m")},
        subtitle=" · ".join([
            _("Service station: %(station)s") % {"station": station_name},
            _("Exported on %(date)s by %(user)s") % {"date": exported_on.isoformat(), "user": user.get_username()},
        ]),
        totals=[
            _("Total: %(count)s technicians") % {"count": len(rows)}, None, None,
            totals["visits_target"], totals["visits_done"], None, None,
            totals["problems_target"], totals["problems_resolved"], None, None,
            totals["planned_open"], totals["overdue"], None, None,
        ],
    )
    return wb
