"""Excel export of a month's scorecards (formula-safe cells: servicedesk.core.xlsx), with the formula on a second sheet."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from servicedesk.core.xlsx import INTEGER, MONEY, Column, write_table

from . import scoring
from .exports import XLSX

NUMBER = MONEY  # a number with two decimals (rates, averages, points), sortable and summable in Excel


def _num(value):
    return value


def scorecards_workbook(month, cards) -> Workbook:
    cards = list(cards)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Scorecards %(month)s") % {"month": f"{month.month:%Y-%m}"}
    columns = [
        Column(_("Rank in department"), INTEGER), Column(_("Rank in station"), INTEGER), Column(_("Employee number")),
        Column(_("Name")), Column(_("Service station")), Column(_("Problems resolved"), INTEGER),
        Column(_("Customer visits"), INTEGER), Column(_("Timeliness rate (%)"), NUMBER), Column(_("Satisfaction rate (%)"), NUMBER),
        Column(_("Complaint rate (%)"), NUMBER), Column(_("Reworks"), INTEGER), Column(_("Average time on site (minutes)"), NUMBER),
        Column(_("Visits over the time limit"), INTEGER), Column(_("Backup deductions (points)"), INTEGER),
        Column(_("Average feedback form score"), NUMBER), Column(_("Weighted points"), NUMBER), Column(_("Deductions"), NUMBER),
        Column(_("Manager adjustments"), NUMBER), Column(_("Total"), NUMBER), Column(_("Grade")),
    ]
    write_table(
        ws, columns,
        ((c.rank_department, c.rank_station, c.technician.employee_no, c.technician.name,
          c.station.name if c.station else "", c.problems_resolved, c.visits_done, _num(c.timeliness_rate),
          _num(c.satisfaction_rate), _num(c.complaint_rate), c.reworks, _num(c.on_site_avg_minutes), c.on_site_over_limit,
          c.backup_points, _num(c.feedback_avg), c.base_points, c.deduction_points,
          c.adjustment_points, c.total, c.grade) for c in cards),
        title=_("Monthly scorecards %(month)s") % {"month": f"{month.month:%Y-%m}"},
        subtitle=" · ".join([
            _("Status: %(status)s") % {"status": month.get_status_display()},
            _("Exported on %(date)s") % {"date": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        ]),
    )
    if cards:
        formula = wb.create_sheet(_("Formula"))
        write_table(formula, [Column(_("How the total is computed"))], ([line] for line in scoring.formula_lines(cards[0].config)))
    return wb


def scorecards_response(month, cards) -> HttpResponse:
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="scorecards-{month.month:%Y-%m}.xlsx"'
    scorecards_workbook(month, cards).save(response)
    return response
