"""Excel export of list screens: one registry entry per list, one generic export for all of them.

An entry says where the rows come from (the app's scoped ``*_visible_to`` selector — the same one
its API and pages use), which FilterSet reads the list's query string, and how one object becomes
a row. Adding a list (callbacks, scorecards …) is one :func:`register_list` call::

    register_list(ListExport(
        name="callbacks", label=gettext_lazy("Callbacks"),
        queryset=callbacks_visible_to, filterset=CallbackFilter,
        columns=lambda: [Column(_("Number")), ...], row=lambda c: (c.number, ...),
    ))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exceptions import DomainError
from .xlsx import DATE, DATETIME, MONEY, QTY, TEXT, Column

# Request parameters that are about the page, not the filter.
IGNORED_PARAMS = {"page", "page_size", "format", "ordering", "export"}


@dataclass(frozen=True)
class ListExport:
    name: str
    label: object  # a lazy translation
    queryset: Callable[[object], QuerySet]  # user → the rows he may see
    columns: Callable[[], Sequence[Column]]
    row: Callable[[object], Sequence]
    filterset: type | None = None
    order_by: tuple[str, ...] = ("pk",)
    chunk: int = 2000


_lists: dict[str, ListExport] = {}


def register_list(entry: ListExport) -> ListExport:
    _lists[entry.name] = entry
    return entry


def registered_lists() -> dict[str, ListExport]:
    return dict(_lists)


def get_list(name: str) -> ListExport:
    try:
        return _lists[name]
    except KeyError:
        raise DomainError(_("There is no list called %(name)s to export.") % {"name": name}, field="list") from None


def clean_filters(raw) -> dict[str, list[str]]:
    """A QueryDict or dict → {name: [values]} without the paging parameters (what a job stores)."""
    out: dict[str, list[str]] = {}
    if hasattr(raw, "lists"):
        items = raw.lists()
    else:
        items = ((k, v if isinstance(v, (list, tuple)) else [v]) for k, v in (raw or {}).items())
    for key, values in items:
        if key in IGNORED_PARAMS:
            continue
        kept = [str(v) for v in values if v is not None and str(v) != ""]
        if kept:
            out[str(key)] = kept
    return out


def filtered(entry: ListExport, user, filters: dict[str, list[str]]) -> QuerySet:
    """The list as the user sees it with ``filters`` applied; bad filter values raise a clear error."""
    qs = entry.queryset(user)
    if entry.filterset is not None and filters:
        data = QueryDict(mutable=True)
        for key, values in filters.items():
            data.setlist(key, values)
        fs = entry.filterset(data=data, queryset=qs)
        if not fs.is_valid():
            field, messages = next(iter(fs.errors.items()))
            raise DomainError(messages[0], field=field)
        qs = fs.qs
    return qs.order_by(*entry.order_by)


def _local(value):
    return timezone.localtime(value) if value else None


# --- the lists ----------------------------------------------------------------------------------


def _tickets():
    from tickets.filters import TicketFilter
    from tickets.selectors import tickets_visible_to

    def queryset(user):
        # The list selector prefetches SLA clocks for the screen; the export does not show them.
        return tickets_visible_to(user).prefetch_related(None)

    return ListExport(
        name="tickets",
        label=gettext_lazy("Tickets"),
        queryset=queryset,
        filterset=TicketFilter,
        order_by=("-registered_at", "-pk"),
        columns=lambda: [
            Column(_("Number"), TEXT, 16), Column(_("Registered at"), DATETIME), Column(_("Kind")), Column(_("Channel")),
            Column(_("Status")), Column(_("Customer"), TEXT, 24), Column(_("Service station")), Column(_("Caller")),
            Column(_("Phone")), Column(_("Request"), TEXT, 40),
        ],
        row=lambda t: (
            t.number, t.registered_at, t.get_kind_display(), t.get_channel_display(), t.get_status_display(),
            t.customer.name, t.station.name, t.caller_name, t.caller_phone, t.description,
        ),
    )


def _work_orders():
    from tickets.selectors import work_orders_visible_to
    from tickets.work_order_api import WorkOrderFilter

    return ListExport(
        name="work_orders",
        label=gettext_lazy("Work orders"),
        queryset=work_orders_visible_to,
        filterset=WorkOrderFilter,
        order_by=("-dispatched_at", "-pk"),
        columns=lambda: [
            Column(_("Number"), TEXT, 16), Column(_("Service day"), DATE), Column(_("Category"), TEXT, 16), Column(_("Status")),
            Column(_("Customer"), TEXT, 24), Column(_("Technician")), Column(_("Ticket"), TEXT, 16), Column(_("Signed at"), DATETIME),
            Column(_("Labour (CNY)"), MONEY), Column(_("Amount (CNY)"), MONEY), Column(_("Payment"), TEXT, 16),
            Column(_("What was done"), TEXT, 40),
        ],
        row=lambda o: (
            o.number, o.service_date, o.get_category_display(), o.get_status_display(), o.customer.name, o.technician.name,
            o.ticket.number, o.signed_at, o.labour_charge, o.total_charge, o.get_payment_method_display(), o.resolution,
        ),
    )


def _stock():
    from spares.filters import StockBalanceFilter
    from spares.selectors import balances_visible_to

    return ListExport(
        name="stock",
        label=gettext_lazy("Stock balances"),
        queryset=balances_visible_to,
        filterset=StockBalanceFilter,
        order_by=("location__code", "part__number", "pk"),
        columns=lambda: [
            Column(_("Location code")), Column(_("Location"), TEXT, 20), Column(_("Part number")), Column(_("Part name"), TEXT, 24),
            Column(_("Unit"), TEXT, 6), Column(_("On hand"), QTY), Column(_("Unit price (CNY)"), MONEY), Column(_("Value (CNY)"), MONEY),
        ],
        row=lambda b: (
            b.location.code, b.location.name, b.part.number, b.part.name, b.part.unit, b.qty, b.part.price,
            (b.qty * b.part.price).quantize(b.part.price) if b.part.price is not None else None,
        ),
    )


def register_builtin_lists() -> None:
    for make in (_tickets, _work_orders, _stock):
        register_list(make())
