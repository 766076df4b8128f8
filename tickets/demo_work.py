"""Demo work orders in every state a new user should see — made through the services, never saved raw.

Registered from ``tickets/demo.py`` (imported at its end), so it runs after the demo tickets.
"""

from __future__ import annotations

import io
import uuid

from django.utils import timezone

from servicedesk.core.demo import DemoContext, demo_seeder
from servicedesk.core.exceptions import DomainError

# price-list code → product line code (the items of migration 0006 that belong to one line)
ITEM_LINES = {"LT-01": "LT", "WH-01": "WH", "AC-10": "AC"}
MARK = "【演示】"

# customer, technician, what the customer says, state to reach
ORDERS = [
    ("王秀英", "tech01", "空调开机几分钟后自动停机", "accepted"),
    ("陈建华", "tech01", "热水器点火后熄火", "arrived"),
    ("上海联华超市张江店", "tech03", "收银区日光灯不亮", "completed"),
    ("上海浦东新区人民医院", "tech01", "病房空调制冷效果差", "signed"),
    ("上海申达家电经销部", "tech03", "展厅空调需要清洗保养", "closed"),
    ("惠南镇中心小学", "tech03", "教室空调外机异响，需带回检修", "carried_in"),
]


def signature_png(seed: int) -> bytes:
    """A small hand-drawn-looking signature (the pad's PNG) with Pillow."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (320, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    points = [(12 + i * 24, 60 + ((i * 37 + seed * 11) % 50) - 25) for i in range(13)]
    draw.line(points, fill=(20, 20, 60, 255), width=4, joint="curve")
    draw.line([(40, 95), (280, 88)], fill=(20, 20, 60, 255), width=3)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


@demo_seeder
def seed_price_list_lines(ctx: DemoContext) -> None:
    from .models import ServiceItem

    lines = ctx.objects["product_lines"]
    for item in ServiceItem.objects.filter(code__in=ITEM_LINES):
        item.product_lines.add(lines[ITEM_LINES[item.code]])
    ctx.log(f"tickets: price list of {ServiceItem.objects.count()} items")


@demo_seeder
def seed_work_orders(ctx: DemoContext) -> None:
    """Six orders, one per state: accepted, arrived, completed, signed, closed, carried in (ready)."""
    from . import carry_in, compensation, services
    from . import work_orders as wo
    from .models import Customer, ServiceItem, Ticket

    if Ticket.objects.filter(description__startswith=MARK).exists():
        ctx.log("tickets: demo work orders already there")
        return
    staff = ctx.objects["staff"]
    desk, supervisor, manager = staff["dispatcher"].user, staff["supervisor"].user, staff["manager"].user
    items = {i.code: i for i in ServiceItem.objects.filter(is_active=True)}
    made = []
    for seq, (name, tech_name, words, state) in enumerate(ORDERS):
        customer = Customer.objects.filter(name=name).first()
        if customer is None:
            continue
        tech = staff[tech_name]
        user = tech.user
        unit = customer.units.order_by("pk").first()
        contact = customer.contacts.order_by("-is_primary", "pk").first()
        try:
            ticket = services.register_ticket(
                actor=desk, customer=customer, unit=unit, channel="phone", kind="service", service_type="repair",
                caller_name=contact.name if contact else customer.name, caller_phone=contact.phone if contact else customer.phone,
                description=f"{MARK}{words}", fault_code="",
            )
            order = services.dispatch_ticket(ticket=ticket, technician=tech, actor=desk, reasons=["演示数据"])
            wo.accept_order(order=order, actor=user)
            if state == "accepted":
                made.append(state)
                continue
            wo.confirm_appointment(order=order, actor=user, appointment_at=timezone.now() + timezone.timedelta(minutes=30),
                                   note="电话确认，客户在家")
            wo.record_arrival(order=order, actor=user)
            if state == "arrived":
                made.append(state)
                continue
            wo.save_report(order=order, actor=user, diag_listen=words, diag_look="外观无损坏", diag_check="通电检测",
                           running_time="约2年", opened_before=False, cause="部件老化", responsibility="use",
                           resolution="按收费标准维修，试机正常", labour_minutes=40 + seq * 5)
            if state == "carried_in":
                carry = carry_in.take_in(order=order, actor=user, goods=f"{unit or '空调外机'}", accessories="遥控器",
                                         condition="外壳轻微划痕")
                carry_in.start_repair(carry_in=carry, actor=user)
                carry_in.finish_repair(carry_in=carry, actor=user, minutes=95, notes="更换风扇电机轴承，试机无异响")
                carry_in.inspect(carry_in=carry, actor=supervisor, ok=True, notes="试机正常，待客户领取")
                made.append("carried_in (ready)")
                continue
            code = {"completed": "LT-01"}.get(state, "AC-10")
            if code in items and order.category == "A":
                wo.add_service_item(order=order, actor=user, service_item=items[code])
            total = wo.quote(wo.WorkOrder.objects.get(pk=order.pk))
            wo.confirm_price(order=order, actor=user, amount=total, payment_method="cash" if total else "")
            wo.start_work(order=order, actor=user)
            wo.complete_order(order=order, actor=user)
            if state == "completed":
                made.append(state)
                continue
            wo.sign_order(order=order, actor=user, image=signature_png(seq), printed_name=contact.name if contact else customer.name,
                          client_id=uuid.uuid4().hex)
            if state == "closed":
                wo.review_order(order=order, actor=supervisor, comment="报告完整，收费符合标准")
                compensation.request_compensation(order=order, actor=supervisor,
                                                  amount="200", kind="damage", reason="搬动时划伤客户展柜，协商赔偿")
            made.append(state)
        except DomainError as exc:  # a demo database changed by hand: skip that order, keep the rest
            ctx.log(f"tickets: demo order for {name} stopped: {exc.message}")
    ctx.log(f"tickets: demo work orders {', '.join(made)}; manager {manager.get_username()} has a compensation to approve")
