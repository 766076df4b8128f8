"""The billing sheet (结算单): read back with openpyxl as a spreadsheet program would."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from reports import exports, selectors, services
from reports.billing import BillingLine, write_billing_workbook
from reports.xlsx import CNY_FORMAT, MONEY, TEXT, Column, StreamingSheet, new_workbook, safe_text

from .conftest import all_cells, read_back, this_month

pytestmark = pytest.mark.django_db

PAYLOADS = ["=1+1", "+cmd", "-2", "@SUM(A1)", "\t=x", "\r=x", "\n=x", "a\x00b", '=HYPERLINK("http://x")']


def _sheet_bytes(month, station=None) -> bytes:
    out = io.BytesIO()
    exports._billing_write(out, {"month": month.isoformat(), "station": station.pk if station else None}, None)
    return out.getvalue()


@pytest.fixture
def month_of_orders(make_customer, make_item, signed_order, stocked_van, thermostat, finance):
    """Two customers this month (2 + 1 paid orders), a free order, and a paid one of last month."""
    hospital = make_customer("浦东仁济医院")
    school = make_customer("上海市第一中学")
    clean = make_item("空调清洗保养", "120.00")
    gas = make_item("加氟", "200.00")
    a1 = signed_order(hospital, items=[clean], parts=[(thermostat, stocked_van)], labour="30")  # 120 + 45 + 30
    a2 = signed_order(hospital, items=[gas], payment="monthly")  # 200
    b1 = signed_order(school, items=[clean, gas], payment="invoice", labour="50")  # 370
    free = signed_order(school, items=[])  # nothing charged: not billed
    last_month = timezone.now() - timedelta(days=40)
    old = signed_order(school, items=[clean], signed_at=last_month)
    services.set_billing_mark(order=a1, status="paid", actor=finance.user, note="现金已交财务")
    services.set_billing_mark(order=b1, status="unpaid", actor=finance.user)
    return {"hospital": hospital, "school": school, "a1": a1, "a2": a2, "b1": b1, "free": free, "old": old}


def test_the_sheet_groups_per_customer_with_subtotals_and_totals(month_of_orders):
    wb = read_back(_sheet_bytes(this_month()))
    assert wb.sheetnames == ["结算单", "按付款方式汇总"] or len(wb.sheetnames) == 2
    ws = wb.worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert "结算单" in rows[0][0] or "billing sheet" in rows[0][0]
    header_row = next(i for i, r in enumerate(rows, start=1) if r[0] in ("序号", "No."))
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.print_title_rows == f"${header_row}:${header_row}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text

    body = rows[header_row:]
    numbers = [r[2] for r in body if r[2]]
    o = month_of_orders
    # Customers by name (上海… before 浦东… in code-point order), orders by signing time.
    assert numbers == sorted(numbers, key=lambda n: 0) and set(numbers) == {o["a1"].number, o["a2"].number, o["b1"].number}
    by_number = {r[2]: r for r in body if r[2]}
    a1 = by_number[o["a1"].number]
    assert a1[1] == "浦东仁济医院" and a1[5].startswith("空调清洗保养") and a1[6].startswith("冰箱温控器")
    assert (a1[7], a1[8], a1[9], a1[10]) == (120, 45, 30, 195)
    assert a1[12] in ("已收款", "Payment received") and a1[13] == "现金已交财务"
    assert by_number[o["a2"].number][12] in (None, "")  # not reconciled yet

    subtotals = [r for r in body if r[1] and str(r[1]).startswith(("小计", "Subtotal"))]
    assert [s[10] for s in subtotals] == [Decimal("370"), Decimal("395")] or [s[10] for s in subtotals] == [370, 395]
    total = next(r for r in body if r[1] and str(r[1]).startswith(("合计", "Grand total")))
    assert total[10] == 765 and total[7] == 640 and total[8] == 45 and total[9] == 80

    # Money cells are numbers with the CNY format.
    money_cells = [c for row in ws.iter_rows(min_row=header_row + 1) for c in row[7:11] if c.value is not None]
    assert money_cells and all(c.data_type == "n" and c.number_format == CNY_FORMAT for c in money_cells)
    date_cell = ws.cell(row=header_row + 1, column=4)
    assert date_cell.is_date

    summary = wb.worksheets[1]
    srows = [[c.value for c in row] for row in summary.iter_rows() if any(c.value is not None for c in row)]
    total_row = srows[-1]
    assert total_row[1:] == [3, 765, 195, 570]
    labels = {r[0]: r for r in srows[:-1] if isinstance(r[1], int)}
    assert len(labels) == 3 and sum(r[2] for r in labels.values()) == 765


def test_the_sheet_filters_by_station(month_of_orders, station_b):
    wb = read_back(_sheet_bytes(this_month(), station_b))
    values = [c.value for _ws, c in all_cells(wb) if c.value]
    assert not any(str(v).startswith("WO") for v in values)


def test_no_text_of_the_payload_corpus_becomes_a_formula(make_customer, make_item, make_part, put_stock, central,
                                                         warehouse_keeper, van_a, signed_order, finance):
    from spares import services as spares

    orders = []
    for n, payload in enumerate(PAYLOADS):
        clean = payload.replace("\x00", "")  # PostgreSQL text cannot hold NUL; the writer test covers it
        customer = make_customer(clean or f"c{n}")
        item = make_item(clean, "10.00")
        part = make_part(f"PL-{n}", clean, price="5.00")
        put_stock(central, (part, 1))
        spares.transfer_stock(from_location=central, to_location=van_a, lines=[{"part": part, "qty": Decimal("1")}],
                              actor=warehouse_keeper.user)
        order = signed_order(customer, items=[item], parts=[(part, van_a)])
        services.set_billing_mark(order=order, status="paid", actor=finance.user, note=clean)
        orders.append(order)
    wb = read_back(_sheet_bytes(this_month()))
    cells = list(all_cells(wb))
    assert [c.coordinate for _ws, c in cells if c.data_type == "f"] == []
    texts = [c.value for _ws, c in cells if isinstance(c.value, str)]
    for payload in PAYLOADS:
        clean = payload.replace("\x00", "")
        # Customer (column B), item, part and note cells keep the text, neutralised with an apostrophe
        # (XML parsers read a bare CR back as LF).
        assert any(t == safe_text(clean).replace("\r", "\n") for t in texts), repr(payload)
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) for t in texts)


def test_the_writer_neutralises_text_and_keeps_negative_amounts_numeric():
    wb = new_workbook()
    sheet = StreamingSheet(wb, "t", [Column("text", TEXT), Column("amount", MONEY)], heading=["=title"])
    for payload in PAYLOADS:
        sheet.row((payload, Decimal("-12.50")))
    out = io.BytesIO()
    wb.save(out)
    back = read_back(out.getvalue())
    ws = back.active
    assert ws["A1"].value == "'=title" and ws["A1"].data_type == "s"
    rows = list(ws.iter_rows(min_row=3))
    assert [r[0].value for r in rows] == [safe_text(p).replace("\r", "\n") for p in PAYLOADS]
    assert rows[7][0].value == "ab"  # NUL stripped
    assert all(r[0].data_type == "s" for r in rows)
    assert all(r[1].data_type == "n" and r[1].value == -12.5 and r[1].number_format == CNY_FORMAT for r in rows)
    assert not any(c.data_type == "f" for _ws, c in all_cells(back))


def test_billing_lines_stream_in_chunks_with_constant_queries(month_of_orders, django_assert_num_queries):
    # 1 count-free cursor query for orders + 2 prefetches per chunk; chunk=2 → 2 chunks for 3 orders.
    with django_assert_num_queries(5):
        lines = list(selectors.billing_lines(month=this_month(), chunk=2))
    assert len(lines) == 3 and isinstance(lines[0], BillingLine)


def test_write_billing_workbook_reports_progress():
    seen = []
    line = BillingLine(1, "WO1", 1, "客户", "站", timezone.localdate(), "A", "", "", Decimal("1"), Decimal("0"), Decimal("0"),
                       Decimal("1"), "cash", "现金", "", "", "")
    totals = write_billing_workbook(io.BytesIO(), [line] * 5, title="t", heading=[], progress=seen.append, progress_every=2)
    assert seen == [2, 4, 5] and totals.grand.amount == Decimal("5") and totals.customers == 1


def _every_cell_and_setting(wb) -> list:
    """What a spreadsheet program shows of a workbook: each cell's value, type, format and style, and each sheet's setup."""
    out = []
    for ws in wb.worksheets:
        out.append((ws.title, ws.freeze_panes, ws.print_title_rows, ws.page_setup.orientation, ws.page_setup.paperSize,
                    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage,
                    ws.oddHeader.center.text, ws.oddFooter.center.text,
                    {k: d.width for k, d in ws.column_dimensions.items()}))
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                out.append((ws.title, c.coordinate, c.value, c.data_type, c.number_format, c.font.b, c.font.sz,
                            c.font.color.rgb if c.font.color else None, c.fill.fgColor.rgb, getattr(c.border.top, "style", None),
                            getattr(c.border.bottom, "style", None), c.alignment.wrap_text))
    return out


def test_the_row_writer_writes_exactly_the_cells_openpyxl_writes(monkeypatch):
    """The streaming sheets write their rows as XML text (reports.xlsx._RowWriter) for speed; openpyxl's own cells
    (the path used where openpyxl writes through lxml) must give the very same workbook, cell by cell."""
    from reports import xlsx

    assert xlsx.RAW_ROWS, "this environment writes rows through the row writer (openpyxl without lxml)"
    today = timezone.localdate()
    texts = [*PAYLOADS, "A & B <c> \"q\" 'a'", " padded ", "   ", "上海市第一人民医院", "x\ty", "end\n", "\x07bell"]
    lines = [
        BillingLine(n, f"WO{n:04d}", n // 4, texts[n % len(texts)], "站", today - timedelta(days=n % 3), "A · 有偿服务",
                    texts[(n + 1) % len(texts)], "" if n % 2 else texts[(n + 2) % len(texts)],
                    Decimal(n * 10), Decimal("-12.50") if n % 5 == 0 else Decimal("0.00"), Decimal("0.1") * n,
                    Decimal(n * 10) + Decimal("0.1") * n, ("cash", "monthly", "invoice")[n % 3], ("现金", "月结", "发票")[n % 3],
                    "paid" if n % 2 else "", "已收款" if n % 2 else "", texts[(n + 3) % len(texts)])
        for n in range(1, 60)
    ]
    when = timezone.now().replace(microsecond=0)
    kinds = [xlsx.Column("t", xlsx.TEXT), xlsx.Column("m", xlsx.MONEY), xlsx.Column("i", xlsx.INTEGER), xlsx.Column("q", xlsx.QTY),
             xlsx.Column("d", xlsx.DATE), xlsx.Column("dt", xlsx.DATETIME)]
    list_rows = [
        ("=x", Decimal("-3.5"), 7, Decimal("1.250"), today, when),
        (None, None, None, None, None, None),
        ("", "", "", "", "", ""),
        (12, "4.20", "8", 2.5, "not a date", when.replace(tzinfo=None)),
        ("plain", 0, 0, Decimal("0"), today, today),
    ]

    def build(raw: bool):
        monkeypatch.setattr(xlsx, "RAW_ROWS", raw)
        out = io.BytesIO()
        write_billing_workbook(out, lines, title="=售后服务结算单", heading=["h & <x>", "+2"])
        wb = new_workbook()
        xlsx.write_list(wb, "list", kinds, list_rows, heading=["@list"])
        wb.save(lists := io.BytesIO())
        return _every_cell_and_setting(read_back(out.getvalue())), _every_cell_and_setting(read_back(lists.getvalue()))

    raw, own = build(True), build(False)
    assert raw == own
    sheet_cells = raw[0]
    assert not any(cell[3] == "f" for cell in sheet_cells if len(cell) == 12)
    assert any(cell[2] == -12.5 and cell[3] == "n" and cell[4] == CNY_FORMAT for cell in sheet_cells if len(cell) == 12)


def test_a_streaming_sheet_refuses_rows_that_bypass_it():
    """Rows appended through openpyxl's own ws.append() would skip the sheet's rules: refused, not lost."""
    sheet = StreamingSheet(new_workbook(), "t", [Column("text", TEXT)])
    with pytest.raises(RuntimeError):
        sheet.ws.append(["=1+1"])
