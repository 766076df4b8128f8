"""System checks: the backup upload limits in settings must make sense (fail loudly, not at upload time)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from .filetypes import KNOWN_TYPES


@register()
def check_backup_settings(app_configs=None, **kwargs):
    errors = []
    unknown = sorted(set(settings.BACKUP_ALLOWED_TYPES) - KNOWN_TYPES)
    if unknown:
        errors.append(
            Error(
                f"BACKUP_ALLOWED_TYPES contains unknown archive types: {', '.join(unknown)}.",
                hint=f"Use some of: {', '.join(sorted(KNOWN_TYPES))}.",
                id="appraisal.E001",
            )
        )
    if not settings.BACKUP_ALLOWED_TYPES:
        errors.append(Error("BACKUP_ALLOWED_TYPES is empty: nobody could upload a backup.", id="appraisal.E002"))
    if settings.BACKUP_MAX_UPLOAD_MB < 1:
        errors.append(Error("BACKUP_MAX_UPLOAD_MB must be at least 1.", id="appraisal.E003"))
    return errors
