"""The project's Celery app with a fast beat schedule, for the two-beats test (``celery -A`` this module).

The production entries' tasks, on intervals of seconds instead of minutes, days and weeks:
the sweep every 2 s, the daily reminders and the Monday backup check every 5 s (the check replays
Monday 5 October 2026 10:00 through its ``now`` argument, FAULT_BACKUP_NOW).
"""

import os

from servicedesk.celery import app

app.conf.beat_schedule = {
    "clock-sweep": {"task": "servicedesk.clocks.tasks.sweep_clocks_task", "schedule": 2.0},
    "visits-daily-reminders": {"task": "visits.tasks.run_daily_reminders_task", "schedule": 5.0},
    "appraisal-backup-check": {
        "task": "appraisal.tasks.check_backups_task",
        "schedule": 5.0,
        "kwargs": {"now": os.environ["FAULT_BACKUP_NOW"]},
    },
}

__all__ = ["app"]
