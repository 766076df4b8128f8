"""Every write of the appraisal app: one function per operation (CONVENTIONS §2)."""

from .backups import (
    clean_file_name,
    inspect_archive,
    mark_backup_incomplete,
    record_download,
    submit_backup,
    weeks_open_for,
)
from .borrowing import approve_borrow, cancel_borrow, reject_borrow, request_borrow
from .checks import notify_missing, run_backup_check, run_weekly_backup_checks, settle_after_submission

__all__ = [
    "approve_borrow",
    "cancel_borrow",
    "clean_file_name",
    "inspect_archive",
    "mark_backup_incomplete",
    "notify_missing",
    "record_download",
    "reject_borrow",
    "request_borrow",
    "run_backup_check",
    "run_weekly_backup_checks",
    "settle_after_submission",
    "submit_backup",
    "weeks_open_for",
]
