from celery import shared_task

from servicedesk.core.heartbeat import periodic_job

from . import services


@shared_task
def send_notification_email_task(notification_id: int) -> bool:
    return services.send_notification_email(notification_id=notification_id)


@shared_task
@periodic_job("notifications-retry")
def retry_unsent_emails_task() -> int:
    """Re-send e-mails whose first attempt failed or whose worker died; each still goes once."""
    sent = 0
    for pk in services.unsent_email_ids():
        sent += services.send_notification_email(notification_id=pk)
    return sent
