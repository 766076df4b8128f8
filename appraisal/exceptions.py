"""Domain errors of the appraisal app (the API turns them into the project's one error format)."""

from __future__ import annotations

from servicedesk.core.exceptions import Conflict, DomainError, InvalidTransition

__all__ = ["BackupNotFound", "Conflict", "DomainError", "InvalidTransition", "NotAllowed"]


class NotAllowed(DomainError):
    """The person may not do this (not his backup, not his department to decide)."""

    status_code = 403
    default_code = "permission_denied"


class BackupNotFound(DomainError):
    """Not there — or not for this person: a backup he may not download looks like no backup at all."""

    status_code = 404
    default_code = "not_found"
