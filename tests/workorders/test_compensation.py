"""Compensation: up to the limit the manager approves (finance told), above it the general manager."""

from __future__ import annotations

from decimal import Decimal

import pytest

from servicedesk.core.exceptions import DomainError, InvalidTransition
from servicedesk.notifications.models import Notification
from tickets import compensation as comp
from tickets.models import Compensation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.COMPENSATION_MANAGER_LIMIT = 2000


def test_up_to_the_limit_the_manager_approves_and_finance_is_told(order, technician, manager, finance, general_manager):
    c = comp.request_compensation(order=order, actor=technician.user, amount="2000", kind="damage", reason="搬运时划伤地板")
    assert c.number.startswith("PC-") and c.approver_role == "manager" and c.status == "requested"
    with pytest.raises(DomainError) as e:
        comp.approve_compensation(compensation=c, actor=general_manager.user)
    assert e.value.field == "approver_role"
    with pytest.raises(DomainError):
        comp.approve_compensation(compensation=c, actor=finance.user)
    c = comp.approve_compensation(compensation=c, actor=manager.user, comment="同意")
    assert c.status == "approved" and c.decided_by == manager.user and c.finance_notified_at == c.decided_at
    told = Notification.objects.filter(kind="compensation_approved")
    assert list(told.values_list("recipient", flat=True)) == [finance.user.pk]
    with pytest.raises(InvalidTransition):
        comp.approve_compensation(compensation=c, actor=manager.user)


def test_above_the_limit_only_the_general_manager_approves(order, technician, manager, general_manager, finance):
    c = comp.request_compensation(order=order, actor=technician.user, amount="2000.01", kind="quality", reason="压缩机批次质量问题")
    assert c.approver_role == "general_manager"
    with pytest.raises(DomainError) as e:
        comp.approve_compensation(compensation=c, actor=manager.user)
    assert e.value.field == "approver_role" and "2000" in str(e.value.message)
    assert Compensation.objects.get(pk=c.pk).status == "requested"
    c = comp.approve_compensation(compensation=c, actor=general_manager.user)
    assert c.status == "approved" and c.finance_notified_at is not None
    assert Notification.objects.filter(kind="compensation_approved", recipient=finance.user).count() == 1


def test_rejection_needs_a_reason_and_the_right_role(order, technician, manager, django_capture_on_commit_callbacks):
    c = comp.request_compensation(order=order, actor=technician.user, amount="300", kind="damage", reason="碰坏门框")
    with pytest.raises(DomainError) as e:
        comp.reject_compensation(compensation=c, actor=manager.user, comment=" ")
    assert e.value.field == "comment"
    with pytest.raises(DomainError):
        comp.reject_compensation(compensation=c, actor=technician.user, comment="不行")
    with django_capture_on_commit_callbacks(execute=True):
        c = comp.reject_compensation(compensation=c, actor=manager.user, comment="属客户自行损坏")
    assert c.status == "rejected" and c.finance_notified_at is None
    assert Notification.objects.filter(kind="compensation_rejected", recipient=technician.user).count() == 1


@pytest.mark.parametrize(
    "amount, kind, reason, field",
    [("0", "damage", "x", "amount"), ("-5", "damage", "x", "amount"), ("abc", "damage", "x", "amount"),
     ("1.005", "damage", "x", "amount"), ("10", "other", "x", "kind"), ("10", "damage", "  ", "reason")],
)
def test_bad_requests_are_refused_and_nothing_saved(order, technician, amount, kind, reason, field):
    with pytest.raises(DomainError) as e:
        comp.request_compensation(order=order, actor=technician.user, amount=amount, kind=kind, reason=reason)
    assert e.value.field == field and not Compensation.objects.exists()


def test_another_technician_cannot_ask_for_compensation_on_the_order(order, other_technician):
    with pytest.raises(DomainError) as e:
        comp.request_compensation(order=order, actor=other_technician.user, amount="10", kind="damage", reason="x")
    assert e.value.field == "order" and not Compensation.objects.exists()


def test_the_approver_is_told_after_commit(order, technician, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = comp.request_compensation(order=order, actor=technician.user, amount=Decimal("88.50"), kind="damage", reason="x")
    assert Notification.objects.get(kind="compensation_requested").recipient == manager.user
    assert c.amount == Decimal("88.50")
