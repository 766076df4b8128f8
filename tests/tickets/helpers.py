from datetime import datetime
from zoneinfo import ZoneInfo

from tickets import services

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def register(actor, customer, *, kind="service", service_type="repair", now=None, **kw):
    defaults = dict(
        channel="phone", caller_name="王先生", caller_phone="13812345678", description="空调不制冷，外机有异响",
    )
    defaults.update(kw)
    if kind != "service":
        service_type = ""
    return services.register_ticket(actor=actor, customer=customer, kind=kind, service_type=service_type, now=now, **defaults)
