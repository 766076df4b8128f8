"""Collection notices for repaired units: 3 notices 3 days apart, each once, then "ship to customer"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from servicedesk.notifications.models import Notification
from tickets import carry_in as ci
from tickets.models import CarryIn, CollectionReminder
from tickets.tasks import send_collection_reminders_task

from .carry_helpers import repaired_and_ready

C = CarryIn.Status
DAY = timedelta(days=1)


def notices(carry):
    return list(CollectionReminder.objects.filter(carry_in=carry).order_by("seq").values_list("seq", flat=True))


@pytest.mark.django_db
def test_three_notices_each_once_then_ship(order, technician, supervisor, station_head, settings):
    settings.CARRY_IN_REMINDER_DAYS = 3
    settings.CARRY_IN_REMINDERS = 3
    carry = repaired_and_ready(order, technician, supervisor)
    t0 = carry.ready_at

    assert ci.send_collection_reminders(now=t0 - timedelta(minutes=1)) == {"reminders": 0, "to_ship": 0}
    assert ci.send_collection_reminders(now=t0) == {"reminders": 1, "to_ship": 0}
    assert ci.send_collection_reminders(now=t0 + DAY) == {"reminders": 0, "to_ship": 0}  # twice: nothing more
    assert notices(carry) == [1]
    assert ci.send_collection_reminders(now=t0 + 3 * DAY) == {"reminders": 1, "to_ship": 0}
    assert ci.send_collection_reminders(now=t0 + 3 * DAY) == {"reminders": 0, "to_ship": 0}
    assert ci.send_collection_reminders(now=t0 + 6 * DAY) == {"reminders": 1, "to_ship": 0}
    assert notices(carry) == [1, 2, 3]
    assert ci.send_collection_reminders(now=t0 + 9 * DAY - timedelta(minutes=1)) == {"reminders": 0, "to_ship": 0}
    assert CarryIn.objects.get(pk=carry.pk).status == C.READY

    assert ci.send_collection_reminders(now=t0 + 9 * DAY) == {"reminders": 0, "to_ship": 1}
    assert CarryIn.objects.get(pk=carry.pk).status == C.SHIP
    assert ci.send_collection_reminders(now=t0 + 30 * DAY) == {"reminders": 0, "to_ship": 0}
    assert notices(carry) == [1, 2, 3]

    collect = Notification.objects.filter(kind="carry_in_collect")
    assert collect.count() == 3 and set(collect.values_list("recipient", flat=True)) == {technician.user.pk}
    ship = set(Notification.objects.filter(kind="carry_in_ship").values_list("recipient", flat=True))
    assert ship == {technician.user.pk, supervisor.user.pk, station_head.user.pk}
    assert list(order.steps.filter(kind="collection_reminder").values_list("data__seq", flat=True)) == [1, 2, 3]

    # A customer who turns up before it ships gets it back; otherwise it is shipped.
    shipped = ci.mark_shipped(carry_in=carry, actor=supervisor.user, shipping_note="顺丰 SF1234567890")
    assert shipped.status == C.SHIPPED and shipped.receipt_voided_at is not None


@pytest.mark.django_db
def test_a_collected_unit_gets_no_more_notices(order, technician, supervisor):
    carry = repaired_and_ready(order, technician, supervisor)
    ci.send_collection_reminders(now=carry.ready_at)
    ci.hand_back(carry_in=carry, actor=technician.user)
    assert ci.send_collection_reminders(now=carry.ready_at + 30 * DAY) == {"reminders": 0, "to_ship": 0}
    assert notices(carry) == [1] and CarryIn.objects.get(pk=carry.pk).status == C.RETURNED


@pytest.mark.django_db
def test_the_task_run_twice_sends_each_notice_once(order, technician, supervisor):
    repaired_and_ready(order, technician, supervisor)
    first = send_collection_reminders_task()
    second = send_collection_reminders_task()
    assert first == {"reminders": 1, "to_ship": 0} and second == {"reminders": 0, "to_ship": 0}
    assert CollectionReminder.objects.count() == 1
    assert Notification.objects.filter(kind="carry_in_collect").count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_sends_the_notice_once(order, technician, supervisor, live_celery_worker):
    from tests.fixtures.celery_worker import wait_until

    carry = repaired_and_ready(order, technician, supervisor)
    send_collection_reminders_task.delay()
    wait_until(lambda: CollectionReminder.objects.filter(carry_in=carry).exists(), message="the first notice")
    send_collection_reminders_task.delay()
    from servicedesk.core.models import JobHeartbeat

    wait_until(lambda: JobHeartbeat.objects.filter(name="carry-in-reminders", runs__gte=2).exists(), message="the second run")
    assert notices(carry) == [1]
    assert Notification.objects.filter(kind="carry_in_collect", key=f"carry_in:{carry.pk}:collect:1").count() == 1
