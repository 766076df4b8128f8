"""Excel exports of stock and moves (formula-safe, through :mod:`servicedesk.core.xlsx`).

Report data comes from the scoped querysets the caller passes; this module only formats.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from servicedesk.core.xlsx import MONEY, Column, write_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QTY_FORMAT = "#,##0.###"
CENT = Decimal("0.01")


def _qty_columns(ws, columns: list[Column], names: set[str], first_data_row: int, last_row: int) -> None:
    # Quantities are numbers (Decimal) so Excel sums them; show up to 3 decimals, no trailing zeros.
    for index, column in enumerate(columns, start=1):
        if column.header in names:
            for row in ws.iter_rows(min_row=first_data_row, max_row=last_row, min_col=index, max_col=index):
                for cell in row:
                    cell.number_format = QTY_FORMAT


def _response(wb: Workbook, stem: str) -> HttpResponse:
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate().isoformat()}.xlsx"'
    wb.save(response)
    return response


def stock_workbook(balances: QuerySet) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Stock")[:31]
    qty = _("On hand")
    columns = [
        Column(_("Location code")),
        Column(_("Location")),
        Column(_("Part number")),
        Column(_("Part name")),
        Column(_("Specification")),
        Column(_("Unit")),
        Column(qty, MONEY),
        Column(_("Low-stock threshold"), MONEY),
        Column(_("Unit price (CNY)"), MONEY),
        Column(_("Value (CNY)"), MONEY),
    ]
    rows = (
        (
            b.location.code,
            b.location.name,
            b.part.number,
            b.part.name,
            b.part.spec,
            b.part.unit,
            b.qty,
            b.part.low_stock_threshold,
            b.part.price,
            (b.qty * b.part.price).quantize(CENT),
        )
        for b in balances.select_related("part", "location").order_by("location__code", "part__number").iterator(chunk_size=2000)
    )
    count = write_table(
        ws,
        columns,
        rows,
        title=_("Stock on hand"),
        subtitle=_("Exported on %(date)s") % {"date": timezone.localdate().isoformat()},
    )
    _qty_columns(ws, columns, {qty, _("Low-stock threshold")}, 4, 3 + count)
    return wb


def moves_workbook(moves: QuerySet) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Stock moves")[:31]
    qty = _("Quantity")
    columns = [
        Column(_("Posted at")),
        Column(_("Kind")),
        Column(_("Part number")),
        Column(_("Part name")),
        Column(qty, MONEY),
        Column(_("From")),
        Column(_("To")),
        Column(_("Reference document")),
        Column(_("By")),
        Column(_("Note")),
    ]
    rows = (
        (
            timezone.localtime(m.posted_at).strftime("%Y-%m-%d %H:%M:%S"),
            m.get_kind_display(),
            m.part.number,
            m.part.name,
            m.qty,
            m.from_location.name if m.from_location else "",
            m.to_location.name if m.to_location else "",
            m.reference,
            m.actor.username,
            m.note,
        )
        for m in moves.select_related("part", "from_location", "to_location", "actor")
        .order_by("posted_at", "pk")
        .iterator(chunk_size=2000)
    )
    count = write_table(
        ws,
        columns,
        rows,
        title=_("Stock moves"),
        subtitle=_("Exported on %(date)s") % {"date": timezone.localdate().isoformat()},
    )
    _qty_columns(ws, columns, {qty}, 4, 3 + count)
    return wb


def stock_response(balances: QuerySet) -> HttpResponse:
    return _response(stock_workbook(balances), "stock")


def moves_response(moves: QuerySet) -> HttpResponse:
    return _response(moves_workbook(moves), "stock-moves")
