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
