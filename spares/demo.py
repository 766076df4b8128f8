"""Demo spare parts: a catalogue for AC/RF/WM/WH/LT, the central warehouse, station stocks, vans,
old-parts stores, receipts, transfers and requisitions in every state. Idempotent."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import translation

from servicedesk.core.demo import DemoContext, demo_seeder

from . import services
from .models import Location, Part, Receipt

# number, name, spec, unit, price, product lines, low-stock threshold
CATALOGUE = [
    ("AC-CMP-15", "变频压缩机 1.5匹", "GMCC KSN140D21UFZ", "台", "680.00", ["AC"], 3),
    ("AC-CMP-30", "定频压缩机 3匹", "海立 SHV33YC6-U", "台", "1150.00", ["AC"], 2),
    ("AC-CAP-35", "压缩机启动电容", "CBB65 35μF 450V", "个", "18.00", ["AC"], 10),
    ("AC-FAN-IN", "室内风机电机", "YYW18-4-5 18W", "个", "95.00", ["AC"], 4),
    ("AC-FAN-OUT", "室外风机电机", "YDK36-6F 36W", "个", "160.00", ["AC"], 4),
    ("AC-PCB-01", "室内机主控板", "KFR-35GW 通用", "块", "220.00", ["AC"], 3),
    ("AC-TMP-01", "空调温度传感器", "NTC 10K 感温头", "个", "8.50", ["AC"], 20),
    ("AC-R410", "冷媒 R410A", "11.3kg/罐", "千克", "45.00", ["AC"], 20),
    ("AC-CU-14", "铜管 1/4", "紫铜 0.7mm 壁厚", "米", "12.00", ["AC"], 30),
    ("AC-EXV-18", "电子膨胀阀", "DPF(O)1.8C-07", "个", "120.00", ["AC"], 3),
    ("RF-TMP-01", "冰箱温控器", "WDF18-L 机械式", "个", "45.00", ["RF"], 8),
    ("RF-GSK-470", "冰箱门封条", "BCD-470 冷藏室", "条", "65.00", ["RF"], 5),
    ("RF-CMP-01", "冰箱压缩机", "恩布拉科 EMT40CLP", "台", "420.00", ["RF"], 2),
    ("RF-DEF-01", "化霜加热管", "220V 160W 不锈钢", "根", "38.00", ["RF"], 6),
    ("RF-FAN-01", "冷冻室风扇电机", "ZWF-01 直流 12V", "个", "55.00", ["RF"], 5),
    ("RF-PTC-01", "启动器 PTC", "QP2-4R7", "个", "15.00", ["RF"], 10),
    ("WM-MTR-01", "洗衣机电机", "XQG100 直驱变频", "台", "560.00", ["WM"], 2),
    ("WM-PMP-01", "排水泵", "BPX2-8 30W", "个", "48.00", ["WM"], 6),
    ("WM-GSK-01", "滚筒门封圈", "XQG100-B14 窗垫", "条", "85.00", ["WM"], 4),
    ("WM-BLT-01", "洗衣机皮带", "1270J5", "条", "22.00", ["WM"], 8),
    ("WM-VLV-01", "进水电磁阀", "FCS180A 双出口", "个", "32.00", ["WM"], 8),
    ("WM-LCK-01", "门锁开关", "DKS-1 延时门锁", "个", "40.00", ["WM"], 6),
    ("WH-HTR-25", "热水器加热管", "3000W 镁棒一体", "根", "75.00", ["WH"], 5),
    ("WH-ANO-01", "镁棒", "Φ22×400mm", "根", "28.00", ["WH"], 10),
    ("WH-TMP-01", "热水器温控器", "KSD301 双金属", "个", "18.00", ["WH"], 10),
    ("WH-IGN-01", "燃气热水器点火针", "JSQ25 通用", "个", "12.00", ["WH"], 10),
    ("WH-VLV-01", "燃气比例阀", "JSQ25-13A", "个", "135.00", ["WH"], 3),
    ("LT-BAL-40", "电子镇流器", "T8 40W 一拖二", "个", "26.00", ["LT"], 10),
    ("LT-TUB-36", "荧光灯管", "TLD36W/865", "支", "9.50", ["LT"], 30),
    ("LT-STR-01", "启辉器", "S10 4-65W", "个", "1.50", ["LT"], 50),
    ("LT-LED-18", "LED 灯管", "T8 18W 1.2m", "支", "22.00", ["LT", "AC"], 20),
]

DEMO_MARK = "DEMO-GL-2026-001"  # delivery note of the first demo receipt: present = documents seeded


@demo_seeder
def seed_spares(ctx: DemoContext) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _seed(ctx)


def _seed(ctx: DemoContext) -> None:
    lines = ctx.objects["product_lines"]
    stations = ctx.objects["stations"]
    staff = ctx.objects["staff"]
    keeper = staff["warehouse"].user
    manager = staff["manager"].user
    head = staff["stationhead"].user
    dispatcher = staff["dispatcher"].user

    parts: dict[str, Part] = {}
    for number, name, spec, unit, price, codes, threshold in CATALOGUE:
        part, created = Part.objects.get_or_create(
            number=number,
            defaults={"name": name, "spec": spec, "unit": unit, "price": Decimal(price),
                      "low_stock_threshold": Decimal(threshold)},
        )
        if created:
            part.product_lines.set([lines[c] for c in codes])
        parts[number] = part

    central, _c = Location.objects.get_or_create(
        code="HD-CW", defaults={"name": "华东区中心仓库", "kind": Location.Kind.CENTRAL}
    )
    station_stock, old_stores = {}, {}
    for code, station in stations.items():
        station_stock[code], old_stores[code] = services.ensure_station_locations(station)
    vans = {tech.user.username: services.ensure_van(tech) for tech in ctx.objects["technicians"]}
    ctx.objects["spares_locations"] = {"central": central, **{f"stock:{c}": loc for c, loc in station_stock.items()}}

    if Receipt.objects.filter(delivery_note=DEMO_MARK).exists():
        ctx.log(f"spares: {len(parts)} parts, documents already seeded")
        return

    p = parts
    services.receive_stock(
        location=central, supplier="格力电器（合肥）配件有限公司", delivery_note=DEMO_MARK, actor=keeper,
        lines=[(p[n], q) for n, q in [("AC-CMP-15", 12), ("AC-CMP-30", 4), ("AC-CAP-35", 60), ("AC-FAN-IN", 15),
                                      ("AC-FAN-OUT", 12), ("AC-PCB-01", 10), ("AC-TMP-01", 100), ("AC-R410", 90),
                                      ("AC-CU-14", 200), ("AC-EXV-18", 8)]],
        unit_prices={p["AC-CMP-15"].pk: Decimal("650.00")},
    )
    services.receive_stock(
        location=central, supplier="海尔智家售后配件中心", delivery_note="DEMO-HR-2026-017", actor=keeper,
        lines=[(p[n], q) for n, q in [("RF-TMP-01", 30), ("RF-GSK-470", 16), ("RF-CMP-01", 5), ("RF-DEF-01", 20),
                                      ("RF-FAN-01", 14), ("RF-PTC-01", 40), ("WM-MTR-01", 6), ("WM-PMP-01", 20),
                                      ("WM-GSK-01", 12), ("WM-BLT-01", 25), ("WM-VLV-01", 24), ("WM-LCK-01", 18)]],
    )
    services.receive_stock(
        location=central, supplier="万和热水器配件部", delivery_note="DEMO-WH-2026-005", actor=keeper,
        lines=[(p[n], q) for n, q in [("WH-HTR-25", 15), ("WH-ANO-01", 40), ("WH-TMP-01", 30), ("WH-IGN-01", 30),
                                      ("WH-VLV-01", 6), ("LT-BAL-40", 40), ("LT-TUB-36", 120), ("LT-STR-01", 200),
                                      ("LT-LED-18", 60)]],
    )
    # Each station keeps its own account, stocked from the central warehouse.
    for code, stock in station_stock.items():
        services.transfer_stock(
            from_location=central, to_location=stock, actor=keeper, shipping_ref=f"SF-DEMO-{code}", postage=25,
            lines=[(p[n], q) for n, q in [("AC-CAP-35", 15), ("AC-TMP-01", 20), ("AC-R410", 20), ("AC-FAN-IN", 3),
                                          ("RF-TMP-01", 8), ("RF-GSK-470", 4), ("WM-PMP-01", 5), ("WM-BLT-01", 6),
                                          ("WH-ANO-01", 10), ("WH-TMP-01", 8), ("LT-BAL-40", 10), ("LT-TUB-36", 30),
                                          ("RF-DEF-01", 3)]],
        )

    # Requisitions in every state.
    tech01, tech02, tech05 = vans["tech01"], vans["tech02"], vans["tech05"]
    issued = services.create_requisition(
        from_location=station_stock["SH01"], to_location=tech01, actor=tech01.technician.user,
        work_order_ref="WO-2026-000012", reason="医院空调不制冷，更换启动电容和感温头",
        lines=[(p["AC-CAP-35"], 2), (p["AC-TMP-01"], 2), (p["AC-R410"], Decimal("1.5"))],
    )
    services.approve_requisition(requisition=issued, actor=head)
    services.issue_requisition(requisition=issued, actor=keeper)
    services.return_unused(requisition=issued, from_location=tech01, lines=[(p["AC-TMP-01"], 1)], actor=keeper,
                           reason="只换了一个感温头")
    approved = services.create_requisition(
        from_location=central, to_location=tech05, actor=tech05.technician.user, work_order_ref="WO-2026-000031",
        reason="工业园区管委会热水器漏水，更换加热管", lines=[(p["WH-HTR-25"], 1), (p["WH-ANO-01"], 1)],
    )
    services.approve_requisition(requisition=approved, actor=manager)
    services.create_requisition(
        from_location=station_stock["SH01"], to_location=tech02, actor=tech02.technician.user,
        work_order_ref="WO-2026-000045", reason="超市洗衣机不排水", lines=[(p["WM-PMP-01"], 1)],
    )
    rejected = services.create_requisition(
        from_location=central, to_location=tech01, actor=tech01.technician.user, reason="备用",
        lines=[(p["AC-CMP-15"], 2)],
    )
    services.reject_requisition(requisition=rejected, actor=head, reason="压缩机不备车，按工单领用")

    # A warranty repair: the old part comes back, the new one is written off against the signed report.
    old = services.record_old_part_return(
        part=p["AC-CAP-35"], qty=1, location=old_stores["SH01"], work_order_ref="WO-2026-000012",
        returned_by=tech01.technician, unit_serial="GREE-KFR35-2291", fault="电容鼓包失效", is_warranty=True,
        actor=keeper,
    )
    services.write_off_warranty_part(
        part=p["AC-CAP-35"], qty=1, location=tech01, work_order_ref="WO-2026-000012",
        service_report_ref="SR-2026-000012", service_report_signed=True, old_part_return=old, actor=keeper,
    )
    services.record_old_part_return(
        part=p["RF-TMP-01"], qty=1, location=old_stores["SZ01"], work_order_ref="WO-2026-000038",
        unit_serial="HAIER-BCD470-7781", fault="温控器触点粘连", is_warranty=True, actor=keeper,
    )
    # Customers waiting for parts.
    services.register_out_of_stock(
        part=p["RF-CMP-01"], qty=1, customer_name="王秀英", customer_phone="13916820033",
        work_order_ref="WO-2026-000050", station=stations["SH01"], actor=dispatcher,
        note="老款冰箱压缩机，客户同意等货",
    )
    replied = services.register_out_of_stock(
        part_description="西门子老款洗碗机控制板 SN25", customer_name="张丽", customer_phone="13862001122",
        station=stations["SZ01"], actor=dispatcher,
    )
    services.reply_out_of_stock(registration=replied, note="厂家已停产，已建议客户更换整机并给予折扣", actor=keeper)
    # A count in progress at the Suzhou station.
    sheet = services.start_stock_take(location=station_stock["SZ01"], actor=keeper, note="11月月度盘点")
    services.record_counts(
        stock_take=sheet, actor=keeper,
        counts=[{"part": p["AC-CAP-35"], "counted_qty": 15}, {"part": p["LT-TUB-36"], "counted_qty": 29}],
    )
    ctx.log(f"spares: {len(parts)} parts, {Location.objects.count()} locations, demo documents seeded")
