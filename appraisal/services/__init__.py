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
from .feedback import collect_feedback_forms, escalate_feedback_forms, run_feedback_forms, score_feedback
from .scorecards import (
    adjust_scorecard,
    draft_month,
    publish_month,
    record_evaluation,
    reopen_month,
    review_month,
    save_config,
)

__all__ = [
    "adjust_scorecard",
    "collect_feedback_forms",
    "draft_month",
    "escalate_feedback_forms",
    "publish_month",
    "record_evaluation",
    "reopen_month",
    "review_month",
    "run_feedback_forms",
    "save_config",
    "score_feedback",
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
