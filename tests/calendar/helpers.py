from datetime import datetime

from servicedesk.calendar.engine import CALENDAR_TZ


def sh(y, m, d, hh=0, mm=0, ss=0, us=0) -> datetime:
    """An aware Asia/Shanghai datetime."""
    return datetime(y, m, d, hh, mm, ss, us, tzinfo=CALENDAR_TZ)
