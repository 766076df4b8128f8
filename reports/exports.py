"""What can be exported: the billing sheet and every registered list, each as an export kind.

A kind validates its parameters for a user, counts its rows (to choose between building now and in
the background) and writes its workbook. :mod:`reports.services.exports` runs them as jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.org.models import Station
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import stations_visible_to

from . import lists, selectors
from .billing import period_label, write_billing_workbook
from .exceptions import DomainError
from .xlsx import new_workbook, write_list

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportKind:
    name: str
    allowed: Callable[[object], bool]
    clean: Callable[[dict, object], dict]
    count: Callable[[dict, object], int]
    write: Callable[..., str]  # (out, params, user, progress, progress_every) → file name


def _month(value) -> date:
    from .services.finance import parse_month

    return parse_month(value)


def company_name() -> str:
    return settings.COMPANY_NAME or _("After-sales Service Department")


# --- the billing sheet --------------------------------------------------------------------------


def _billing_clean(params: dict, user) -> dict:
    month = _month(params.get("month"))
    if month > timezone.localdate().replace(day=1):
        raise DomainError(_("The month has not begun yet."), field="month")
    station = params.get("station") or None
    if station is not None:
        try:
            station = int(station)
        except (TypeError, ValueError):
            raise DomainError(_("Choose a service station."), field="station") from None
        if not stations_visible_to(user).filter(pk=station).exists():
            raise DomainError(_("Choose a service station."), field="station")
    return {"month": month.isoformat(), "station": station}


def _billing_args(params: dict) -> tuple[date, Station | None]:
    station = Station.objects.filter(pk=params["station"]).first() if params.get("station") else None
    return date.fromisoformat(params["month"]), station


def billing_heading(month: date, station: Station | None) -> tuple[str, list[str]]:
    title = _("%(company)s after-sales service billing sheet") % {"company": company_name()}
    heading = [
        period_label(month, selectors.month_end(month)),
        _("Service station: %(station)s") % {"station": station.name if station else _("All stations")},
        _("Prepared on %(date)s") % {"date": timezone.localdate().isoformat()},
    ]
    return title, heading


def billing_filename(month: date, station: Station | None) -> str:
    return _("billing-sheet-%(station)s-%(month)s.xlsx") % {
        "station": station.code if station else _("all"), "month": month.strftime("%Y-%m"),
    }


def _billing_count(params: dict, user) -> int:
    month, station = _billing_args(params)
    return selectors.billing_count(month=month, station=station)


def _billing_write(out, params: dict, user, progress: Progress | None = None, progress_every: int = 1000) -> str:
    month, station = _billing_args(params)
    title, heading = billing_heading(month, station)
    write_billing_workbook(
        out, selectors.billing_lines(month=month, station=station), title=title, heading=heading,
        progress=progress, progress_every=progress_every,
    )
    return billing_filename(month, station)


# --- lists --------------------------------------------------------------------------------------


def _list_clean(params: dict, user) -> dict:
    entry = lists.get_list(str(params.get("list") or ""))
    filters = lists.clean_filters(params.get("filters") or {})
    lists.filtered(entry, user, filters)  # validates the filter values now, not in the worker
    return {"list": entry.name, "filters": filters}


def _list_count(params: dict, user) -> int:
    entry = lists.get_list(params["list"])
    return lists.filtered(entry, user, params["filters"]).count()


def _list_write(out, params: dict, user, progress: Progress | None = None, progress_every: int = 1000) -> str:
    entry = lists.get_list(params["list"])
    qs = lists.filtered(entry, user, params["filters"])
    label = str(entry.label)
    conditions = "; ".join(f"{k}={','.join(v)}" for k, v in sorted(params["filters"].items())) or _("none")
    heading = [
        label,
        _("Filters: %(filters)s") % {"filters": conditions},
        _("Exported on %(date)s by %(user)s") % {"date": timezone.localdate().isoformat(), "user": user.get_username()},
    ]
    wb = new_workbook()
    write_list(
        wb, label, entry.columns(), (entry.row(obj) for obj in qs.iterator(chunk_size=entry.chunk)),
        heading=heading, progress=progress, progress_every=progress_every,
    )
    wb.save(out)
    return f"{entry.name}-{timezone.localdate().isoformat()}.xlsx"


KINDS: dict[str, ExportKind] = {
    "billing_sheet": ExportKind(
        name="billing_sheet",
        allowed=lambda user: user.is_superuser or has_role(user, *selectors.FINANCE_READERS),
        clean=_billing_clean,
        count=_billing_count,
        write=_billing_write,
    ),
    "list": ExportKind(name="list", allowed=lambda user: True, clean=_list_clean, count=_list_count, write=_list_write),
}


def get_kind(name: str) -> ExportKind:
    try:
        return KINDS[name]
    except KeyError:
        raise DomainError(_("Unknown export: %(kind)s.") % {"kind": name}, field="kind") from None
