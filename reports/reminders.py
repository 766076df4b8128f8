"""Daily reminders for work reports not yet submitted, through the visits reminder loop.

Registered as the source ``work_report`` of :mod:`visits.reminders` (reports sits above visits, so
importing it keeps the dependency direction): that loop claims one row per (report, day, person)
before notifying, so each station head is reminded once per report and day, from the due day on.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from visits.reminders import Due, page_url, reminder_source

from .models import WorkReport


@reminder_source("work_report")
def work_report_reminders(today: date):
    end_of_today = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    reports = (
        WorkReport.objects.filter(status__in=WorkReport.EDITABLE, due_at__lt=end_of_today)
        .select_related("station", "station__head")
        .order_by("due_at", "pk")
    )
    for report in reports:
        overdue = timezone.localdate(report.due_at) < today
        yield Due(
            item_id=report.pk,
            kind="overdue" if overdue else "due",
            recipients=(report.station.head,),
            title=(_("Overdue: %(period)s of %(station)s") if overdue else _("Due today: %(period)s of %(station)s")) % {
                "period": report.get_period_display(), "station": report.station.name,
            },
            body=_("Period %(start)s – %(end)s, due %(due)s.") % {
                "start": report.period_start.isoformat(), "end": report.period_end.isoformat(),
                "due": timezone.localtime(report.due_at).strftime("%Y-%m-%d %H:%M"),
            },
            url=page_url("reports:work_report", report.pk),
        )
