"""The finance billing sheet (结算单) as a workbook: data in, file out — no database here.

:func:`reports.selectors.billing_lines` streams :class:`BillingLine` rows ordered by customer;
:func:`write_billing_workbook` writes them with a subtotal row after each customer, a grand total,
and a second sheet summing the month by payment method. Totals are computed here as Decimals and
written as numbers (a formula has no cached value, so previews and read-backs would show blanks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from .xlsx import DATE, INTEGER, MONEY, TEXT, Column, StreamingSheet, new_workbook

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BillingLine:
    """One paid work order as the billing sheet shows it."""

    order_id: int
    number: str
    customer_id: int
    customer: str
    station: str
    signed_on: date
    category: str
    items: str
    parts: str
    items_amount: Decimal
    parts_amount: Decimal
    labour: Decimal
    amount: Decimal
    payment_code: str
    payment: str
    mark_code: str  # "paid", "unpaid" or "" (not reconciled yet)
    mark: str
    note: str


@dataclass
class Sums:
    orders: int = 0
    items: Decimal = ZERO
    parts: Decimal = ZERO
    labour: Decimal = ZERO
    amount: Decimal = ZERO
    paid: Decimal = ZERO
    unpaid: Decimal = ZERO

    def add(self, line: BillingLine) -> None:
        self.orders += 1
        self.items += line.items_amount
        self.parts += line.parts_amount
        self.labour += line.labour
        self.amount += line.amount
        if line.mark_code == "paid":
            self.paid += line.amount
        else:
            self.unpaid += line.amount


@dataclass
class BillingTotals:
    grand: Sums = field(default_factory=Sums)
    by_payment: dict[str, tuple[str, Sums]] = field(default_factory=dict)
    customers: int = 0


def billing_columns() -> list[Column]:
    return [
        Column(_("No."), INTEGER, 6),
        Column(_("Customer"), TEXT, 24),
        Column(_("Work order"), TEXT, 16),
        Column(_("Signed on"), DATE, 11),
        Column(_("Category"), TEXT, 14),
        Column(_("Service items"), TEXT, 30),
        Column(_("Parts"), TEXT, 30),
        Column(_("Service items (CNY)"), MONEY, 14),
        Column(_("Parts (CNY)"), MONEY, 14),
        Column(_("Labour (CNY)"), MONEY, 13),
        Column(_("Amount (CNY)"), MONEY, 14),
        Column(_("Payment"), TEXT, 16),
        Column(_("Reconciliation"), TEXT, 10),
        Column(_("Note"), TEXT, 24),
    ]


def _line_values(seq: int, line: BillingLine) -> tuple:
    return (
        seq, line.customer, line.number, line.signed_on, line.category, line.items, line.parts,
        line.items_amount, line.parts_amount, line.labour, line.amount, line.payment, line.mark, line.note,
    )


def _sum_values(label: str, sums: Sums) -> tuple:
    return (None, label, None, None, None, None, None, sums.items, sums.parts, sums.labour, sums.amount, None, None, None)


def period_label(month: date, last_day: date) -> str:
    return _("Billing period: %(start)s – %(end)s") % {
        "start": _("%(y)d-%(m)02d-%(d)02d") % {"y": month.year, "m": month.month, "d": month.day},
        "end": _("%(y)d-%(m)02d-%(d)02d") % {"y": last_day.year, "m": last_day.month, "d": last_day.day},
    }


def write_billing_workbook(
    out,
    lines: Iterable[BillingLine],
    *,
    title: str,
    heading: list[str],
    progress: Callable[[int], None] | None = None,
    progress_every: int = 1000,
) -> BillingTotals:
    """Write the billing sheet and the summary sheet to ``out`` (a path or a binary file); return the totals.

    ``lines`` must come ordered by customer: a subtotal row closes each customer's block.
    """
    wb = new_workbook()
    footer = _("Page &P of &N")
    sheet = StreamingSheet(wb, _("Billing sheet"), billing_columns(), heading=[title, *heading], page_header=title, page_footer=footer)
    totals = BillingTotals()
    current_id, current_name, current = None, "", Sums()
    seq = 0

    def close_customer():
        sheet.subtotal(_sum_values(_("Subtotal %(customer)s (%(n)d orders)") % {"customer": current_name, "n": current.orders}, current))

    for line in lines:
        if line.customer_id != current_id:
            if current_id is not None:
                close_customer()
            current_id, current_name, current = line.customer_id, line.customer, Sums()
            totals.customers += 1
        seq += 1
        sheet.row(_line_values(seq, line))
        current.add(line)
        totals.grand.add(line)
        label_sums = totals.by_payment.setdefault(line.payment_code, (line.payment, Sums()))
        label_sums[1].add(line)
        if progress is not None and seq % progress_every == 0:
            progress(seq)
    if current_id is not None:
        close_customer()
    sheet.total(_sum_values(
        _("Grand total: %(customers)d customers, %(n)d orders") % {"customers": totals.customers, "n": totals.grand.orders},
        totals.grand,
    ))
    sheet.blank()
    sheet.note(_("Prepared by:            Checked by:            Customer confirmation (signature and seal):"))

    summary = StreamingSheet(
        wb,
        _("By payment method"),
        [
            Column(_("Payment"), TEXT, 30),
            Column(_("Orders"), INTEGER, 10),
            Column(_("Amount (CNY)"), MONEY, 16),
            Column(_("Reconciled as paid (CNY)"), MONEY, 18),
            Column(_("Not yet paid (CNY)"), MONEY, 18),
        ],
        heading=[_("Summary by payment method"), *heading],
        page_header=title,
        page_footer=footer,
    )
    for _code, (label, sums) in sorted(totals.by_payment.items()):
        summary.row((label, sums.orders, sums.amount, sums.paid, sums.unpaid))
    g = totals.grand
    summary.total((_("Total"), g.orders, g.amount, g.paid, g.unpaid))
    wb.save(out)
    if progress is not None:
        progress(seq)
    return totals
