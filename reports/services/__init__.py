"""Every write of the reports app: one function per operation (see the modules for each area)."""

from .exports import build_export, delete_expired_exports, start_export
from .finance import (
    approve_fee_report,
    parse_month,
    prepare_fee_report,
    return_fee_report,
    set_billing_mark,
    submit_fee_report,
)
from .monthly_figures import refresh_monthly_figures, refresh_recent_monthly_figures
from .work_reports import (
    approve_work_report,
    draft_due_work_reports,
    draft_work_report,
    edit_work_report,
    refresh_work_report,
    reply_work_report,
    return_work_report,
    submit_work_report,
)

__all__ = [
    "approve_fee_report", "approve_work_report", "build_export", "delete_expired_exports", "draft_due_work_reports",
    "draft_work_report", "edit_work_report", "parse_month", "prepare_fee_report", "refresh_monthly_figures", "refresh_recent_monthly_figures", "refresh_work_report",
    "reply_work_report", "return_fee_report", "return_work_report", "set_billing_mark", "start_export",
    "submit_fee_report", "submit_work_report",
]
