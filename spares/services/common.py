"""Small helpers the document services share."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from servicedesk.core.exceptions import DomainError
from servicedesk.core.numbering import next_number

from ..models import Location, Part
from .ledger import as_qty

# Document number prefixes (R-2026-000001 …), one place.
PREFIX = {
    "receipt": "RC",
    "transfer": "TR",
    "requisition": "RQ",
    "return": "RT",
    "old_part": "OP",
    "write_off": "WF",
    "old_part_batch": "OB",
    "stock_take": "ST",
    "out_of_stock": "OS",
}


def number_for(document: str) -> str:
    return next_number(PREFIX[document])


def clean_lines(lines, *, field: str = "lines") -> list[tuple[Part, Decimal]]:
    """``[{"part": Part, "qty": n}, …]`` or ``[(part, qty), …]`` → validated (part, qty) pairs.

    Each part at most once per document; every quantity positive.
    """
    if not lines:
        raise DomainError(_("Add at least one line."), field=field)
    out: list[tuple[Part, Decimal]] = []
    seen: set[int] = set()
    for i, line in enumerate(lines):
        part, qty = (line["part"], line["qty"]) if isinstance(line, dict) else line
        if not isinstance(part, Part):
            raise DomainError(_("Unknown part."), field=f"{field}.{i}.part")
        if part.pk in seen:
            raise DomainError(_("This part is already on another line."), field=f"{field}.{i}.part")
        seen.add(part.pk)
        out.append((part, as_qty(qty, field=f"{field}.{i}.qty")))
    return out


def ensure_active(location: Location, *, field: str) -> None:
    if not location.is_active:
        raise DomainError(_("%(location)s is closed.") % {"location": location}, field=field)


def ensure_different(a: Location, b: Location, *, field: str = "to_location") -> None:
    if a.pk == b.pk:
        raise DomainError(_("Choose a different location to move to."), field=field)


def require_text(value: str, *, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value
