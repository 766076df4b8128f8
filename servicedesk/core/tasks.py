"""Foundation tasks."""

from celery import shared_task
from django.utils.translation import gettext as _

from .heartbeat import periodic_job


@shared_task
@periodic_job("heartbeat")
def heartbeat_task() -> None:
    """Proves beat → broker → worker → database end to end: the decorator records the run."""


@shared_task(acks_late=True)
@periodic_job("system-backup")
def system_backup_task() -> dict:
    """Weekly: back the system up, prove the backup restores, keep the newest few; tell the
    administrators once per failed backup (the notification key names the backup)."""
    from .system_backup import BackupError, make_backup, prune_backups, verify_backup

    from django.conf import settings

    try:
        folder = make_backup()
    except BackupError as exc:
        _alert_admins(key="system-backup:failed:" + timezone_key(), title=_("System backup failed"), body=str(exc))
        raise
    report = verify_backup(folder)
    if not report.ok:
        failed = "; ".join(f"{c.name}: {c.detail}" for c in report.failed())
        _alert_admins(key=f"system-backup:{folder.name}:verify", title=_("System backup failed verification"), body=failed)
    else:
        prune_backups(keep=settings.SYSTEM_BACKUP_KEEP)
    return report.as_dict()


def timezone_key() -> str:
    from django.utils import timezone

    return timezone.now().strftime("%Y%m%dT%H%M")


def _alert_admins(*, key: str, title, body: str) -> None:
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from servicedesk.notifications.services import notify_users
    from servicedesk.org.models import Role

    admins = get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN), is_active=True).distinct()
    notify_users(recipients=list(admins), kind="system_backup", title=str(title), body=body, url="/health/", key=key)
