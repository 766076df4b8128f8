"""Excel writing that cannot be turned against the person who opens the file.

Every text cell goes through :func:`safe_text`: it is stored as a string, and text that a
spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab, CR, LF at the start) gets a
leading apostrophe — a customer called ``=HYPERLINK(...)`` stays a name. Money is numeric with a
CNY-style number format so totals and sorting work in Excel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

MONEY_FORMAT = "#,##0.00"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"

# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

TEXT, MONEY, INTEGER, DATE = "text", "money", "integer", "date"


def safe_text(value) -> str:
    """Any value → a string that a spreadsheet shows as text and never evaluates."""
    if value is None:
        return ""
    text = str(value)
    # openpyxl refuses control characters outright; they never belong in a cell anyway.
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith(_FORMULA_STARTS):
        text = "'" + text
    return text


@dataclass(frozen=True)
class Column:
    """A column of an exported table: its header and how its cells are written."""

    header: str
    kind: str = TEXT
    width: int | None = None


def _display_width(text: str) -> int:
    # A CJK character is about two Latin characters wide in Excel's default fonts.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _write_cell(ws: Worksheet, row: int, col: int, kind: str, value):
    cell = ws.cell(row=row, column=col)
    if kind == MONEY and value is not None and value != "":
        cell.value = value if isinstance(value, (Decimal, int, float)) else Decimal(str(value))
        cell.number_format = MONEY_FORMAT
    elif kind == INTEGER and value is not None and value != "":
        cell.value = int(value)
        cell.number_format = INTEGER_FORMAT
    elif kind == DATE and isinstance(value, (date, datetime)):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = safe_text(value)
        # Belt and braces: even a string openpyxl would guess to be a formula stays a string.
        cell.data_type = "s"
    return cell


def write_table(
    ws: Worksheet,
    headers: Sequence[Column | str],
    rows: Iterable[Sequence],
    *,
    title: str | None = None,
    subtitle: str | None = None,
    totals: Sequence | None = None,
) -> int:
    """Write an optional title (and subtitle) row, a bold frozen header row, the rows and a totals row.

    ``headers`` are :class:`Column` (or plain strings for text columns). Returns the number of data rows.
    """
    columns = [h if isinstance(h, Column) else Column(str(h)) for h in headers]
    widths = [_display_width(safe_text(c.header)) for c in columns]
    bold = Font(bold=True)
    thin = Side(style="thin", color="999999")
    row_no = 1
    if title:
        cell = ws.cell(row=row_no, column=1, value=safe_text(title))
        cell.data_type = "s"
        cell.font = Font(bold=True, size=14)
        if len(columns) > 1:
            ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=len(columns))
        row_no += 1
    if subtitle:
        cell = ws.cell(row=row_no, column=1, value=safe_text(subtitle))
        cell.data_type = "s"
        cell.font = Font(italic=True, color="555555")
        if len(columns) > 1:
            ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=len(columns))
        row_no += 1

    header_row = row_no
    fill = PatternFill("solid", fgColor="DDE6F0")
    for col_no, column in enumerate(columns, start=1):
        cell = _write_cell(ws, header_row, col_no, TEXT, column.header)
        cell.font = bold
        cell.fill = fill
        cell.border = Border(bottom=thin)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)

    count = 0
    for values in rows:
        row_no += 1
        count += 1
        for col_no, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = _write_cell(ws, row_no, col_no, column.kind, value)
            shown = cell.value if column.kind == TEXT else (f"{value:,.2f}" if column.kind == MONEY and value is not None else value)
            widths[col_no - 1] = max(widths[col_no - 1], _display_width(str(shown or "")))

    if count:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{row_no}"

    if totals is not None:
        row_no += 1
        for col_no, (column, value) in enumerate(zip(columns, totals, strict=True), start=1):
            if value is None:
                continue
            cell = _write_cell(ws, row_no, col_no, column.kind, value)
            cell.font = bold
            cell.border = Border(top=thin)

    for col_no, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col_no)].width = column.width or min(max(widths[col_no - 1] + 2, 8), 60)
    return count
