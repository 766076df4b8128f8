from celery import shared_task

from servicedesk.core.heartbeat import periodic_job

from . import services


@shared_task
@periodic_job("calendar-coverage")
def check_calendar_coverage_task() -> list[int]:
    """Daily (beat, 08:00): notify admins of a current/next year without a holiday schedule."""
    return services.notify_admins_of_uncovered_years()
