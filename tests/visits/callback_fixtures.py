"""Fixtures of the callback tests: work orders closed through the services (as in production), and
the helpers to close complaints and record answers. Imported by the callback test modules only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.tickets.helpers import register
from tests.workorders.conftest import new_id, order, png, service_item, ticket  # noqa: F401  (fixtures)
from tests.workorders.test_lifecycle import fill_and_complete, walk_to_site
from tickets import services as ticket_services
from tickets import work_orders as wo
from visits import callbacks

SH = ZoneInfo("Asia/Shanghai")

GOOD = {
    "channel": "phone", "answered_by": "王主任", "rating_attitude": 1, "rating_skill": 2, "rating_arrival": 1,
    "rating_promise": 2, "signed_on_site": True, "fees_charged": "120.00", "deposit_refund": "", "invoice_given": True,
    "unit_working": True, "comments": "师傅很专业",
}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def answers(**changes) -> dict:
    out = dict(GOOD)
    out.update(changes)
    return out


@pytest.fixture
def close_order(technician, supervisor, service_item, django_capture_on_commit_callbacks):  # noqa: F811
    """``close_order(order, closed_at=None)`` → the order walked to the signature and reviewed (signals run)."""

    def close(order, closed_at=None):  # noqa: F811
        walk_to_site(order, technician)
        fill_and_complete(order, technician, service_item)
        wo.sign_order(order=order, actor=technician.user, image=png(), printed_name="王主任", client_id=new_id())
        with django_capture_on_commit_callbacks(execute=True):
            return wo.review_order(order=order, actor=supervisor.user, comment="报告完整", now=closed_at)

    return close


@pytest.fixture
def closed_order(order, close_order):  # noqa: F811
    """The first technician's paid repair, closed on 2026-09-23 (a Wednesday)."""
    return close_order(order, closed_at=at(2026, 9, 23, 15, 0))


@pytest.fixture
def close_complaint(dispatcher, django_capture_on_commit_callbacks):
    """``close_complaint(customer, complaint_class="valid", closed_at=None)`` → a complaint registered,
    classified and closed through the tickets services (signals run)."""

    def make(customer, complaint_class="valid", closed_at=None):
        actor = dispatcher.user
        ticket = register(actor, customer, kind="complaint", description="维修师傅迟到两个小时，态度也不好")
        ticket_services.classify_complaint(ticket=ticket, actor=actor, complaint_class=complaint_class, reason="属实")
        with django_capture_on_commit_callbacks(execute=True):
            return ticket_services.close_ticket(ticket=ticket, actor=actor, resolution="已道歉并对师傅批评教育", now=closed_at)

    return make


def record(callback, actor, outcome="answered", now=None, capture=None, **changes):
    return callbacks.record_callback(
        callback=callback, outcome=outcome, actor=getattr(actor, "user", actor),
        answers=answers(**changes) if outcome == "answered" else None, now=now,
    )
