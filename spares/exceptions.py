"""Domain errors of the spare-parts app (turned into 400/403/409 bodies by the API handler)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from servicedesk.core.exceptions import Conflict, DomainError


class InsufficientStock(Conflict):
    """Taking ``wanted`` would bring the stock of ``part`` at ``location`` below zero."""

    default_code = "insufficient_stock"

    def __init__(self, *, part, location, wanted, available=None, field: str | None = "qty"):
        if available is None:
            message = _("Insufficient stock of %(part)s at %(location)s: %(wanted)s wanted.") % {
                "part": part, "location": location, "wanted": _qty(wanted)}
        else:
            message = _("Insufficient stock of %(part)s at %(location)s: %(wanted)s wanted, %(available)s on hand.") % {
                "part": part, "location": location, "wanted": _qty(wanted), "available": _qty(available)}
        super().__init__(message, field=field)
        self.part, self.location, self.wanted, self.available = part, location, wanted, available


class NotAllowed(DomainError):
    """The actor's role or station does not allow this operation on this stock or document."""

    status_code = 403
    default_code = "permission_denied"


def _qty(value) -> str:
    """1.000 → "1", 2.500 → "2.5": quantities as people write them."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
