"""Domain errors of the reports app (turned into 400/403/409 with field → message by the API)."""

from __future__ import annotations

from servicedesk.core.exceptions import Conflict, DomainError, InvalidTransition

__all__ = ["Conflict", "DomainError", "InvalidTransition", "NotAllowed"]


class NotAllowed(DomainError):
    """The person may see the record but not do this to it (e.g. only finance marks orders)."""

    status_code = 403
    default_code = "not_allowed"
