"""Domain errors: raised by services, turned into a 400/409 with field → message by the API."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused an operation. ``field`` names the input at fault, if any."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message, *, field: str | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code or self.default_code

    def as_dict(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [str(self.message)]}


class InvalidTransition(DomainError):
    """A status change the transition table does not allow."""

    status_code = 409
    default_code = "invalid_transition"


class Conflict(DomainError):
    """The operation lost a race or the row changed meanwhile (stock, approvals)."""

    status_code = 409
    default_code = "conflict"
