"""Foundation tasks."""

from celery import shared_task

from .heartbeat import periodic_job


@shared_task
@periodic_job("heartbeat")
def heartbeat_task() -> None:
    """Proves beat → broker → worker → database end to end: the decorator records the run."""
