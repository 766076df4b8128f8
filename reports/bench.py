"""Benchmark figure of the finance exports (``manage.py bench --only reports``).

* ``reports.billing_sheet`` — the billing sheet of ``scale`` lines (default 100,000) written by our
  streaming writer (:func:`reports.billing.write_billing_workbook`: write-only openpyxl, forced
  string cells, subtotals, totals, summary sheet) against a floor of XlsxWriter in
  ``constant_memory`` mode writing the same cells: the same heading, header, line, subtotal and
  total rows with the same values, types and number formats, and the same summary sheet.

Both sides read the lines from the same generator (built on the fly, as the database cursor
would hand them over), so the input is never held in memory. The notes give our peak memory
(tracemalloc, one extra run of ours alone) against the target of 200 MB.
"""

from __future__ import annotations

import os
import resource
import tempfile
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

from servicedesk.core.bench import Skipped, Workload, figure

from .billing import BillingLine, Sums, _line_values, _sum_values, write_billing_workbook
from .xlsx import CNY_FORMAT, DATE_FORMAT, INTEGER_FORMAT, safe_text

DEFAULT_LINES = 100_000
LINES_PER_CUSTOMER = 20
PAYMENTS = [("cash", "现金"), ("monthly", "月结"), ("invoice", "发票")]


def lines(n: int):
    first = date(2026, 10, 1)
    for i in range(n):
        customer = i // LINES_PER_CUSTOMER
        code, label = PAYMENTS[i % 3]
        items = Decimal(120 + i % 50)
        parts = Decimal(i % 7 * 45)
        labour = Decimal(i % 4 * 10)
        yield BillingLine(
            order_id=i, number=f"WO2026{i:08d}", customer_id=customer, customer=f"上海市第{customer}人民医院",
            station="上海服务站", signed_on=first + timedelta(days=i % 31), category="A · 有偿服务",
            items="空调清洗保养×1", parts="冰箱温控器×1" if i % 7 else "", items_amount=items, parts_amount=parts,
            labour=labour, amount=items + parts + labour, payment_code=code, payment=label,
            mark_code="paid" if i % 2 else "", mark="已收款" if i % 2 else "", note="=1+1" if i % 1000 == 0 else "",
        )


def _floor_writer(path: str, n: int, title: str, heading: list[str], headers: list[str], summary_headers: list[str]):
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": CNY_FORMAT})
    money_bold = wb.add_format({"num_format": CNY_FORMAT, "bold": True})
    datef = wb.add_format({"num_format": DATE_FORMAT})
    intf = wb.add_format({"num_format": INTEGER_FORMAT})
    kinds = ["i", "s", "s", "d", "s", "s", "s", "m", "m", "m", "m", "s", "s", "s"]

    def write(ws, r, values, kinds, bold_row=False):
        for c, (v, k) in enumerate(zip(values, kinds)):
            if v is None or v == "":
                continue
            if k == "s":
                ws.write_string(r, c, safe_text(v), bold if bold_row else None)
            elif k == "m":
                ws.write_number(r, c, v, money_bold if bold_row else money)
            elif k == "d":
                ws.write_datetime(r, c, v, datef)
            else:
                ws.write_number(r, c, v, intf)

    ws = wb.add_worksheet("结算单")
    r = 0
    for line in [title, *heading]:
        ws.write_string(r, 0, line, bold)
        r += 1
    for c, h in enumerate(headers):
        ws.write_string(r, c, h, bold)
    ws.freeze_panes(r + 1, 0)
    ws.repeat_rows(r)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    r += 1
    by_payment: dict[str, tuple[str, Sums]] = {}
    grand, current, current_id, seq = Sums(), Sums(), None, 0
    name = ""
    for line in lines(n):
        if line.customer_id != current_id:
            if current_id is not None:
                write(ws, r, _sum_values(f"小计 {name}", current), kinds, True)
                r += 1
            current_id, name, current = line.customer_id, line.customer, Sums()
        seq += 1
        write(ws, r, _line_values(seq, line), kinds)
        r += 1
        current.add(line)
        grand.add(line)
        by_payment.setdefault(line.payment_code, (line.payment, Sums()))[1].add(line)
    write(ws, r, _sum_values(f"小计 {name}", current), kinds, True)
    write(ws, r + 1, _sum_values("合计", grand), kinds, True)
    summary = wb.add_worksheet("按付款方式汇总")
    for c, h in enumerate(summary_headers):
        summary.write_string(len(heading) + 1, c, h, bold)
    row = len(heading) + 2
    for _code, (label, s) in sorted(by_payment.items()):
        write(summary, row, (label, s.orders, s.amount, s.paid, s.unpaid), ["s", "i", "m", "m", "m"])
        row += 1
    write(summary, row, ("合计", grand.orders, grand.amount, grand.paid, grand.unpaid), ["s", "i", "m", "m", "m"], True)
    wb.close()


def peak_memory_mb(func) -> float:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


@figure("reports.billing_sheet", unit="ms", description="billing sheet lines written (openpyxl write-only vs XlsxWriter constant_memory)",
        atomic=False)
def billing_sheet_figure(*, scale: int) -> Workload:
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        raise Skipped("needs xlsxwriter (requirements-dev.txt): it is the floor") from None
    from .billing import billing_columns

    n = scale if scale and scale > 1 else DEFAULT_LINES
    folder = tempfile.mkdtemp(prefix="bench-billing-")
    ours_path, floor_path = os.path.join(folder, "ours.xlsx"), os.path.join(folder, "floor.xlsx")
    title, heading = "售后服务结算单", ["结算期间：2026年10月1日 – 2026年10月31日", "服务站：全部", "制表日期：2026-11-01"]
    headers = [c.header for c in billing_columns()]
    summary_headers = ["付款方式", "单数", "金额", "已收款", "未收款"]

    def ours():
        write_billing_workbook(ours_path, lines(n), title=title, heading=heading)

    def floor():
        _floor_writer(floor_path, n, title, heading, headers, summary_headers)

    peak = peak_memory_mb(ours)
    # Whole-process high-water mark (Django, the bench itself and everything run before included).
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sizes = (os.path.getsize(ours_path), os.path.getsize(floor_path) if os.path.exists(floor_path) else 0)

    def teardown():
        for path in (ours_path, floor_path):
            if os.path.exists(path):
                os.remove(path)
        os.rmdir(folder)

    return Workload(
        ours=ours, floor=floor, ops=n, teardown=teardown,
        notes=f"{n} lines; our peak memory (tracemalloc, Python heap) {peak:.1f} MB, process max RSS {rss:.0f} MB (target < 200 MB); ours file {sizes[0] // 1024} KB",
    )


# The monthly statistics (their own module; registered when this one is discovered).
from . import statistics_bench  # noqa: E402,F401
