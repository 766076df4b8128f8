"""Streaming Excel sheets (openpyxl write-only mode) that no cell text can turn into a formula.

openpyxl stores any string starting with ``=`` as a formula, so every text cell here is a
``WriteOnlyCell`` whose type is forced to string after the text was neutralised by
:func:`safe_text`: NUL and other control characters removed, and text a spreadsheet would
evaluate (``=``, ``+``, ``-``, ``@``, tab, CR, LF at the start) prefixed with an apostrophe.
Amounts stay numeric cells (negative ones too) with a CNY number format, so sums and sorting work.

Write-only sheets keep nothing in memory: a row is serialised as soon as it is appended. Column
widths, the frozen header, print titles and page setup must therefore be set before the first row,
which :class:`StreamingSheet` does in its constructor. For speed the styled cells are prepared
once per column and reused for every row (openpyxl writes a row synchronously on ``append``).

No database here: callers pass rows (tuples or generators); the billing sheet layout is in
:mod:`reports.billing`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

# One rule for text in every export (normal and streaming): servicedesk.core.xlsx.
from servicedesk.core.xlsx import _display_width, safe_text  # noqa: F401  (safe_text is re-exported)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Positive; negative (shown with a minus, in red); zero.
CNY_FORMAT = '"¥"#,##0.00;[Red]-"¥"#,##0.00;"¥"0.00'
QTY_FORMAT = "#,##0.###"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

TEXT, MONEY, INTEGER, QTY, DATE, DATETIME = "text", "money", "integer", "qty", "date", "datetime"
_FORMATS = {MONEY: CNY_FORMAT, INTEGER: INTEGER_FORMAT, QTY: QTY_FORMAT, DATE: DATE_FORMAT, DATETIME: DATETIME_FORMAT}

SHEET_TITLE_MAX = 31
_SHEET_TITLE_BAD = re.compile(r"[\\/*?:\[\]]")


def sheet_title(text: str) -> str:
    return _SHEET_TITLE_BAD.sub("_", str(text))[:SHEET_TITLE_MAX] or "Sheet"


@dataclass(frozen=True)
class Column:
    """A column of an exported table: its header, how its cells are written, its width (characters)."""

    header: str
    kind: str = TEXT
    width: float | None = None


def new_workbook() -> Workbook:
    """An empty streaming workbook (write-only: sheets are added with :class:`StreamingSheet`)."""
    return Workbook(write_only=True)


_DEFAULT_WIDTHS = {TEXT: 18, MONEY: 14, INTEGER: 8, QTY: 10, DATE: 11, DATETIME: 16}

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
SUBTITLE_FONT = Font(color="444444")
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
SUBTOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="999999")
HEADER_BORDER = Border(bottom=_THIN)
TOTAL_BORDER = Border(top=_THIN, bottom=Side(style="double", color="666666"))
WRAP = Alignment(vertical="center", wrap_text=True)


class StreamingSheet:
    """One write-only worksheet: heading lines, a frozen and print-repeated header row, then rows.

    ``heading`` lines come first (the first one large and bold: the title). Styles of the three
    row kinds (plain, subtotal, total) are fixed per column here, once.
    """

    def __init__(
        self,
        wb: Workbook,
        title: str,
        columns: Sequence[Column],
        *,
        heading: Sequence[str] = (),
        landscape: bool = True,
        page_header: str = "",
        page_footer: str = "",
    ):
        self.columns = list(columns)
        self.ws = ws = wb.create_sheet(title=sheet_title(title))
        self.rows_written = 0
        for index, column in enumerate(self.columns, start=1):
            width = column.width or max(_DEFAULT_WIDTHS.get(column.kind, 12), _display_width(column.header) + 2)
            ws.column_dimensions[get_column_letter(index)].width = width
        self.header_row = len(heading) + 1
        ws.freeze_panes = f"A{self.header_row + 1}"
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        if page_header:
            ws.oddHeader.center.text = safe_text(page_header)
        if page_footer:
            ws.oddFooter.center.text = page_footer  # our own text with &P / &N codes, not user input

        for number, line in enumerate(heading):
            ws.append([self._text_cell(line, font=TITLE_FONT if number == 0 else SUBTITLE_FONT)])
        ws.append([self._text_cell(c.header, font=BOLD, fill=HEADER_FILL, border=HEADER_BORDER, alignment=WRAP) for c in self.columns])

        self._plain = [self._template(c) for c in self.columns]
        self._subtotal = [self._template(c, font=BOLD, fill=SUBTOTAL_FILL) for c in self.columns]
        self._total = [self._template(c, font=BOLD, border=TOTAL_BORDER) for c in self.columns]

    # --- cells ---------------------------------------------------------------------------------

    def _text_cell(self, value, **style) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws)
        for name, val in style.items():
            setattr(cell, name, val)
        cell.value = safe_text(value)
        cell.data_type = "s"
        return cell

    def _template(self, column: Column, **style) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws)
        for name, val in style.items():
            setattr(cell, name, val)
        if column.kind in _FORMATS:
            cell.number_format = _FORMATS[column.kind]
        return cell

    @staticmethod
    def _fill(cell: WriteOnlyCell, kind: str, value) -> WriteOnlyCell | None:
        if value is None or value == "":
            return None
        if kind == TEXT:
            cell.value = safe_text(value)
            cell.data_type = "s"  # even a string openpyxl would take for a formula stays a string
        elif kind in (MONEY, QTY):
            cell.value = value if isinstance(value, (Decimal, int, float)) else Decimal(str(value))
        elif kind == INTEGER:
            cell.value = int(value)
        elif kind == DATETIME and isinstance(value, datetime):
            # Excel has no time zones: local wall-clock time, as people read it.
            cell.value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        elif kind in (DATE, DATETIME) and isinstance(value, (date, datetime)):
            cell.value = value
        else:
            cell.value = safe_text(value)
            cell.data_type = "s"
        return cell

    def _append(self, templates: list[WriteOnlyCell], values: Sequence) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"expected {len(self.columns)} values, got {len(values)}")
        self.ws.append([self._fill(cell, col.kind, v) for cell, col, v in zip(templates, self.columns, values)])

    # --- rows ----------------------------------------------------------------------------------

    def row(self, values: Sequence) -> None:
        self._append(self._plain, values)
        self.rows_written += 1

    def rows(self, rows: Iterable[Sequence]) -> int:
        count = 0
        for values in rows:
            self._append(self._plain, values)
            count += 1
        self.rows_written += count
        return count

    def subtotal(self, values: Sequence) -> None:
        self._append(self._subtotal, values)

    def total(self, values: Sequence) -> None:
        self._append(self._total, values)

    def blank(self) -> None:
        self.ws.append([])

    def note(self, text: str) -> None:
        """A line of text under the table (sign-off lines, remarks)."""
        self.ws.append([self._text_cell(text)])


def write_list(
    wb: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    *,
    heading: Sequence[str] = (),
    progress=None,
    progress_every: int = 1000,
) -> int:
    """A plain list sheet (list exports): heading, header, rows. ``progress(n)`` every ``progress_every`` rows."""
    sheet = StreamingSheet(wb, title, columns, heading=heading or [title])
    count = 0
    for values in rows:
        sheet.row(values)
        count += 1
        if progress is not None and count % progress_every == 0:
            progress(count)
    if progress is not None:
        progress(count)
    return count
