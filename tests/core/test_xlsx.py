"""The Excel helpers: text can never become a formula; money stays numeric."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from servicedesk.core.xlsx import DATE, MONEY, Column, safe_text, write_table


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 21 5875", "'+86 21 5875"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("上海=仁济", "上海=仁济"),
        ("plain", "plain"),
        (None, ""),
        (42, "42"),
        ("bad\x00\x07char", "badchar"),
    ],
)
def test_safe_text(value, expected):
    assert safe_text(value) == expected


def _roundtrip(wb):
    buffer = BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def test_write_table_title_frozen_header_text_money_dates_and_totals():
    wb = Workbook()
    count = write_table(
        wb.active,
        [Column("名称"), Column("电话"), Column("日期", DATE), Column("金额", MONEY)],
        [
            ['=HYPERLINK("http://x","y")', "13800000000", date(2026, 3, 1), Decimal("1234.50")],
            ["@cmd", "-1", None, 7],
        ],
        title="标题",
        subtitle="筛选条件",
        totals=["合计", None, None, Decimal("1241.50")],
    )
    assert count == 2
    ws = _roundtrip(wb).active
    assert ws["A1"].value == "标题" and ws["A2"].value == "筛选条件"
    assert [c.value for c in ws[3]] == ["名称", "电话", "日期", "金额"]
    assert ws.freeze_panes == "A4"
    formula_like = ws["A4"]
    assert formula_like.data_type == "s" and formula_like.value == "'=HYPERLINK(\"http://x\",\"y\")"
    assert ws["B4"].data_type == "s" and ws["B4"].value == "13800000000"
    assert ws["A5"].value == "'@cmd" and ws["B5"].value == "'-1"
    assert ws["C4"].is_date and ws["C4"].value.date() == date(2026, 3, 1)
    assert ws["D4"].data_type == "n" and ws["D4"].value == 1234.5 and ws["D4"].number_format == "#,##0.00"
    assert ws["A6"].value == "合计" and ws["D6"].value == 1241.5 and ws["D6"].number_format == "#,##0.00"
