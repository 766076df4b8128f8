"""The SLA targets of SPEC §4 as editable defaults (a manager changes them in the admin)."""

from datetime import timedelta

H = timedelta(hours=1)
# target, kind, zone, condition, duration, clock, source
DEFAULT_SLA_POLICIES = [
    ("first_reply", "", "", "", timedelta(minutes=15), "calendar", "15分钟内回复客户"),
    ("arrival", "service", "urban", "within_radius", 6 * H, "working", "市区六小时派工制"),
    ("arrival", "service", "suburban", "within_radius", 7 * H, "working", "郊区七小时"),
    ("arrival", "service", "remote", "within_radius", 24 * H, "calendar", "100km以内24小时内到达"),
    ("plan", "service", "", "beyond_radius", 12 * H, "calendar", "12小时内给予用户答复"),
    ("complaint_plan", "complaint", "", "", 72 * H, "calendar", "72小时内提出处理方案"),
    # 3 working days = 3 × a normal 8-hour working day (SPEC §4).
    ("follow_up_reply", "", "", "follow_up", 24 * H, "working", "三个工作日内给您答复"),
    ("carry_in", "", "", "", timedelta(days=7), "calendar", "商品维修服务必须在1周内完成"),
    ("out_of_stock", "", "", "", timedelta(days=7), "calendar", "缺货…1周内再次联系顾客"),
    ("on_site", "", "", "", 2 * H, "calendar", "每家工作时间不得超过2小时"),
]


def ensure_default_sla_policies(SLAPolicy, using="default") -> int:
    """Create the defaults on an empty policy table (a fresh or flushed database). Returns how many."""
    if SLAPolicy.objects.using(using).exists():
        return 0
    SLAPolicy.objects.using(using).bulk_create(
        [
            SLAPolicy(target=t, kind=k, zone=z, priority="", condition=c, duration=d, clock=clock, source=src, is_active=True)
            for t, k, z, c, d, clock, src in DEFAULT_SLA_POLICIES
        ]
    )
    return len(DEFAULT_SLA_POLICIES)
