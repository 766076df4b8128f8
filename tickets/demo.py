"""Demo customers of every kind and zone, their units and service contracts."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from servicedesk.core.demo import DemoContext, demo_seeder
from servicedesk.org.models import Zone

from .models import Contact, Contract, Customer, Unit

# name, kind, zone, km, key, station, address, building/room
CUSTOMERS = [
    ("上海浦东新区人民医院", Customer.Kind.USER_UNIT, Zone.URBAN, 6, True, "SH01", "上海市浦东新区拱极路490号", ""),
    ("上海联华超市张江店", Customer.Kind.ENTERPRISE, Zone.URBAN, 9, False, "SH01", "上海市浦东新区张江路368号", ""),
    ("浦东公安分局陆家嘴派出所", Customer.Kind.PUBLIC_AUTHORITY, Zone.URBAN, 4, True, "SH01", "上海市浦东新区东方路98号", ""),
    ("上海申达家电经销部", Customer.Kind.DISTRIBUTOR, Zone.URBAN, 12, False, "SH01", "上海市浦东新区浦东南路1101号", ""),
    ("王秀英", Customer.Kind.INDIVIDUAL, Zone.URBAN, 8, False, "SH01", "上海市浦东新区崂山路520弄", ""),
    ("陈建华", Customer.Kind.PROPERTY_OWNER, Zone.URBAN, 7, False, "SH01", "上海市浦东新区世纪大道88号汤臣一品", "A栋1802室"),
    ("上海临港新城物业管理有限公司", Customer.Kind.ENTERPRISE, Zone.SUBURBAN, 48, True, "SH01", "上海市浦东新区南汇新城镇环湖西二路800号", ""),
    ("惠南镇中心小学", Customer.Kind.USER_UNIT, Zone.SUBURBAN, 35, False, "SH01", "上海市浦东新区惠南镇城南路66号", ""),
    ("李桂兰", Customer.Kind.INDIVIDUAL, Zone.SUBURBAN, 41, False, "SH01", "上海市浦东新区周浦镇年家浜路135弄", ""),
    ("刘德明", Customer.Kind.PROPERTY_OWNER, Zone.SUBURBAN, 30, False, "SH01", "上海市浦东新区康桥镇秀沿路1080弄绿洲康城", "12号楼601室"),
    ("崇明岛生态农场", Customer.Kind.ENTERPRISE, Zone.REMOTE, 118, False, "SH01", "上海市崇明区陈家镇裕安路200号", ""),
    ("嘉兴南湖宾馆", Customer.Kind.ENTERPRISE, Zone.REMOTE, 105, True, "SH01", "浙江省嘉兴市南湖区中山东路1188号", ""),
    ("苏州工业园区管委会", Customer.Kind.PUBLIC_AUTHORITY, Zone.URBAN, 3, True, "SZ01", "江苏省苏州市工业园区现代大道999号", ""),
    ("苏州博世电器销售中心", Customer.Kind.DISTRIBUTOR, Zone.URBAN, 10, False, "SZ01", "江苏省苏州市姑苏区人民路1588号", ""),
    ("苏州大学附属第一医院", Customer.Kind.USER_UNIT, Zone.URBAN, 11, True, "SZ01", "江苏省苏州市姑苏区十梓街188号", ""),
    ("张丽", Customer.Kind.INDIVIDUAL, Zone.URBAN, 6, False, "SZ01", "江苏省苏州市工业园区金鸡湖大道1355号", ""),
    ("周文博", Customer.Kind.PROPERTY_OWNER, Zone.URBAN, 5, False, "SZ01", "江苏省苏州市工业园区苏州大道东265号晋合广场", "3栋2201室"),
    ("吴江区盛泽镇纺织有限公司", Customer.Kind.ENTERPRISE, Zone.SUBURBAN, 52, False, "SZ01", "江苏省苏州市吴江区盛泽镇西二环路1288号", ""),
    ("昆山市周庄派出所", Customer.Kind.PUBLIC_AUTHORITY, Zone.SUBURBAN, 45, False, "SZ01", "江苏省苏州市昆山市周庄镇全福路18号", ""),
    ("孙玉梅", Customer.Kind.INDIVIDUAL, Zone.SUBURBAN, 38, False, "SZ01", "江苏省苏州市相城区阳澄湖镇湘城路66号", ""),
    ("常熟虞山宾馆", Customer.Kind.ENTERPRISE, Zone.SUBURBAN, 70, False, "SZ01", "江苏省常熟市虞山镇书院街48号", ""),
    ("南通滨江电器维修部", Customer.Kind.DISTRIBUTOR, Zone.REMOTE, 132, False, "SZ01", "江苏省南通市崇川区工农路500号", ""),
    ("盐城市第三人民医院", Customer.Kind.USER_UNIT, Zone.REMOTE, 210, True, "SZ01", "江苏省盐城市亭湖区开放大道75号", ""),
    ("郑国强", Customer.Kind.PROPERTY_OWNER, Zone.REMOTE, 101, False, "SZ01", "江苏省无锡市梁溪区中山路333号恒隆广场公寓", "5号楼1103室"),
]

CONTACT_NAMES = ["李主任", "王经理", "张科长", "陈工", "刘师傅", "赵会计", "孙老师", "周队长"]

MODELS = {
    "AC": ["KFR-35GW/BP3", "KFR-72LW/E1", "RF-120W/S"],
    "RF": ["BCD-470WDPG", "BCD-215STPA"],
    "WM": ["XQG100-B14", "XQB80-Z3"],
    "WH": ["JSQ25-13A", "F80-21W"],
    "LT": ["YZ40RR-T8", "TLD36W/865"],
}


@demo_seeder
def seed_customers(ctx: DemoContext) -> None:
    rng = random.Random(20261122)
    stations = ctx.objects["stations"]
    lines = ctx.objects["product_lines"]
    techs_by_station: dict[str, list] = {}
    for tech in ctx.objects["technicians"]:
        techs_by_station.setdefault(tech.station.code, []).append(tech)
    today = timezone.localdate()
    admin_user = ctx.objects["staff"]["dispatcher"].user

    units_made = contracts_made = 0
    for i, (name, kind, zone, km, key, station_code, address, room) in enumerate(CUSTOMERS):
        phone = f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}" if kind in ("individual", "property_owner") else (
            f"021-{rng.randrange(5000_0000, 6999_9999)}" if station_code == "SH01" else f"0512-{rng.randrange(6000_0000, 6999_9999)}"
        )
        techs = techs_by_station[station_code]
        # The last customer of each zone has no owner yet: the supervisor's home shows it as needing one.
        owner = None if i in (11, 23) else techs[i % len(techs)]
        customer, created = Customer.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "phone": phone,
                "address": address,
                "building_room": room,
                "zone": zone,
                "distance_km": Decimal(km),
                "station": stations[station_code],
                "is_key": key,
                "owner": owner,
            },
        )
        if not created:
            continue
        Contact.objects.create(
            customer=customer,
            name=name if kind in ("individual", "property_owner") else CONTACT_NAMES[i % len(CONTACT_NAMES)],
            phone=f"13{rng.randrange(5, 10)}{rng.randrange(10**7, 10**8)}",
            is_primary=True,
        )
        units = []
        for j in range(1 + i % 3):
            line_code = rng.choice(list(MODELS))
            purchased = today - timedelta(days=rng.randrange(5, 900))
            unit = Unit.objects.create(
                customer=customer,
                product_line=lines[line_code],
                model=rng.choice(MODELS[line_code]),
                serial_number=f"{line_code}{purchased:%y%m}{i:03d}{j:02d}{rng.randrange(1000, 9999)}",
                purchase_date=purchased,
                purchase_place=rng.choice(["国美电器", "苏宁易购", "京东自营", "厂家直销", "经销商"]),
                install_date=purchased + timedelta(days=rng.randrange(1, 5)),
                warranty_start=purchased,
                warranty_end=purchased + timedelta(days=365),
            )
            units.append(unit)
            units_made += 1
        if kind in ("enterprise", "user_unit", "public_authority") or i % 4 == 0:
            # Some contracts end within a month, so renewal notices are due right away.
            start = today - timedelta(days=rng.choice([30, 200, 340, 350, 360]))
            fee = Decimal(rng.choice([1200, 2800, 3600, 5800, 12000]))
            status = rng.choice(list(Contract.FeeStatus))
            paid = fee if status == Contract.FeeStatus.PAID else (fee / 2 if status == Contract.FeeStatus.PARTIAL else Decimal(0))
            contract = Contract.objects.create(
                number=f"HT-{start:%Y}-{i + 1:04d}",
                customer=customer,
                kind=Contract.Kind.MAINTENANCE if i % 3 else Contract.Kind.ANNUAL_FEE,
                start_date=start,
                end_date=start + timedelta(days=364),
                annual_fee=fee,
                fee_status=status,
                fee_paid=paid,
                signed_by=admin_user,
            )
            contract.units.set(units)
            contracts_made += 1
    ctx.log(f"tickets: {len(CUSTOMERS)} customers, {units_made} units, {contracts_made} contracts")


# --- tickets --------------------------------------------------------------------------------------

# One scenario per line: customer (index in CUSTOMERS), kind, service type, channel, the customer's
# words, fault, registered how long ago, and what happened since (each step minutes after registering).
# Steps: ("reply", min, text) ("close_reply", min, text) ("plan", min, text) ("dispatch", min)
# ("hold", min, reason) ("classify", min, class, reason) ("close", min, resolution) ("call", text)
TICKETS = [
    (0, "service", "repair", "phone", "三楼手术室空调不制冷，室温已到28度", "不制冷", timedelta(minutes=5), []),
    (1, "service", "repair", "phone", "冷柜压缩机不启动，冻品需要转移", "不启动", timedelta(minutes=13), []),
    (4, "service", "repair", "phone", "洗衣机脱水时剧烈晃动，有异响", "异响", timedelta(hours=2), []),
    (5, "service", "installation", "online", "新买的热水器预约安装，周末家里有人", "", timedelta(minutes=40),
     [("reply", 8, "已登记安装，工程师会提前电话联系")]),
    (6, "service", "maintenance", "letter", "物业中心机房空调年度保养", "", timedelta(days=1, hours=2),
     [("reply", 15, "已收到来函，保养安排在本周内")]),
    (8, "service", "repair", "phone", "冰箱冷藏室结冰，门关不严", "门封不严", timedelta(hours=3),
     [("dispatch", 20)]),
    (12, "service", "repair", "phone", "会议中心多联机报E4故障", "E4故障", timedelta(hours=1),
     [("dispatch", 12)]),
    (13, "service", "repair", "monitoring", "监控中心报警：展厅样机温控失灵", "温控失灵", timedelta(minutes=30), []),
    (15, "service", "repair", "phone", "热水器点火后熄火", "熄火", timedelta(days=2),
     [("reply", 10, "工程师将上门检查燃气阀"), ("hold", 30, "客户出差，等客户确认上门时间")]),
    (10, "service", "repair", "phone", "农场冷库机组停机，需要厂家配件", "停机", timedelta(hours=4),
     [("plan", 60, "已联系厂家调配件，明天中午前答复具体上门时间")]),
    (11, "service", "repair", "phone", "宾馆中央空调主机漏水，需要厂家技术支持", "漏水", timedelta(hours=10), []),
    (16, "service", "special", "visit", "客户到店要求清洗空调（有偿特约服务）", "", timedelta(days=2, hours=3),
     [("reply", 5, "已报价清洗费用，客户同意"), ("dispatch", 30)]),
    (17, "service", "repair", "phone", "纺织车间工业除湿机不工作", "不工作", timedelta(days=1, hours=1), []),
    (20, "service", "repair", "repair_centre", "送修的热水器显示E1", "E1故障", timedelta(days=5),
     [("reply", 10, "维修中心已检测"), ("close", 120, "客户自行更换电池后恢复正常，无需上门")]),
    (21, "service", "repair", "phone", "门店展示冰箱不制冷", "不制冷", timedelta(hours=8),
     [("reply", 12, "已安排本地服务商联系您")]),
    (22, "service", "installation", "letter", "新病房楼空调安装申请", "", timedelta(hours=30),
     [("plan", 180, "安装方案已发函，下周一进场")]),
    (23, "service", "repair", "phone", "空调外机噪音大，邻居投诉", "噪音大", timedelta(minutes=90), []),
    (1, "service", "repair", "phone", "收银区空调出风无力", "风量小", timedelta(days=6),
     [("reply", 10, "工程师明天上门"), ("dispatch", 20)]),
    (12, "service", "maintenance", "phone", "园区大楼空调季前保养", "", timedelta(minutes=10), []),
    (6, "service", "repair", "phone", "地下车库排风机不转", "不转", timedelta(hours=2),
     [("dispatch", 15)]),
    (2, "consultation", "", "phone", "询问空调保修期到什么时候", "", timedelta(hours=5),
     [("close_reply", 3, "您的空调保修到明年三月，合同内保养免费")]),
    (3, "consultation", "", "online", "经销商咨询新款冰箱的安装要求", "", timedelta(minutes=20), []),
    (14, "consultation", "", "phone", "询问年度保养合同续签流程", "", timedelta(days=3),
     [("reply", 30, "已把续签材料发到邮箱"), ("close", 90, "客户已收到材料")]),
    (0, "complaint", "", "phone", "上次维修后空调一周内又坏了，院方已向卫健委反映", "", timedelta(hours=6),
     [("classify", 10, "major", "客户已向上级主管部门反映，影响手术室使用"),
      ("plan", 90, "经理今天下午带工程师上门，更换压缩机并书面致歉")]),
    (7, "complaint", "", "complaint_box", "工程师上门迟到两小时", "", timedelta(days=1),
     [("classify", 60, "valid", "核实属实，派工时间安排不当"), ("plan", 120, "向学校致歉，后续保养优先安排")]),
    (9, "complaint", "", "letter", "要求免费更换已过保的洗衣机", "", timedelta(days=2),
     [("classify", 30, "invalid", "已过三包期且为人为损坏，已礼貌说明"),
      ("reply", 40, "已电话说明三包政策，可提供有偿维修"), ("close", 60, "客户表示理解")]),
    (18, "complaint", "", "phone", "维修收费与报价不符", "", timedelta(hours=60), []),
    (19, "complaint", "", "online", "客服电话多次无人接听", "", timedelta(hours=3),
     [("classify", 20, "undetermined", "涉及外包热线，无法判断责任")]),
    (5, "service", "repair", "phone", "热水器漏水，地板已经湿了", "漏水", timedelta(minutes=25),
     [("call", "客户再次来电催促")]),
    (13, "consultation", "", "visit", "经销商到店咨询配件价格", "", timedelta(hours=1),
     [("close_reply", 5, "已提供配件价格表")]),
]


@demo_seeder
def seed_tickets(ctx: DemoContext) -> None:
    """~30 tickets of every kind and state, made through the services (clocks, log, work orders)."""
    from . import services
    from .dispatch import suggest_technicians
    from .models import Ticket

    names = [row[0] for row in CUSTOMERS]
    customers = {c.name: c for c in Customer.objects.filter(name__in=names)}
    if Ticket.objects.filter(customer__in=customers.values()).exists():
        ctx.log("tickets: demo tickets already there")
        return
    desk = ctx.objects["staff"]["dispatcher"].user
    now = timezone.now()
    made = dispatched = 0
    for index, kind, service_type, channel, words, fault, age, steps in TICKETS:
        customer = customers[names[index]]
        contact = customer.contacts.order_by("-is_primary", "pk").first()
        unit = customer.units.order_by("pk").first() if kind == "service" else None
        start = now - age
        ticket = services.register_ticket(
            actor=desk, customer=customer, unit=unit, channel=channel, kind=kind, service_type=service_type,
            caller_name=contact.name if contact else customer.name, caller_phone=contact.phone if contact else customer.phone,
            description=words, fault_code=fault, needs_manufacturer=index == 11, now=start,
        )
        made += 1
        for step in steps:
            at = start + timedelta(minutes=step[1]) if step[0] != "call" else None
            if step[0] == "reply":
                ticket = services.reply_to_customer(ticket=ticket, actor=desk, text=step[2], now=at)
            elif step[0] == "close_reply":
                ticket = services.reply_to_customer(ticket=ticket, actor=desk, text=step[2], close=True, now=at)
            elif step[0] == "plan":
                ticket = services.give_plan(ticket=ticket, actor=desk, text=step[2], now=at)
            elif step[0] == "hold":
                ticket = services.hold_ticket(ticket=ticket, actor=desk, reason=step[2], now=at)
            elif step[0] == "classify":
                ticket = services.classify_complaint(ticket=ticket, actor=desk, complaint_class=step[2], reason=step[3], now=at)
            elif step[0] == "close":
                ticket = services.close_ticket(ticket=ticket, actor=desk, resolution=step[2], now=at)
            elif step[0] == "call":
                services.log_contact(ticket=ticket, actor=desk, kind="call_in", text=step[1])
            elif step[0] == "dispatch":
                usable = [s for s in suggest_technicians(ticket) if not s.over_cap]
                if usable:
                    services.dispatch_ticket(ticket=ticket, technician=usable[0].technician, actor=desk, reasons=usable[0].reasons, now=at)
                    dispatched += 1
    ctx.log(f"tickets: {made} tickets, {dispatched} dispatched")

# Demo work orders and the price list's product lines (a separate module, registered after the tickets above).
from . import demo_work  # noqa: E402,F401
