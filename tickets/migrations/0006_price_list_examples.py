"""有偿服务收费标准: the example price list of the seeds (特约户内维修 2.3.3.1–2.3.3.7).

Steps and acceptance checks are the seed's own words; the seed gives no amounts, so the prices are
examples a manager adjusts in the admin. Product lines are left empty (= every line): they do not
exist yet on a fresh database; the demo seeder links them. Existing codes are never overwritten,
so a price changed in the admin survives a re-run.
"""

from decimal import Decimal

from django.db import migrations

PRICE_LIST = [
    (
        "LT-01", "日光灯维修", "盏", Decimal("30.00"),
        [
            "a) 检查测量日光管两端电压是否正常，如不正常则应检修开关",
            "b) 检查启辉器管脚接触是否良好，否则整修启辉器座；启辉器电容已击穿或玻璃管发黑则更换启辉器",
            "c) 检查光管两端是否较黑或灯丝已烧断，如是则更换同规格的光管",
            "d) 检查日光管管脚是否接触良好，否则整修管座，整修后达不到要求的应更换",
            "e) 检查镇流器是否烧断、烧焦或短路，如是则更换同规格的镇流器",
            "f) 维修工作完成后开灯试验",
        ],
        "开灯试验：日光管闪烁不超过3次就能点亮，否则重新检修，直至故障排除。",
    ),
    (
        "SW-01", "开关维修", "个", Decimal("25.00"),
        [
            "a) 计算用电负荷，如已超载则要求住户减少负荷，否则申请增容",
            "b) 拉下总电源开关，用万用表检查有无短路故障，逐一检查直至故障排除",
            "c) 拉下总电源开关，用500V摇表检查线路绝缘，如漏电则逐条线路检查直至排除",
            "d) 故障全部排除后，换上同规格的开关",
        ],
        "试验开关开闭正常。",
    ),
    (
        "WV-01", "水龙头、闸阀维修", "个", Decimal("35.00"),
        [
            "a) 关掉水龙头、闸阀前的阀门，排空管内余水，拆下水龙头或闸阀",
            "b) 磁芯坏或阀杆磨损严重则更换同规格的水龙头或闸阀",
            "c) 在螺牙段顺时针缠绕生料带，装上水龙头或闸阀",
            "d) 开水试验",
        ],
        "螺牙连接处不渗水，开关灵活，关水后不漏水。",
    ),
    (
        "WH-01", "燃气热水器维修", "台", Decimal("80.00"),
        [
            "a-i) 开机不着火：检查电池电压，不够则更换同规格电池",
            "a-ii) 开机听打火声，无“吱吱”声则更换电子打火器",
            "a-iii) 检查气路：燃气阀门是否拧开、燃气电磁阀是否卡住（拆开检修、擦除脏物、加润滑油）",
            "b-i) 有“嘭”的爆炸声：先关闭燃气阀门",
            "b-ii) 用电吹风吹干高压打火线",
            "b-iii) 调整点火间隙",
            "b-iv) 开机听电磁阀动作声，不清脆则拆开电磁阀修理",
            "b-v) 打开燃气阀门",
        ],
        "开机点火正常，反复试3~5次。",
    ),
    (
        "GS-01", "煤气灶维修", "台", Decimal("50.00"),
        [
            "开机不着火：点火电极无火花则更换点火器；清除空气进气门脏物",
            "火焰为红色：清洁炉头管路及炉头脏物；清除空气进气门脏物",
            "漏煤气：整改软管接头处；点火器漏气则拆换点火器",
        ],
        "点火正常，火焰呈蓝色，各接头无漏气。",
    ),
    (
        "TT-01", "坐便器水箱维修", "个", Decimal("40.00"),
        [
            "a-i) 浮球阀漏水：轻抬浮球杆如能止漏，则调整浮球阀杆阴位螺钉",
            "a-ii) 轻抬浮球阀杆不能止漏则修理浮球阀封水位置，仍漏水则更换水箱配件",
            "b-i) 出水胶塞漏水：调整胶塞位置",
            "b-ii) 胶塞老化或变形则更换胶塞",
        ],
        "水箱进水、止水正常，冲水后不再漏水。",
    ),
    (
        "AC-10", "空调器维修", "台", Decimal("150.00"),
        [
            "a) 询问住户空调的故障情况",
            "b) 检查有无异常声响、异常气味，查找故障部位并整改",
            "c) 观察电器元件、接线头有无烧焦或松脱",
            "d) 观察管路接头处有无油污（泄漏），拧紧接头",
            "e) 手摸吸气管，温度接近环境温度则查漏后充注制冷剂",
            "f) 观察毛细管出口和蒸发器入口是否结霜",
            "g) 手摸干燥过滤器，发凉则更换干燥过滤器",
            "h) 用复合压力表测量高低压（低压0.49~0.54MPa，高压1.17~1.37MPa）",
            "i) 用钳形表测量运转电流，与额定值比较",
            "j) 全部工作完成后启动空调器试运转",
        ],
        "试运转正常，无故障，否则继续查找原因直至故障排除。",
    ),
]


def create_price_list(apps, schema_editor):
    ServiceItem = apps.get_model("tickets", "ServiceItem")
    for code, name, unit, price, steps, check in PRICE_LIST:
        ServiceItem.objects.get_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "price": price, "checklist": steps, "acceptance_check": check},
        )


def remove_price_list(apps, schema_editor):
    ServiceItem = apps.get_model("tickets", "ServiceItem")
    WorkOrderItem = apps.get_model("tickets", "WorkOrderItem")
    used = WorkOrderItem.objects.values_list("service_item_id", flat=True)
    ServiceItem.objects.filter(code__in=[row[0] for row in PRICE_LIST]).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0005_work_order_lifecycle")]

    operations = [migrations.RunPython(create_price_list, remove_price_list)]
