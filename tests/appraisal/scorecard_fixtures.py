"""A small month built through the services, with every figure computable by hand.

November 2026, the first technician (p_tech_a, station 上海):

=====  ===========================  ==============  ========  ===============================
order  arrival                      on site         status    callback (1 week)
=====  ===========================  ==============  ========  ===============================
o1     on time (due − 60 min)       90 min          closed    ratings 1,2,1,2 → satisfied
o2     late (due + 60 min)          150 min (> 2h)  closed    ratings 2,2,4,2 → dissatisfied,
                                                               follow-up complaint, judged valid
o3     on time                      60 min          signed    —
r1     (rework of o3, dispatched 21 Nov, never arrives)
=====  ===========================  ==============  ========  ===============================

plus a direct complaint about o1 judged valid (counts) and one judged invalid (does not), two
visits in November (3 + 2 problems) and one in October, backup deductions of 5 points in November
and 5 in October, feedback forms of o1 (8/10) and o2 (6/10).

Hand-computed: closed 2, problems 2 + 5 = 7, visits 2, arrivals 3 of which 2 on time (66.67 %),
callbacks 2 of which 1 satisfied (50.00 %), complaints 2 over 2 closed (100.00 %), reworks 1,
on site 3 visits averaging 100.0 min with 1 over 120, backup 5 points, feedback 2 forms averaging 7.00.

The second technician (p_tech_b, station 苏州) has one order, on time, 30 minutes, closed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from appraisal.models import BackupDeduction
from appraisal.services import collect_feedback_forms, score_feedback
from tests.tickets.helpers import register
from tests.workorders.conftest import new_id, png, service_item  # noqa: F401  (fixtures)
from tickets import services as ticket_services
from tickets import work_orders as wo
from tickets.models import SLAClock, WorkOrder
from visits import callbacks as cb
from visits import services as visit_services
from visits.models import Callback

SH = ZoneInfo("Asia/Shanghai")
MONTH = date(2026, 11, 1)
TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 20, 0, tzinfo=SH)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


GOOD = {"channel": "phone", "answered_by": "王主任", "signed_on_site": True, "fees_charged": "120.00",
        "deposit_refund": "", "invoice_given": True, "unit_working": True, "comments": ""}


def answers(attitude, skill, arrival, promise) -> dict:
    return dict(GOOD, rating_attitude=attitude, rating_skill=skill, rating_arrival=arrival, rating_promise=promise)


@pytest.fixture
def run_order(dispatcher, supervisor, service_item, django_capture_on_commit_callbacks):  # noqa: F811
    """run_order(tech, customer, unit, registered, *, late, minutes, until="closed", closed=None) → the order."""

    def run(tech, customer, unit, registered, *, late=False, minutes=60, until="closed", closed=None):
        ticket = register(dispatcher.user, customer, unit=unit, now=registered)
        order = ticket_services.dispatch_ticket(ticket=ticket, technician=tech, actor=dispatcher.user,
                                                now=registered + timedelta(minutes=5))
        due = SLAClock.objects.get(ticket=ticket, target_code="arrival").due_at
        arrive = due + timedelta(minutes=60) if late else due - timedelta(minutes=60)
        user = tech.user
        wo.accept_order(order=order, actor=user, now=registered + timedelta(minutes=6))
        wo.confirm_appointment(order=order, actor=user, appointment_at=arrive, now=registered + timedelta(minutes=7))
        wo.record_arrival(order=order, actor=user, now=arrive)
        wo.save_report(order=order, actor=user, now=arrive, diag_listen="外机异响", diag_look="风扇叶片变形",
                       diag_check="电容正常", cause="风扇叶片老化", responsibility="use", resolution="更换风扇叶片并清洗",
                       labour_minutes=minutes)
        wo.add_service_item(order=order, actor=user, service_item=service_item, now=arrive)
        total = wo.quote(WorkOrder.objects.get(pk=order.pk))
        wo.confirm_price(order=order, actor=user, amount=total, payment_method="cash", now=arrive)
        wo.start_work(order=order, actor=user, now=arrive)
        done = arrive + timedelta(minutes=minutes)
        wo.complete_order(order=order, actor=user, now=done)
        if until == "completed":
            return WorkOrder.objects.get(pk=order.pk)
        wo.sign_order(order=order, actor=user, image=png(), printed_name="王主任", client_id=new_id(),
                      now=done + timedelta(minutes=2))
        if until == "signed":
            return WorkOrder.objects.get(pk=order.pk)
        with django_capture_on_commit_callbacks(execute=True):
            wo.review_order(order=order, actor=supervisor.user, comment="报告完整", now=closed or done + timedelta(hours=3))
        return WorkOrder.objects.get(pk=order.pk)

    return run


def first_callback(order) -> Callback:
    return Callback.objects.filter(work_order=order, kind=Callback.Kind.REPAIR).order_by("due_date", "pk").first()


@pytest.fixture
def november(technician, other_technician, tech_customer, other_tech_customer, dispatcher, supervisor, manager,
             run_order, django_capture_on_commit_callbacks):
    unit = tech_customer.units.get(serial_number="SN-OUT-0002")
    o1 = run_order(technician, tech_customer, unit, at(2026, 11, 10, 9), minutes=90)
    o2 = run_order(technician, tech_customer, unit, at(2026, 11, 12, 9), late=True, minutes=150)
    o3 = run_order(technician, tech_customer, unit, at(2026, 11, 20, 9), minutes=60, until="signed")
    r1 = wo.request_rework(order=o3, actor=supervisor.user, reason="客户说还有异响", now=at(2026, 11, 21, 9))

    other_unit = other_tech_customer.units.get(serial_number="SN-OTHER-0001")
    b1 = run_order(other_technician, other_tech_customer, other_unit, at(2026, 11, 11, 9), minutes=30)

    # Callbacks: o1 satisfied; o2 dissatisfied with the arrival time → a follow-up complaint, judged valid.
    cb.record_callback(callback=first_callback(o1), outcome="answered", actor=supervisor.user,
                       answers=answers(1, 2, 1, 2), now=at(2026, 11, 18, 10))
    c2 = cb.record_callback(callback=first_callback(o2), outcome="answered", actor=supervisor.user,
                            answers=answers(2, 2, 4, 2), now=at(2026, 11, 20, 10))
    follow_up = c2.follow_up_ticket
    ticket_services.classify_complaint(ticket=follow_up, actor=dispatcher.user, complaint_class="valid", reason="属实",
                                       now=at(2026, 11, 20, 11))
    cb.record_callback(callback=first_callback(b1), outcome="answered", actor=supervisor.user,
                       answers=answers(1, 1, 1, 1), now=at(2026, 11, 19, 10))

    # Direct complaints about o1: one valid (counts), one invalid (does not).
    complaints = []
    for klass in ("valid", "invalid"):
        complaint = register(dispatcher.user, tech_customer, kind="complaint", description="师傅迟到", now=at(2026, 11, 15, 9),
                             parent=o1.ticket)
        ticket_services.classify_complaint(ticket=complaint, actor=dispatcher.user, complaint_class=klass, reason="核实",
                                           now=at(2026, 11, 15, 10))
        complaints.append(complaint)

    # Visits: two in November (3 + 2 problems), one in October (not this month).
    for day, problems in ((date(2026, 11, 5), 3), (date(2026, 11, 6), 2), (date(2026, 10, 28), 4)):
        visit_services.record_visit(technician=technician, customer=tech_customer, visit_date=day, purpose="routine",
                                    problems_resolved=problems, report="例行拜访，检查空调运行", actor=technician.user,
                                    today=TODAY)

    # Backup deductions (plain rows: the Monday job's own tests cover how they arise).
    for day, week in ((date(2026, 11, 3), date(2026, 11, 2)), (date(2026, 10, 30), date(2026, 10, 26))):
        BackupDeduction.objects.create(staff=technician, week_start=week, kind="overdue_day", day_no=1, occurred_on=day,
                                       points=5)

    # The manager's scores of the feedback forms of o1 and o2.
    for order, value in ((o1, 8), (o2, 6)):
        day = order.completed_at.astimezone(SH).date()
        collect_feedback_forms(day=day, now=order.completed_at + timedelta(hours=20))
        score_feedback(form=order.feedback_score, score=value, completed=True, actor=manager.user,
                       now=order.completed_at + timedelta(hours=21))

    return {"o1": o1, "o2": o2, "o3": o3, "r1": r1, "b1": b1, "follow_up": follow_up, "complaints": complaints}


EXPECTED_A = {
    "orders_closed": 2, "visit_problems": 5, "problems_resolved": 7, "visits_done": 2, "arrivals": 3,
    "arrivals_on_time": 2, "timeliness_rate": "66.67", "callbacks": 2, "callbacks_satisfied": 1,
    "satisfaction_rate": "50.00", "complaints": 2, "complaint_rate": "100.00", "reworks": 1, "on_site_visits": 3,
    "on_site_avg_minutes": "100.0", "on_site_over_limit": 1, "rating_attitude": "1.50", "rating_skill": "2.00",
    "rating_arrival": "2.50", "rating_promise": "2.00", "backup_points": 5, "feedback_scored": 2, "feedback_avg": "7.00",
}
