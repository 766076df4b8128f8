"""The finance contract list exported as a real .xlsx file."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import ContractFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="contract-fees-')
    return load_workbook(BytesIO(response.content))


def test_export_is_a_real_workbook_with_formula_looking_names_stored_as_text(client, finance, station_a, tech_customer):
    evil = CustomerFactory(name='=HYPERLINK("http://evil.example","点我")', station=station_a)
    ContractFactory(number="HT-EVIL-01", customer=evil, annual_fee=Decimal("1500.50"), fee_paid=Decimal("0"))
    client.force_login(finance.user)
    ws = _workbook(client.get(reverse("finance_export"))).active

    assert ws["A1"].value == "保养合同年费"  # title row
    header_row = 3
    headers = [c.value for c in ws[header_row]]
    assert headers[0] == "合同编号" and "年费（元）" in headers
    assert ws.freeze_panes == f"A{header_row + 1}"

    rows = {row[0].value: row for row in ws.iter_rows(min_row=header_row + 1) if row[0].value and row[0].value.startswith("HT-")}
    evil_row = rows["HT-EVIL-01"]
    assert evil_row[1].data_type == "s"
    assert evil_row[1].value == "'" + evil.name
    fee, paid, outstanding = evil_row[6], evil_row[7], evil_row[8]
    assert fee.data_type == "n" and fee.value == 1500.5 and fee.number_format == "#,##0.00"
    assert paid.value == 0 and outstanding.value == 1500.5

    active = rows["HT-ACTIVE-01"]
    assert active[1].value == "浦东仁济医院"
    assert (active[6].value, active[7].value, active[8].value) == (12000, 5000, 7000)
    assert active[9].value == "部分付款"

    last = ws.max_row
    assert ws.cell(row=last, column=1).value.startswith("合计")
    assert ws.cell(row=last, column=7).value == 12000 + 8000 + 1500.5
    assert ws.cell(row=last, column=9).value == 7000 + 1500.5


def test_export_follows_the_filters_on_screen(client, finance, station_b, tech_customer, other_tech_customer):
    client.force_login(finance.user)
    ws = _workbook(client.get(reverse("finance_export"), {"station": station_b.pk})).active
    numbers = [c.value for c in ws["A"] if c.value and str(c.value).startswith("HT-")]
    assert numbers == ["HT-OTHER-01"]
    assert "苏州服务站" in ws["A2"].value


def test_export_in_english(client, finance, tech_customer):
    client.force_login(finance.user)
    client.post(reverse("set_language"), {"language": "en"})
    ws = _workbook(client.get(reverse("finance_export"))).active
    assert ws["A1"].value == "Service contract fees"
    assert ws["A3"].value == "Contract number"
