"""The demo seeds believable visits and renewals, and seeding twice changes nothing."""

import pytest
from django.core.management import call_command

from visits.models import RenewalTask, Visit, VisitPlan

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Visit.objects.count(), Visit.objects.filter(status="planned").count(), VisitPlan.objects.count(),
        RenewalTask.objects.count(), RenewalTask.objects.filter(status="lost").count(),
        RenewalTask.objects.exclude(notice_given_on=None).count(),
    )


def test_seed_demo_makes_visits_plans_and_renewals_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    first = _counts()
    visits, planned, plans, renewals, lost, noticed = first
    assert visits > 50 and planned >= 4 and plans >= 14
    assert renewals >= 2 and lost == 1 and noticed == 1
    assert Visit.objects.filter(status="done").exclude(report="").count() == visits - planned
    call_command("seed_demo", verbosity=0)
    assert _counts() == first


def test_seed_demo_has_callbacks_due_today_overdue_and_done_and_is_idempotent():
    from django.utils import timezone

    from visits.models import Callback

    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    counts = (
        Callback.objects.count(),
        Callback.objects.filter(status="pending", due_date__lte=today).count(),
        Callback.objects.filter(status="done").count(),
        Callback.objects.exclude(follow_up_ticket=None).count(),
    )
    total, due, done, followed = counts
    assert total > 10 and due >= 2 and done >= 2 and followed == 1
    call_command("seed_demo", verbosity=0)
    assert (
        Callback.objects.count(), Callback.objects.filter(status="pending", due_date__lte=today).count(),
        Callback.objects.filter(status="done").count(), Callback.objects.exclude(follow_up_ticket=None).count(),
    ) == counts
