"""Benchmark figures of the technician's tablet pages (``manage.py bench --only tickets.tablet*``).

* ``tickets.tablet_my_work`` — "my work today" with ``scale`` orders (default 20) through the view
  (selector, SLA badges, template), against a floor rendering the same template from a prepared
  dict of plain values (no database read for the page's data).
* ``tickets.tablet_order_page`` — the order page of one order with ``scale`` lines of each kind
  (items, parts from the van, old parts, photos; default 10) through the view, against the same
  template rendered from the context prepared once (every queryset evaluated, forms with their
  choices as lists).

Both call the view function with a RequestFactory request (no middleware on either side); the
notes give the view's query count (constant: see tests/workorders/test_tablet_pages.py).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.messages.storage import default_storage as message_storage
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicedesk.core.bench import Workload, figure

DEFAULT_ORDERS = 20
DEFAULT_LINES = 10


def _request(user, path):
    request = RequestFactory().get(path)
    request.user = user
    request.session = {}
    request._messages = message_storage(request)
    return request


def _seed(n_orders: int):
    """A technician with ``n_orders`` work orders dispatched today (tickets through the service,
    so their SLA clocks exist) and a van with stock. Rolled back by the harness."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from servicedesk.org.models import Department, ProductLine, Role, Staff, Station
    from spares import services as spares
    from spares.models import Location
    from tickets import services
    from tickets.models import Customer, Unit, WorkOrder

    User = get_user_model()
    boss, _c = User.objects.get_or_create(username="bench-tablet-admin", defaults={"is_superuser": True, "is_staff": True})
    dept, _c = Department.objects.get_or_create(code="BENCH", defaults={"name": "bench"})
    station, _c = Station.objects.get_or_create(code="BENCHT", defaults={"name": "bench tablet", "department": dept, "province": "上海市"})
    user, _c = User.objects.get_or_create(username="bench-tablet-tech")
    user.groups.add(Group.objects.get_or_create(name=Role.TECHNICIAN)[0])
    tech, _c = Staff.objects.get_or_create(user=user, defaults={"employee_no": "BT0001", "name": "基准师傅", "station": station, "zone": "urban"})
    line, _c = ProductLine.objects.get_or_create(code="BENCH-AC", defaults={"name": "空调"})
    customer, _c = Customer.objects.get_or_create(
        name="基准平板客户", defaults={"kind": "enterprise", "phone": "021-60000001", "address": "上海市浦东新区", "zone": "urban",
                                 "station": station, "is_key": True, "owner": tech},
    )
    today = timezone.localdate()
    unit, _c = Unit.objects.get_or_create(
        serial_number="BENCH-SN-1",
        defaults={"customer": customer, "product_line": line, "model": "KFR-35GW", "purchase_date": today - timedelta(days=900),
                  "warranty_start": today - timedelta(days=900), "warranty_end": today - timedelta(days=500)},
    )
    orders = []
    now = timezone.now()
    for i in range(n_orders):
        ticket = services.register_ticket(
            actor=boss, customer=customer, channel="phone", kind="service", service_type="repair", unit=unit,
            caller_name="王先生", caller_phone="13812345678", description="空调不制冷，外机有异响",
        )
        orders.append(WorkOrder.objects.create(
            number=f"BENCH-WO-{i}-{now.timestamp():.0f}", ticket=ticket, customer=customer, technician=tech, category="A",
            dispatched_at=now, dispatched_by=boss, service_date=today,
            appointment_at=now + timedelta(minutes=10 * i) if i % 2 else None,
        ))
    van = spares.ensure_van(tech)
    central, _c = Location.objects.get_or_create(code="BENCH-CW", defaults={"name": "基准仓库", "kind": Location.Kind.CENTRAL})
    return boss, user, tech, line, orders, van, central


@figure("tickets.tablet_my_work", unit="ms", description="technician's 'my work today' with --scale orders (default 20)")
def my_work_figure(*, scale: int) -> Workload:
    from tickets import tablet_selectors as ts
    from tickets import tablet_views

    n = scale if scale > 1 else DEFAULT_ORDERS
    _boss, user, *_rest = _seed(n)

    def ours():
        response = tablet_views.my_work(_request(user, "/tablet/work/"))
        assert response.status_code == 200

    # The floor: the same page from plain values prepared beforehand.
    now = timezone.now()
    day = ts.my_work_today(user)
    assert day.count == n, day.count

    def plain(o):
        unit = o.ticket.unit
        return {
            "pk": o.pk, "number": o.number, "status": o.status, "get_status_display": o.get_status_display(),
            "get_category_display": o.get_category_display(), "appointment_at": o.appointment_at, "service_date": o.service_date,
            "customer": {"name": o.customer.name, "is_key": o.customer.is_key},
            "ticket": {"address": o.ticket.address, "description": o.ticket.description, "caller_name": o.ticket.caller_name,
                       "caller_phone": o.ticket.caller_phone,
                       "unit": {"model": unit.model, "product_line": {"name": unit.product_line.name}} if unit else None},
            "sla": tablet_views._sla(o, now),
        }

    prepared = {
        "day": {"today": day.today, "count": day.count, "overdue": [plain(o) for o in day.overdue],
                "today_orders": [plain(o) for o in day.today_orders], "new_orders": [plain(o) for o in day.new_orders]},
        "countdown": tablet_views.countdown_i18n(now),
    }

    def floor():
        render_to_string("tablet/my_work.html", prepared, request=_request(user, "/tablet/work/"))

    ours()
    with CaptureQueriesContext(connection) as q_ours:
        ours()
    with CaptureQueriesContext(connection) as q_floor:
        floor()
    return Workload(ours=ours, floor=floor, ops=1,
                    notes=f"{n} orders; view {len(q_ours)} queries, floor {len(q_floor)} (page frame only)")


@figure("tickets.tablet_order_page", unit="ms", description="order page with --scale lines of each kind (default 10)")
def order_page_figure(*, scale: int) -> Workload:
    from django import forms
    from django.conf import settings

    from spares import services as spares
    from spares.models import Part
    from tickets import tablet_views
    from tickets import work_orders as wo
    from tickets.models import ServiceItem, WorkOrder

    n = scale if scale > 1 else DEFAULT_LINES
    boss, user, _tech, line, orders, van, central = _seed(1)
    order = orders[0]
    WorkOrder.objects.filter(pk=order.pk).update(status="arrived", arrived_at=timezone.now())
    item = ServiceItem.objects.create(code="BENCH-SI", name="空调清洗保养", price=Decimal("120.00"),
                                      checklist=["断电", "拆下过滤网清洗", "清洗蒸发器", "复装试机"], acceptance_check="出风正常")
    item.product_lines.add(line)
    part = spares.create_part(actor=boss, number="BENCH-P-1", name="温控器", price=Decimal("45.00"))
    spares.receive_stock(location=central, supplier="基准", lines=[{"part": part, "qty": Decimal(n * 2)}], actor=boss)
    spares.transfer_stock(from_location=central, to_location=van, lines=[{"part": part, "qty": Decimal(n * 2)}], actor=boss)
    import io

    from PIL import Image

    for i in range(n):
        wo.add_service_item(order=order, actor=user, service_item=item)
        wo.add_part(order=order, actor=user, part=part, location=van, qty=1)
        wo.add_old_part(order=order, actor=user, part=part, qty=1, note="触点烧蚀")
        if i >= settings.WORK_ORDER_PHOTOS_PER_ORDER:
            continue  # the per-order photo limit
        buf = io.BytesIO()
        Image.new("RGB", (64, 48), (i * 7 % 255, 40, 40)).save(buf, "JPEG")
        wo.add_photo(order=order, actor=user, data=buf.getvalue())
    path = f"/tablet/orders/{order.pk}/"

    def ours():
        response = tablet_views.order_page(_request(user, path), order.pk)
        assert response.status_code == 200

    # The floor: the same template from the context prepared once, nothing left to read.
    from tickets import tablet_selectors as ts

    request = _request(user, path)
    context = tablet_views._order_context(request, ts.order_for(user, order.pk))
    prepared_items = context["forms"]["item_add"]
    choices = [("", "—")] + [(o.pk, str(o)) for o in prepared_items.fields["service_item"].queryset]

    class PreparedItemForm(forms.Form):
        service_item = forms.ChoiceField(label=prepared_items.fields["service_item"].label, choices=choices, required=False)
        qty = forms.CharField(label=prepared_items.fields["qty"].label, required=False, initial="1")

    context["forms"]["item_add"] = PreparedItemForm(auto_id="item_add-%s")
    for key in ("history_tickets", "history_orders", "van_stock", "catalogue_parts", "items", "parts", "old_parts", "photos"):
        context[key] = list(context[key])

    def floor():
        render_to_string("tablet/order.html", context, request=_request(user, path))

    ours()
    with CaptureQueriesContext(connection) as q_ours:
        ours()
    with CaptureQueriesContext(connection) as q_floor:
        floor()
    return Workload(ours=ours, floor=floor, ops=1,
                    notes=f"{n} items/parts/old parts/photos; view {len(q_ours)} queries, floor {len(q_floor)} (page frame only)")
