"""Streaming Excel sheets (openpyxl write-only mode) that no cell text can turn into a formula.

openpyxl stores any string starting with ``=`` as a formula, so every text cell here is written
explicitly as a string after the text was neutralised by :func:`safe_text`: NUL and other control
characters removed, and text a spreadsheet would evaluate (``=``, ``+``, ``-``, ``@``, tab, CR, LF
at the start) prefixed with an apostrophe. Amounts stay numeric cells (negative ones too) with a
CNY number format, so sums and sorting work.

Write-only sheets keep nothing in memory: a row is serialised as soon as it is appended. Column
widths, the frozen header, print titles and page setup must therefore be set before the first row,
which :class:`StreamingSheet` does in its constructor. The styled cells are prepared once per
column and row kind (plain, subtotal, total).

openpyxl keeps the workbook, its style table, the sheets' setup and the file; the rows themselves
(``<sheetData>``) are written by :class:`_RowWriter` as ready XML text into openpyxl's sheet
stream, because openpyxl's own per-cell path (an ElementTree element per cell, serialised in pure
Python) costs several times the work of the cells. The text writer has no formula case at all: a
text cell is always an inline string. Where openpyxl writes through lxml (no raw text stream),
openpyxl's own cells are used with the same rules, and a test holds both paths to the same cells.

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
from openpyxl import LXML, Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

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

    Rows are serialised by :class:`_RowWriter` straight into openpyxl's sheet stream (see the
    module doc); where that stream is lxml's, openpyxl's own cell objects write them instead.
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

        # Everything above is written at the top of the sheet's XML, so it must be set before this.
        self._raw = _RowWriter(ws) if _raw_rows_possible(wb) else None

        for number, line in enumerate(heading):
            self._text_row([line], [dict(font=TITLE_FONT if number == 0 else SUBTITLE_FONT)])
        header_style = dict(font=BOLD, fill=HEADER_FILL, border=HEADER_BORDER, alignment=WRAP)
        self._text_row([c.header for c in self.columns], [header_style] * len(self.columns))

        self._plain = [self._template(c) for c in self.columns]
        self._subtotal = [self._template(c, font=BOLD, fill=SUBTOTAL_FILL) for c in self.columns]
        self._total = [self._template(c, font=BOLD, border=TOTAL_BORDER) for c in self.columns]
        if self._raw is not None:
            kinds = [c.kind for c in self.columns]
            self._plain, self._subtotal, self._total = (
                self._raw.row_kind(kinds, templates) for templates in (self._plain, self._subtotal, self._total)
            )

    # --- cells ---------------------------------------------------------------------------------

    def _styled(self, **style) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws)
        for name, val in style.items():
            setattr(cell, name, val)
        return cell

    def _text_cell(self, value, **style) -> WriteOnlyCell:
        cell = self._styled(**style)
        cell.value = safe_text(value)
        cell.data_type = "s"
        return cell

    def _text_row(self, values: Sequence, styles: Sequence[dict]) -> None:
        if self._raw is not None:
            self._raw.row(self._raw.row_kind([TEXT] * len(values), [self._styled(**s) for s in styles]), values)
        else:
            self.ws.append([self._text_cell(v, **s) for v, s in zip(values, styles)])

    def _template(self, column: Column, **style) -> WriteOnlyCell:
        cell = self._styled(**style)
        if column.kind in _FORMATS:
            cell.number_format = _FORMATS[column.kind]
        return cell

    @staticmethod
    def _fill(cell: WriteOnlyCell, kind: str, value) -> WriteOnlyCell | None:
        """openpyxl's own cells (the path where the sheet's stream is lxml's): the same rules as _RowWriter."""
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
            cell.value = _naive_local(value)
        elif kind in (DATE, DATETIME) and isinstance(value, (date, datetime)):
            cell.value = value
        else:
            cell.value = safe_text(value)
            cell.data_type = "s"
        return cell

    def _append(self, templates, values: Sequence) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"expected {len(self.columns)} values, got {len(values)}")
        if self._raw is not None:
            self._raw.row(templates, values)
        else:
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
        if self._raw is not None:
            self._raw.row([], ())
        else:
            self.ws.append([])

    def note(self, text: str) -> None:
        """A line of text under the table (sign-off lines, remarks)."""
        self._text_row([text], [{}])


def _naive_local(value: datetime) -> datetime:
    # Excel has no time zones: local wall-clock time, as people read it.
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


# --- the row writer ------------------------------------------------------------------------------

# Off where openpyxl writes through lxml (its stream then has no raw text writer); tests switch it
# off to hold the two paths to the same cells.
RAW_ROWS = not LXML
_CACHE_LIMIT = 2048  # distinct values remembered per column (the XML of a repeated name, amount, date)


def _raw_rows_possible(wb: Workbook) -> bool:
    return RAW_ROWS and not wb.iso_dates


def _xml_escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _text_xml(value) -> str:
    """The end of a text cell's XML: always an inline string, never a formula (there is no <f> here)."""
    text = safe_text(value)
    if not text:
        return 't="inlineStr"/>'
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""  # openpyxl's rule
    return f't="inlineStr"><is><t{space}>{_xml_escape(text)}</t></is></c>'


def _number_xml(value) -> str:
    if not isinstance(value, (Decimal, int, float)):
        value = Decimal(str(value))
    return f't="n"><v>{safe_string(value)}</v></c>'  # openpyxl's own number format (%.16g)


class _RowWriter:
    """Writes a write-only sheet's rows as XML text straight into openpyxl's sheet stream.

    openpyxl builds an ElementTree element per cell and serialises it in pure Python (a dozen
    function calls a cell); this writes the same ``<c>`` elements from prepared pieces: per column
    and row kind the style id (registered once in the workbook's style table, as openpyxl does)
    and a converter of the value to the cell's XML with a small cache of repeated values. Cell
    types follow :meth:`StreamingSheet._fill` exactly: text is always an inline string (safe_text,
    XML-escaped), amounts and counts numbers, dates Excel serial numbers with their format.
    """

    def __init__(self, ws):
        self.ws = ws
        self.epoch = ws.parent.epoch
        self.row_no = 0
        ws._get_writer()
        self._rows = self._stream()
        self._write = next(self._rows)
        ws._rows = self._rows  # ws.close() (on wb.save) closes <sheetData> and writes the sheet's tail

    def _stream(self):
        xf = self.ws._writer.xf.send(True)
        write = getattr(xf, "_file", None)  # et_xmlfile's text writer (pinned in requirements.txt)
        if not callable(write):
            raise RuntimeError("openpyxl's sheet stream has no text writer: set reports.xlsx.RAW_ROWS = False")
        with xf.element("sheetData"):
            try:
                sent = yield write  # rows go in as text from here on
                while sent is None:
                    sent = yield
                raise RuntimeError("this sheet's rows are written by StreamingSheet, not by ws.append()")
            except GeneratorExit:
                pass
        self.ws._writer.xf.send(None)

    def row_kind(self, kinds: Sequence[str], templates: Sequence[WriteOnlyCell]) -> list[tuple]:
        """Per column: the cell's opening text before the row number, after it, and the value's converter."""
        out = []
        for index, (kind, cell) in enumerate(zip(kinds, templates), start=1):
            style = f' s="{cell.style_id}"' if cell.has_style else ""
            out.append((f'<c r="{get_column_letter(index)}', f'"{style} ', self._converter(kind)))
        return out

    def _converter(self, kind: str):
        cache: dict = {}

        def cached(value, make) -> str:
            try:
                xml = cache.get(value)
            except TypeError:  # unhashable: not worth remembering
                return make(value)
            if xml is None:
                xml = make(value)
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                cache[value] = xml
            return xml

        if kind == TEXT:
            def text(value):
                if value is None or value == "":
                    return None
                return cached(value, _text_xml) if value.__class__ is str else _text_xml(value)
            return text
        if kind in (MONEY, QTY):
            def number(value):
                if value is None or value == "":
                    return None
                return cached(value, _number_xml)
            return number
        if kind == INTEGER:
            def integer(value):
                if value is None or value == "":
                    return None
                return f't="n"><v>{int(value)}</v></c>'
            return integer
        epoch = self.epoch

        def when_xml(value) -> str:
            if isinstance(value, datetime):
                if kind == DATETIME:
                    value = _naive_local(value)
                elif value.tzinfo is not None:
                    raise TypeError("Excel does not support timezones in datetimes.")
            return f't="n"><v>{safe_string(to_excel(value, epoch))}</v></c>'

        def when(value):
            if value is None or value == "":
                return None
            if isinstance(value, (date, datetime)):
                return cached(value, when_xml)
            return _text_xml(value)
        return when

    def row(self, kind: list[tuple], values: Sequence) -> None:
        self.row_no += 1
        r = str(self.row_no)
        cells = []
        for (head, mid, convert), value in zip(kind, values):
            xml = convert(value)
            if xml is not None:
                cells.append(f"{head}{r}{mid}{xml}")
        self._write(f'<row r="{r}">{"".join(cells)}</row>')


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
