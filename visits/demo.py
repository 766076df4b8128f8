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
