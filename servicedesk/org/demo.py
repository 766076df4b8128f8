"""Demo organisation: one department, two stations, one user per role and eight technicians."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from servicedesk.core.demo import DEMO_PASSWORD, DemoContext, demo_seeder

from .models import Department, ProductLine, Role, Staff, Station, Zone
from .roles import ADMIN_SITE_ROLES, sync_role_permissions

PRODUCT_LINES = [
    ("AC", "空调"),
    ("RF", "冰箱"),
    ("WM", "洗衣机"),
    ("WH", "热水器"),
    ("LT", "照明灯具"),
]

STATIONS = [
    # code, name, province, region, address, phone
    ("SH01", "上海浦东服务站", "上海市", "浦东新区", "上海市浦东新区张杨路1588号", "021-58301234"),
    ("SZ01", "苏州工业园区服务站", "江苏省", "苏州市", "江苏省苏州市工业园区星湖街328号", "0512-62805678"),
]

# username, full name, role, station code (None = department-wide), zone
PEOPLE = [
    ("admin", "系统管理员", Role.ADMIN, None, ""),
    ("manager", "王建国", Role.MANAGER, None, ""),
    ("gm", "陈志远", Role.GENERAL_MANAGER, None, ""),
    ("dispatcher", "李晓燕", Role.DISPATCHER, "SH01", ""),
    ("supervisor", "赵敏", Role.SUPERVISOR, "SH01", ""),
    ("warehouse", "孙立伟", Role.WAREHOUSE_KEEPER, "SH01", ""),
    ("stationhead", "周海涛", Role.STATION_HEAD, "SH01", ""),
    ("finance", "吴丽华", Role.FINANCE, None, ""),
]

# username, name, station, zone, skills, status
TECHNICIANS = [
    ("tech01", "张伟", "SH01", Zone.URBAN, ["AC", "RF"], Staff.Status.WORKING),
    ("tech02", "刘洋", "SH01", Zone.URBAN, ["WM", "WH"], Staff.Status.WORKING),
    ("tech03", "杨帆", "SH01", Zone.SUBURBAN, ["AC", "LT"], Staff.Status.WORKING),
    ("tech04", "黄磊", "SH01", Zone.REMOTE, ["RF", "WM"], Staff.Status.BUSINESS_TRIP),
    ("tech05", "徐静", "SZ01", Zone.URBAN, ["AC", "WH"], Staff.Status.WORKING),
    ("tech06", "马超", "SZ01", Zone.SUBURBAN, ["RF", "LT"], Staff.Status.WORKING),
    ("tech07", "朱军", "SZ01", Zone.SUBURBAN, ["WM", "AC"], Staff.Status.ON_LEAVE),
    ("tech08", "胡斌", "SZ01", Zone.REMOTE, ["WH", "LT", "AC"], Staff.Status.WORKING),
]

_HOMES = {
    Role.ADMIN: "/admin/",
    Role.MANAGER: "/manager/",
    Role.GENERAL_MANAGER: "/manager/",
    Role.STATION_HEAD: "/station/",
    Role.SUPERVISOR: "/supervisor/",
    Role.DISPATCHER: "/admin/",
    Role.WAREHOUSE_KEEPER: "/admin/",
    Role.FINANCE: "/finance/",
    Role.TECHNICIAN: "/tablet/",
}


def demo_logins() -> list[tuple[str, str, str]]:
    rows = [(u, str(role.label), _HOMES[role]) for u, _n, role, _s, _z in PEOPLE]
    rows += [(u, str(Role.TECHNICIAN.label), _HOMES[Role.TECHNICIAN]) for u, *_rest in TECHNICIANS]
    return rows


def _user(username: str, full_name: str, roles: list[str], *, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": full_name, "email": f"{username}@servicedesk.example.cn"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
    user.is_staff = superuser or any(r in ADMIN_SITE_ROLES for r in roles)
    user.is_superuser = superuser
    user.save()
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


@demo_seeder
def seed_org(ctx: DemoContext) -> None:
    sync_role_permissions()
    lines = {}
    for code, name in PRODUCT_LINES:
        lines[code], _ = ProductLine.objects.get_or_create(code=code, defaults={"name": name})

    manager_user = _user("manager", "王建国", [Role.MANAGER])
    dept, _ = Department.objects.get_or_create(code="HD", defaults={"name": "华东区售后服务部", "manager": manager_user})

    stations = {}
    for code, name, province, region, address, phone in STATIONS:
        stations[code], _ = Station.objects.get_or_create(
            code=code,
            defaults={"department": dept, "name": name, "province": province, "region": region, "address": address, "phone": phone},
        )

    staff_by_username = {}
    for n, (username, name, role, station_code, zone) in enumerate(PEOPLE, start=1):
        user = _user(username, name, [role], superuser=(role == Role.ADMIN))
        staff, _ = Staff.objects.get_or_create(
            user=user,
            defaults={
                "employee_no": f"E{n:04d}",
                "name": name,
                "phone": f"1380000{n:04d}",
                "station": stations.get(station_code),
                "zone": zone,
                "joined_on": date(2020, 3, 1),
            },
        )
        staff_by_username[username] = staff

    head = staff_by_username["stationhead"]
    supervisor = staff_by_username["supervisor"]
    Station.objects.filter(code="SH01", head__isnull=True).update(head=head.user)
    Station.objects.filter(provincial_supervisor__isnull=True).update(provincial_supervisor=manager_user)

    technicians = []
    for n, (username, name, station_code, zone, skills, status) in enumerate(TECHNICIANS, start=101):
        user = _user(username, name, [Role.TECHNICIAN])
        staff, created = Staff.objects.get_or_create(
            user=user,
            defaults={
                "employee_no": f"E{n:04d}",
                "name": name,
                "phone": f"1391234{n:04d}",
                "station": stations[station_code],
                "zone": zone,
                "status": status,
                "supervisor": supervisor,
                "joined_on": date(2021 + n % 4, 1 + n % 12, 1 + n % 27),
            },
        )
        if created:
            staff.skills.set([lines[c] for c in skills])
        technicians.append(staff)
        staff_by_username[username] = staff

    ctx.objects.update(
        department=dept,
        stations=stations,
        product_lines=lines,
        technicians=technicians,
        staff=staff_by_username,
    )
    ctx.logins = demo_logins()
    ctx.log(f"org: {len(stations)} stations, {len(staff_by_username)} staff")
