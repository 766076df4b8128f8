"""The monthly statistics as an Excel workbook: one sheet per section, through :mod:`reports.xlsx`
(every text cell a string, neutralised; counts and amounts numeric). No database: it writes the
report data of :func:`reports.statistics.monthly_statistics`."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .exports import company_name
from .xlsx import INTEGER, MONEY, QTY, TEXT, Column, StreamingSheet, new_workbook

PCT = QTY  # percentages with one decimal: a plain number format


def _pct(value):
    return None if value is None else Decimal(str(value))


def _heading(report: dict, section: str) -> list[str]:
    station = report["station"]["name"] if report["station"] else _("Whole department")
    return [
        _("%(company)s customer service statistics and analysis, %(month)s") % {"company": company_name(), "month": report["month"]},
        f"{section} · {station}",
        _("Prepared on %(date)s") % {"date": timezone.localdate().isoformat()},
    ]


def filename(report: dict) -> str:
    station = f"-{report['station']['id']}" if report["station"] else ""
    return f"statistics-{report['month']}{station}.xlsx"


def write_report(out, report: dict) -> None:
    wb = new_workbook()

    def sheet(title, columns, rows):
        s = StreamingSheet(wb, title, columns, heading=_heading(report, title))
        s.rows(rows)
        return s

    summary = sheet(_("Summary"), [Column(_("Figure"), TEXT, 46), Column(_("Value (%)"), PCT), Column(_("Target (%)"), PCT),
                                   Column(_("Met"), TEXT, 8)],
                    [(k["label"], _pct(k["value"]), k["target"],
                      "" if k["met"] is None else (_("yes") if k["met"] else _("no"))) for k in report["summary"]])
    summary.blank()
    summary.row((_("Tickets registered"), report["tickets"]["total"], None, None))
    summary.row((_("Revenue billed (CNY)"), Decimal(report["revenue"]["amount"]), None, None))

    t = report["tickets"]
    rows = []
    for group, key in ((_("Channel"), "by_channel"), (_("Kind"), "by_kind"), (_("Zone"), "by_zone"), (_("Product line"), "by_product_line")):
        rows += [(group, r["label"], r["count"]) for r in t[key]]
    sheet(_("Tickets"), [Column(_("Breakdown"), TEXT, 14), Column(_("Value"), TEXT, 24), Column(_("Tickets"), INTEGER)], rows)

    sheet(_("SLA attainment"),
          [Column(_("Target"), TEXT, 30), Column(_("Met"), INTEGER), Column(_("Breached"), INTEGER), Column(_("Running"), INTEGER),
           Column(_("Attainment (%)"), PCT)],
          [(r["label"], r["met"], r["breached"], r["running"], _pct(r["attainment"])) for r in report["sla"]])

    s = report["satisfaction"]
    levels = [lv["label"] for lv in s["dimensions"][0]["levels"]] if s["dimensions"] else []
    sat = sheet(_("Satisfaction"),
                [Column(_("Question"), TEXT, 16), *[Column(label, INTEGER) for label in levels], Column(_("Satisfied (%)"), PCT)],
                [(d["label"], *[lv["count"] for lv in d["levels"]], _pct(d["satisfied_rate"])) for d in s["dimensions"]])
    sat.blank()
    sat.note(_("Most dissatisfied answers by technician"))
    for r in s["top_technicians"]:
        sat.row((r["label"], r["count"], *[None] * (len(levels) - 1), None))
    sat.note(_("Most dissatisfied answers by product line"))
    for r in s["top_product_lines"]:
        sat.row((r["label"], r["count"], *[None] * (len(levels) - 1), None))
    sat.blank()
    sat.note(_("Comments of dissatisfied customers"))
    for c in s["comments"]:
        sat.note(f"{c['done_at']} {c['ticket']} {c['customer']} {c['technician']}: {c['comments']}")

    c = report["complaints"]
    sheet(_("Complaints"), [Column(_("Breakdown"), TEXT, 24), Column(_("Value"), TEXT, 30), Column(_("Count"), INTEGER)],
          [(_("Complaint classification"), r["label"], r["count"]) for r in c["by_class"]]
          + [(_("Responsibility (work orders completed)"), r["label"], r["count"]) for r in c["by_responsibility"]])

    sheet(_("Parts consumed"),
          [Column(_("Part number"), TEXT, 16), Column(_("Part name"), TEXT, 24), Column(_("Unit"), TEXT, 6), Column(_("Quantity"), QTY),
           Column(_("Unit price (CNY)"), MONEY), Column(_("Value (CNY)"), MONEY)],
          [(p["number"], p["label"], p["unit"], Decimal(p["qty"]), Decimal(p["price"]), Decimal(p["value"])) for p in report["parts"]["top"]])

    r = report["revenue"]
    sheet(_("Revenue"), [Column(_("Breakdown"), TEXT, 14), Column(_("Value"), TEXT, 36), Column(_("Orders"), INTEGER),
                         Column(_("Amount (CNY)"), MONEY)],
          [(_("Category"), x["label"], x["orders"], Decimal(x["amount"])) for x in r["by_category"]]
          + [(_("Payment"), x["label"], x["orders"], Decimal(x["amount"])) for x in r["by_payment"]])

    sheet(_("Technicians"),
          [Column(_("Technician"), TEXT, 14), Column(_("Service station"), TEXT, 16), Column(_("Orders completed"), INTEGER),
           Column(_("Orders billed"), INTEGER), Column(_("Amount (CNY)"), MONEY), Column(_("Callbacks"), INTEGER),
           Column(_("Dissatisfied callbacks"), INTEGER), Column(_("Satisfied (%)"), PCT)],
          [(x["label"], x["station"], x["completed"], x["billed"], Decimal(x["amount"]), x["callbacks"], x["dissatisfied"],
            _pct(x["satisfaction"])) for x in report["technicians"]])

    sheet(_("Stations"),
          [Column(_("Service station"), TEXT, 16), Column(_("Tickets"), INTEGER), Column(_("Valid and major complaints"), INTEGER),
           Column(_("Orders completed"), INTEGER), Column(_("Amount (CNY)"), MONEY), Column(_("Timeliness (%)"), PCT),
           Column(_("Satisfied (%)"), PCT), Column(_("Complaint rate (%)"), PCT)],
          [(x["label"], x["tickets"], x["complaints"], x["completed"], Decimal(x["amount"]), _pct(x["timeliness"]),
            _pct(x["satisfaction"]), _pct(x["complaint_rate"])) for x in report["stations"]])

    sheet(_("12-month trends"),
          [Column(_("Month"), TEXT, 10), Column(_("Tickets"), INTEGER), Column(_("Revenue (CNY)"), MONEY),
           Column(_("Satisfied (%)"), PCT), Column(_("Timeliness (%)"), PCT)],
          [(m["month"], m["tickets"], Decimal(m["revenue"]), _pct(m["satisfaction"]), _pct(m["timeliness"]))
           for m in report["trends"]["months"]])
    wb.save(out)
