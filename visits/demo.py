"""Demo visits and renewals on the seeded customers and contracts: last month and this month's visits
(some done with reports, some planned, one overdue per technician who has customers), this month's
plans (one adjusted), and the renewal tasks whose notice is due — one noted, one closed as lost.

Idempotent: plans are unique per month, visits are seeded only for a technician and month that has
none yet, renewal tasks are unique per contract.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from servicedesk.calendar import is_working_day
from servicedesk.core.demo import DemoContext, demo_seeder
from servicedesk.org.models import Staff
from tickets.models import Customer

from . import policy, services
from .models import RenewalTask, Visit

REPORTS = [
    "例行拜访，设备运行正常，清洁了室外机散热片，提醒客户定期更换滤网。",
    "客户反映制冷效果下降，检查后发现滤网堵塞，已清洗；另调整了温控设置。",
    "与设备科王主任沟通了明年的保养安排，客户有意续签年费合同。",
    "为新入职的物业人员讲解了热水器的安全使用和日常检查要点。",
    "收集客户意见：对上次维修的到达时间满意，希望提前电话预约。",
    "检查照明线路，更换两只老化的镇流器，客户现场确认。",
    "冰箱门封条老化，已登记备件需求；顺便检查了其余三台设备。",
    "客户询问以旧换新政策，已介绍并留下资料，约定下月再访。",
]

PURPOSES = [Visit.Purpose.ROUTINE, Visit.Purpose.MAINTENANCE, Visit.Purpose.FEEDBACK, Visit.Purpose.TRAINING, Visit.Purpose.RENEWAL]


def _seed_month_visits(rng, tech: Staff, customers: list[Customer], *, first, last, count: int, actor, today) -> int:
    """``count`` done visits spread over [first, last], never the same customer twice on one day."""
    if not customers or last < first:
        return 0
    span = (last - first).days + 1
    made = 0
    used = set()
    for n in range(count):
        day = first + timedelta(days=(n * span) // max(count, 1))
        customer = customers[n % len(customers)]
        if (customer.pk, day) in used:
            continue
        used.add((customer.pk, day))
        services.record_visit(
            technician=tech, customer=customer, visit_date=day, purpose=rng.choice(PURPOSES),
            problems_resolved=rng.choice([0, 1, 2, 3, 3, 4, 5]), report=rng.choice(REPORTS), actor=actor, today=today,
        )
        made += 1
    return made


@demo_seeder
def seed_visits(ctx: DemoContext) -> None:
    rng = random.Random(20261123)
    today = timezone.localdate()
    this_month = policy.month_start(today)
    last_month = policy.add_months(this_month, -1)
    manager = ctx.objects["staff"]["manager"].user

    services.get_policy()
    for month in (last_month, this_month):
        services.plan_month_for_all(month=month, actor=manager)

    technicians = [t for t in ctx.objects["technicians"] if t.status != Staff.Status.LEFT]
    # A technician on a long business trip has a smaller target this month (a plan adjusted by the manager).
    for tech in technicians:
        if tech.status == Staff.Status.BUSINESS_TRIP:
            plan = services.plan_month(technician=tech, month=this_month, actor=manager)
            if plan.visits_target == services.get_policy().visits_target:
                services.set_plan_targets(plan=plan, visits_target=8, problems_target=24, note="出差两周，目标减半", actor=manager)

    visits = planned = 0
    for i, tech in enumerate(technicians):
        customers = list(Customer.objects.filter(owner=tech).order_by("pk"))
        if not customers:
            continue
        actor = tech.user
        if not Visit.objects.filter(technician=tech, visit_date__gte=last_month, visit_date__lt=this_month).exists():
            visits += _seed_month_visits(
                rng, tech, customers, first=last_month, last=policy.month_end(last_month), count=12 + i % 6,
                actor=actor, today=today,
            )
        if Visit.objects.filter(technician=tech).filter(
            Q(visit_date__gte=this_month) | Q(planned_for__gte=today - timedelta(days=2))
        ).exists():
            continue
        # This month so far: some technicians on pace, some behind (the share of the month gone by decides).
        share = policy.working_share_elapsed(this_month, today, is_working_day)
        done = round((0.4 + 0.15 * (i % 5)) * 15 * share)
        visits += _seed_month_visits(rng, tech, customers, first=this_month, last=today, count=done, actor=actor, today=today)
        for n, offset in enumerate((0, 2, 5)):
            services.schedule_visit(
                technician=tech, customer=customers[(n + 1) % len(customers)], planned_for=today + timedelta(days=offset),
                purpose=rng.choice(PURPOSES), actor=actor, today=today,
            )
            planned += 1
        # Planned two days ago and not recorded: it shows as overdue and is reminded every day.
        overdue_day = today - timedelta(days=2)
        services.schedule_visit(
            technician=tech, customer=customers[0], planned_for=overdue_day, purpose=Visit.Purpose.ROUTINE, actor=actor,
            today=overdue_day,
        )
        planned += 1

    opened = services.create_due_renewals(today=today)
    tasks = list(RenewalTask.objects.filter(status=RenewalTask.Status.OPEN).select_related("contract").order_by("contract__end_date", "pk"))
    if tasks and not RenewalTask.objects.exclude(notice_given_on=None).exists():
        services.record_renewal_notice(task=tasks[0], given_on=today, actor=manager, today=today)
    if len(tasks) > 2 and not RenewalTask.objects.filter(status=RenewalTask.Status.LOST).exists():
        services.complete_renewal(
            task=tasks[-1], outcome=RenewalTask.Status.LOST, note="客户设备已报废，改为按次付费维修。", actor=manager,
        )
    ctx.log(f"visits: {visits} visits recorded, {planned} planned, {len(opened)} renewal tasks opened")


# --- callbacks ----------------------------------------------------------------------------------

# Work orders the demo closes itself when the tickets demo has closed fewer: (days ago, fault, what was done).
DEMO_REPAIRS = [
    (40, "空调制冷效果差，出风不凉", "补充冷媒并检修室外机，试机制冷正常"),
    (12, "热水器点火后熄火", "更换熄火保护针，清理燃烧器"),
    (9, "冰箱冷藏室结冰", "更换温控器，调整门封"),
    (7, "空调室内机漏水", "疏通排水管，调整机身水平"),
    (7, "洗衣机脱水时异响", "更换减震吊杆，紧固底座"),
    (3, "照明线路跳闸", "更换老化镇流器两只，检查线路绝缘"),
]


def _signature_png() -> bytes:
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (300, 120), (255, 255, 255, 0))
    ImageDraw.Draw(img).line([(10, 70), (90, 25), (170, 95), (290, 40)], fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _close_demo_order(customer: Customer, fault: str, done: str, closed_on, desk, reviewer) -> None:
    """A repair walked through the tickets services on ``closed_on`` (register → … → signed → reviewed)."""
    import uuid
    from datetime import datetime, time

    from tickets import services as tickets
    from tickets import work_orders as wo

    tech = customer.owner
    unit = customer.units.order_by("pk").first()
    start = timezone.make_aware(datetime.combine(closed_on, time(9, 0)))
    minutes = lambda n: start + timedelta(minutes=n)  # noqa: E731
    contact = customer.contacts.order_by("-is_primary", "pk").first()
    ticket = tickets.register_ticket(
        actor=desk, customer=customer, unit=unit, channel="phone", kind="service", service_type="repair",
        caller_name=contact.name if contact else customer.name, caller_phone=contact.phone if contact else customer.phone,
        description=fault, fault_code=fault[:20], now=start,
    )
    order = tickets.dispatch_ticket(ticket=ticket, technician=tech, actor=desk, now=minutes(10))
    user = tech.user
    wo.accept_order(order=order, actor=user, now=minutes(20))
    wo.confirm_appointment(order=order, actor=user, appointment_at=minutes(90), now=minutes(30))
    wo.record_arrival(order=order, actor=user, now=minutes(90))
    wo.save_report(order=order, actor=user, now=minutes(100), diag_listen=fault, diag_look="外观无损", diag_check="逐项检测",
                   cause="部件老化", responsibility="product", resolution=done, labour_minutes=60)
    wo.confirm_price(order=order, actor=user, amount=wo.quote(order), now=minutes(105))
    wo.start_work(order=order, actor=user, now=minutes(110))
    wo.complete_order(order=order, actor=user, now=minutes(170))
    wo.sign_order(order=order, actor=user, image=_signature_png(), printed_name=customer.name[:20], client_id=uuid.uuid4().hex,
                  now=minutes(175))
    wo.review_order(order=order, actor=reviewer, comment="报告完整，准予归档", now=minutes(420))


@demo_seeder
def seed_callbacks(ctx: DemoContext) -> None:
    """Callbacks due today, overdue and done (one dissatisfied, with its follow-up ticket; one unanswered),
    from the closed work orders of the demo — made here through the services when there are none."""
    from datetime import datetime, time

    from tickets.models import WorkOrder

    from . import callbacks
    from .models import Callback

    today = timezone.localdate()
    staff = ctx.objects.get("staff", {})
    supervisor = staff["supervisor"].user if "supervisor" in staff else None
    manager = staff["manager"].user if "manager" in staff else None
    desk = staff["dispatcher"].user if "dispatcher" in staff else manager
    if supervisor is None or manager is None:
        ctx.log("callbacks: no supervisor or manager in the demo, skipped")
        return
    callbacks.get_quota()

    made = 0
    # A believable workbench needs a few closed repairs of different ages; the tickets demo closes
    # only one. Counting (not "any?") keeps a second run from closing more.
    if WorkOrder.objects.filter(status=WorkOrder.Status.CLOSED).count() < len(DEMO_REPAIRS):
        customers = list(
            Customer.objects.filter(owner__status=Staff.Status.WORKING, units__isnull=False).distinct().order_by("pk")[:len(DEMO_REPAIRS)]
        )
        for customer, (days, fault, done) in zip(customers, DEMO_REPAIRS):
            _close_demo_order(customer, fault, done, today - timedelta(days=days), desk, supervisor)
            made += 1
    # Orders closed by the tickets demo (or above) whose callbacks were not planned in this process.
    planned = callbacks.plan_missing_callbacks(since=today - timedelta(days=400))

    recorded = 0
    if not Callback.objects.exclude(status=Callback.Status.PENDING).exists():
        due = list(Callback.objects.filter(status=Callback.Status.PENDING, due_date__lt=today).order_by("due_date", "pk"))
        good = {"channel": "phone", "answered_by": "王主任", "rating_attitude": 1, "rating_skill": 2, "rating_arrival": 1,
                "rating_promise": 1, "signed_on_site": True, "fees_charged": "0", "invoice_given": True, "unit_working": True,
                "comments": "师傅很专业，满意。"}

        def at(day, hour):
            return timezone.make_aware(datetime.combine(day, time(hour, 0)))

        if due:
            callbacks.record_callback(callback=due[0], outcome="answered", answers=good, actor=supervisor,
                                      now=at(due[0].due_date, 10))
            recorded += 1
        if len(due) > 1:
            unhappy = dict(good, rating_arrival=4, rating_attitude=3, comments="约好上午到，下午才来，也没打电话。")
            callbacks.record_callback(callback=due[1], outcome="answered", answers=unhappy, actor=supervisor,
                                      now=at(due[1].due_date, 11))
            recorded += 1
        if len(due) > 2:
            callbacks.record_callback(callback=due[2], outcome="unreachable", note="无人接听", actor=supervisor,
                                      now=at(due[2].due_date, 15))
            recorded += 1
        closed = WorkOrder.objects.filter(status=WorkOrder.Status.CLOSED).order_by("-closed_at").first()
        if closed is not None:
            check = callbacks.schedule_spot_check(work_order=closed, actor=manager, today=today)
            callbacks.record_callback(callback=check, outcome="answered", answers=dict(good, channel="on_site"), actor=manager)
            recorded += 1
    ctx.log(
        f"callbacks: {made} work orders closed, {planned} orders planned, {recorded} callbacks recorded, "
        f"{Callback.objects.filter(status=Callback.Status.PENDING, due_date__lte=today).count()} due or overdue"
    )
