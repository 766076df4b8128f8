"""A small month built through the services, with its hand-computed figures (tests of the statistics).

Station A (technician p_tech_a):
  * o1 — phone, service, unit of the air-conditioner line: item 120 + thermostat 45 (catalogue 45), cash,
    signed and reviewed (closed → callbacks planned);
  * o2 — phone, service: item 120, invoice, signed;
  * t3 — letter, complaint classified valid;  t4 — online, consultation;  t5 — phone, service, not dispatched;
  * two callbacks of o1 answered: (1, 2, 1, 2) and (1, 4, 1, 2) — the second dissatisfied with the skill,
    which opens t7, a complaint (phone, not yet classified).
Station B: t6 — phone, complaint classified invalid.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.tickets.helpers import register
from tickets import services as ticket_services
from tickets import work_orders as wo
from tickets.models import Ticket
from visits import callbacks
from visits.models import Callback

PAYLOAD = "=HYPERLINK(\"http://x\",\"师傅技术不行\")"


@pytest.fixture
def month_data(make_customer, make_item, signed_order, stocked_van, thermostat, dispatcher, supervisor, station_b,
               other_technician, django_capture_on_commit_callbacks):
    cust1, cust2 = make_customer("甲公司"), make_customer("乙公司")
    item = make_item()
    o1 = signed_order(cust1, items=[item], parts=[(thermostat, stocked_van)], payment="cash")
    o2 = signed_order(cust2, items=[item], payment="invoice")
    with django_capture_on_commit_callbacks(execute=True):
        wo.review_order(order=o1, actor=supervisor.user, comment="报告完整")
    t3 = register(dispatcher.user, cust1, kind="complaint", channel="letter")
    ticket_services.classify_complaint(ticket=t3, actor=dispatcher.user, complaint_class="valid", reason="属实")
    t4 = register(dispatcher.user, cust2, kind="consultation", channel="online")
    t5 = register(dispatcher.user, cust2, unit=cust2.units.first())
    cust_b = make_customer("丙公司", station=station_b)
    t6 = register(dispatcher.user, cust_b, kind="complaint")
    ticket_services.classify_complaint(ticket=t6, actor=dispatcher.user, complaint_class="invalid", reason="非我方责任")

    first, second = list(Callback.objects.filter(work_order=o1).order_by("due_date", "pk"))[:2]
    base = {"channel": "phone", "answered_by": "王主任", "rating_attitude": 1, "rating_skill": 2, "rating_arrival": 1,
            "rating_promise": 2, "signed_on_site": True, "fees_charged": "165.00", "invoice_given": True,
            "unit_working": True, "comments": "满意"}
    callbacks.record_callback(callback=first, outcome="answered", actor=supervisor.user, answers=base)
    callbacks.record_callback(callback=second, outcome="answered", actor=supervisor.user,
                              answers={**base, "rating_skill": 4, "comments": PAYLOAD})
    second.refresh_from_db()
    return {
        "o1": o1, "o2": o2, "t3": t3, "t4": t4, "t5": t5, "t6": t6, "t7": Ticket.objects.get(pk=second.follow_up_ticket_id),
        "cust1": cust1, "cust2": cust2, "thermostat": thermostat, "callbacks": [first, second],
        "month": timezone.localdate().replace(day=1),
        # Two hours on: t5's first-reply clock (15 min) is breached, running.
        "now": timezone.now() + timedelta(hours=2),
        "price": Decimal("45.00"),
    }
