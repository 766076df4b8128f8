"""Working-time arithmetic over a business calendar — pure Python, no database.

A :class:`Calendar` is built from three inputs and is immutable afterwards (apart from a memo of
the days it has already resolved):

* the **weekly pattern** — working periods per weekday (default 09:00–12:00 and 13:00–18:00 Monday
  to Friday, nothing at the weekend);
* the **official schedule** — China's statutory holidays (法定节假日) and make-up working days
  (调休补班), read live from the ``chinesecalendar`` package (see "Why read the package live");
* the **date overrides** an admin enters (company days off, make-up days, special hours), which win
  over both.

How one date is resolved, first match wins:

1. a date override: day off → no work; make-up day → the weekday's own hours, or the normal day's
   hours when that weekday has none (a Saturday 补班 works a normal day); custom hours → as given;
2. the official schedule, for a year it covers: statutory holiday → no work; make-up working day
   → as 1.'s make-up day;
3. the weekly pattern.

A year the package does not know (today: 2027 and later) thus falls back to the weekly pattern plus
the overrides and keeps working; :meth:`Calendar.is_covered` tells the coverage check which years
still need an admin to enter their schedule.

Time is kept as integer microseconds since local midnight, so results are exact (not merely to the
minute). All arithmetic happens in Asia/Shanghai wall time, which equals elapsed time because China
has observed no daylight saving since 1991. Walking is day by day over precomputed per-day periods
and per-day totals — a three-week deadline touches ~30 memoised days, never individual minutes.

Why read the package live instead of copying it into a table: the package *is* the maintained
source, so upgrading it (``pip install -U chinesecalendar``) extends coverage the day the State
Council publishes a new schedule, without a data migration that could drift from it; the data is
a small in-memory dict, so reading it costs nothing per call. We read its ``holidays``/``workdays``
dicts directly and never call ``is_workday()``, which raises ``NotImplementedError`` outside the
years it knows — that exception can therefore never reach a user.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from chinese_calendar import constants as _official
from django.utils.translation import get_language, gettext

CALENDAR_TZ = ZoneInfo("Asia/Shanghai")

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_DAY = 24 * 60 * US_PER_MINUTE

# A calendar with no working time for this many consecutive days is misconfigured (every weekday
# emptied); without this guard "N hours later" would walk to the end of time.
MAX_DAYS_WITHOUT_WORK = 732

Period = tuple[int, int]  # [start, end) in microseconds since local midnight
Periods = tuple[Period, ...]

DEFAULT_PERIODS_TEXT = "09:00-12:00, 13:00-18:00"


class CalendarError(Exception):
    """The calendar cannot answer (e.g. no working hours configured on any day)."""


class InvalidPeriods(ValueError):
    """A working-hours text that does not parse; the message is translated for the admin."""


# --- Working periods as text ---------------------------------------------------------------------

# Admins type periods as "09:00-12:00, 13:00-18:00"; Chinese punctuation and dashes are accepted too.
_SEPARATORS = re.compile(r"[,;，；、\s]+")
_DASH_SPACES = re.compile(r"\s*([-–—~～至到])\s*")
_PERIOD = re.compile(r"^(\d{1,2}):(\d{2})[-–—~～至到](\d{1,2}):(\d{2})$")


def _to_us(hours: int, minutes: int) -> int:
    return (hours * 60 + minutes) * US_PER_MINUTE


def parse_periods(text: str) -> Periods:
    """Parse ``"09:00-12:00, 13:00-18:00"`` into sorted, non-overlapping periods; ``""`` → ``()``.

    Raises :class:`InvalidPeriods` with a message an admin can act on.
    """
    text = _DASH_SPACES.sub(r"\1", (text or "").replace("：", ":")).strip()
    if not text:
        return ()
    periods: list[Period] = []
    for chunk in _SEPARATORS.split(text):
        if not chunk:
            continue
        match = _PERIOD.match(chunk)
        if not match:
            raise InvalidPeriods(
                gettext("“%(chunk)s” is not a period: write it as 09:00-12:00.") % {"chunk": chunk}
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        for h, m in ((h1, m1), (h2, m2)):
            if m > 59 or h > 24 or (h == 24 and m != 0):
                raise InvalidPeriods(gettext("“%(chunk)s” contains an impossible time.") % {"chunk": chunk})
        start, end = _to_us(h1, m1), _to_us(h2, m2)
        if start >= end:
            raise InvalidPeriods(
                gettext("In “%(chunk)s” the end must come after the start (periods cannot cross midnight).")
                % {"chunk": chunk}
            )
        periods.append((start, end))
    periods.sort()
    for (s1, e1), (s2, e2) in zip(periods, periods[1:]):
        if s2 < e1:
            raise InvalidPeriods(
                gettext("The periods %(first)s and %(second)s overlap.")
                % {"first": format_periods(((s1, e1),)), "second": format_periods(((s2, e2),))}
            )
    return tuple(periods)


def _format_us(us: int) -> str:
    minutes = us // US_PER_MINUTE
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_periods(periods: Iterable[Period]) -> str:
    """The canonical text of ``periods``: ``"09:00-12:00, 13:00-18:00"``."""
    return ", ".join(f"{_format_us(s)}-{_format_us(e)}" for s, e in periods)


def periods_length(periods: Iterable[Period]) -> timedelta:
    return timedelta(microseconds=sum(e - s for s, e in periods))


DEFAULT_PERIODS: Periods = parse_periods(DEFAULT_PERIODS_TEXT)
DEFAULT_WEEKLY: dict[int, Periods] = {0: DEFAULT_PERIODS, 1: DEFAULT_PERIODS, 2: DEFAULT_PERIODS,
                                      3: DEFAULT_PERIODS, 4: DEFAULT_PERIODS, 5: (), 6: ()}


# --- The official schedule (chinesecalendar) -------------------------------------------------------

OFFICIAL_HOLIDAYS: dict[date, str] = dict(_official.holidays)
OFFICIAL_WORKDAYS: dict[date, str] = dict(_official.workdays)
OFFICIAL_YEARS: frozenset[int] = frozenset(d.year for d in OFFICIAL_HOLIDAYS)
_OFFICIAL_HOLIDAYS_BY_ORDINAL = {d.toordinal(): h for d, h in OFFICIAL_HOLIDAYS.items()}
_OFFICIAL_WORKDAYS_BY_ORDINAL = {d.toordinal(): h for d, h in OFFICIAL_WORKDAYS.items()}


_CHINESE_NAMES = {h.value: h.chinese for h in _official.Holiday}


def official_holiday_name(holiday) -> str:
    """The festival's name in the active language (the package stores English names)."""
    if not holiday:
        return ""
    name = getattr(holiday, "value", holiday)
    if (get_language() or "").startswith("zh"):
        return _CHINESE_NAMES.get(name, name)
    return name


# --- The calendar ----------------------------------------------------------------------------------

OVERRIDE_DAY_OFF = "day_off"
OVERRIDE_MAKE_UP_DAY = "make_up_day"
OVERRIDE_CUSTOM_HOURS = "custom_hours"


@dataclass(frozen=True)
class Override:
    """One admin override of one date (kinds as in ``DateOverride.Kind``)."""

    kind: str
    periods: Periods = ()
    note: str = ""


@dataclass(frozen=True)
class DayInfo:
    """Why a date has the hours it has — for admin pages and error messages."""

    day: date
    periods: Periods
    source: str  # "override" | "official" | "weekly"
    kind: str  # "working_day" | "day_off" | "holiday" | "make_up_day" | "custom_hours"
    name: str = ""  # festival name or the override's note

    @property
    def is_working_day(self) -> bool:
        return bool(self.periods)

    @property
    def hours(self) -> timedelta:
        return periods_length(self.periods)

    @property
    def periods_text(self) -> str:
        return format_periods(self.periods)


def to_local(moment: datetime) -> datetime:
    """``moment`` in Asia/Shanghai; a naive datetime is refused, since its instant is unknown."""
    if not isinstance(moment, datetime):
        raise TypeError(f"expected an aware datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"naive datetime {moment.isoformat()} given to the business calendar: pass an aware datetime "
            "(django.utils.timezone.now(), or make_aware(...) in Asia/Shanghai)"
        )
    return moment.astimezone(CALENDAR_TZ)


def _local_day(day: date) -> date:
    """A date, or the Shanghai date of an aware datetime (a datetime *is* a date, so be careful)."""
    if isinstance(day, datetime):
        return to_local(day).date()
    if not isinstance(day, date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return day


def _duration_us(duration: timedelta) -> int:
    if not isinstance(duration, timedelta):
        raise TypeError(f"expected a timedelta, got {type(duration).__name__}")
    us = (duration.days * 86_400 + duration.seconds) * US_PER_SECOND + duration.microseconds
    if us < 0:
        raise ValueError(f"working time cannot be negative: {duration}")
    return us


class Calendar:
    """An immutable business calendar answering working-time questions in Asia/Shanghai."""

    def __init__(
        self,
        *,
        weekly: Mapping[int, Periods] | None = None,
        overrides: Mapping[date, Override] | None = None,
        manual_years: Iterable[int] = (),
        official_holidays: Mapping[date, object] = OFFICIAL_HOLIDAYS,
        official_workdays: Mapping[date, object] = OFFICIAL_WORKDAYS,
        official_years: Iterable[int] = OFFICIAL_YEARS,
    ):
        # A weekday missing from ``weekly`` keeps its built-in default, so a flushed table (a
        # transactional test) or a half-seeded one never leaves the calendar without hours.
        self.weekly: dict[int, Periods] = {wd: tuple((weekly or {}).get(wd, DEFAULT_WEEKLY[wd])) for wd in range(7)}
        self.overrides: dict[int, Override] = {d.toordinal(): o for d, o in (overrides or {}).items()}
        self.manual_years = frozenset(manual_years)
        self.official_years = frozenset(official_years)
        if official_holidays is OFFICIAL_HOLIDAYS and official_workdays is OFFICIAL_WORKDAYS and official_years is OFFICIAL_YEARS:
            self._holidays, self._workdays = _OFFICIAL_HOLIDAYS_BY_ORDINAL, _OFFICIAL_WORKDAYS_BY_ORDINAL
        else:  # tests simulate a package that knows fewer (or other) years
            years = self.official_years
            self._holidays = {d.toordinal(): h for d, h in official_holidays.items() if d.year in years}
            self._workdays = {d.toordinal(): h for d, h in official_workdays.items() if d.year in years}
        self.normal_periods = self._normal_periods()
        self.normal_day_us = sum(e - s for s, e in self.normal_periods)
        # ordinal → (periods, total µs, aware local midnight): everything the walk needs per day.
        self._memo: dict[int, tuple[Periods, int, datetime]] = {}

    # -- per-day resolution --

    def _normal_periods(self) -> Periods:
        """A normal working day's hours: the commonest non-empty weekday pattern (earliest on a tie)."""
        counts = Counter(p for p in self.weekly.values() if p)
        if not counts:
            return DEFAULT_PERIODS
        best = max(counts.values())
        return next(self.weekly[wd] for wd in range(7) if self.weekly[wd] and counts[self.weekly[wd]] == best)

    def _make_up_periods(self, weekday: int) -> Periods:
        return self.weekly[weekday] or self.normal_periods

    def explain(self, day: date) -> DayInfo:
        """The hours of ``day`` and where they come from."""
        day = _local_day(day)
        o = day.toordinal()
        weekday = day.weekday()
        override = self.overrides.get(o)
        if override is not None:
            if override.kind == OVERRIDE_DAY_OFF:
                return DayInfo(day, (), "override", "day_off", override.note)
            if override.kind == OVERRIDE_MAKE_UP_DAY:
                return DayInfo(day, self._make_up_periods(weekday), "override", "make_up_day", override.note)
            return DayInfo(day, override.periods, "override", "custom_hours", override.note)
        if o in self._holidays:
            return DayInfo(day, (), "official", "holiday", official_holiday_name(self._holidays[o]))
        if o in self._workdays:
            return DayInfo(day, self._make_up_periods(weekday), "official", "make_up_day",
                           official_holiday_name(self._workdays[o]))
        periods = self.weekly[weekday]
        return DayInfo(day, periods, "weekly", "working_day" if periods else "day_off")

    def _day(self, ordinal: int) -> tuple[Periods, int, datetime]:
        cached = self._memo.get(ordinal)
        if cached is None:
            day = date.fromordinal(ordinal)
            periods = self.explain(day).periods
            midnight = datetime(day.year, day.month, day.day, tzinfo=CALENDAR_TZ)
            cached = self._memo[ordinal] = (periods, sum(e - s for s, e in periods), midnight)
        return cached

    def periods_for(self, day: date) -> Periods:
        return self._day(_local_day(day).toordinal())[0]

    def is_working_day(self, day: date) -> bool:
        return bool(self._day(_local_day(day).toordinal())[1])

    def working_day_length(self, day: date) -> timedelta:
        return timedelta(microseconds=self._day(_local_day(day).toordinal())[1])

    def working_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working periods of ``day`` as aware Asia/Shanghai datetimes."""
        day = _local_day(day)
        midnight = datetime(day.year, day.month, day.day, tzinfo=CALENDAR_TZ)
        return [(midnight + timedelta(microseconds=s), midnight + timedelta(microseconds=e))
                for s, e in self.periods_for(day)]

    def normal_day_length(self) -> timedelta:
        return timedelta(microseconds=self.normal_day_us)

    def working_days(self, n) -> timedelta:
        """"N working days" = N × a normal day's working hours (SPEC §4); 3 → 24 h by default."""
        return self.normal_day_length() * n

    def is_covered(self, year: int) -> bool:
        """True when ``year``'s statutory holidays are known (from the package or entered by an admin)."""
        return year in self.official_years or year in self.manual_years

    @property
    def covered_years(self) -> frozenset[int]:
        return self.official_years | self.manual_years

    def is_working_time(self, moment: datetime) -> bool:
        local = to_local(moment)
        t = ((local.hour * 60 + local.minute) * 60 + local.second) * US_PER_SECOND + local.microsecond
        return any(s <= t < e for s, e in self._day(local.toordinal())[0])

    # -- arithmetic --

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest moment by which ``duration`` of working time has elapsed after ``start``.

        A zero duration returns ``start`` itself (in Asia/Shanghai), even outside working hours. A
        result that falls on the end of a period is that end (12:00, not 13:00).
        """
        local = to_local(start)
        remaining = _duration_us(duration)
        if remaining == 0:
            return local
        ordinal = local.toordinal()
        t = ((local.hour * 60 + local.minute) * 60 + local.second) * US_PER_SECOND + local.microsecond
        memo = self._memo
        idle = 0
        while True:
            day = memo.get(ordinal) or self._day(ordinal)
            total = day[1]
            if total:
                idle = 0
                if t == 0 and remaining > total:
                    remaining -= total  # the whole day is used up: skip its periods
                else:
                    for s, e in day[0]:
                        if t >= e:
                            continue
                        begin = s if s > t else t
                        available = e - begin
                        if remaining <= available:
                            return day[2] + timedelta(microseconds=begin + remaining)
                        remaining -= available
            else:
                idle += 1
                if idle > MAX_DAYS_WITHOUT_WORK:
                    raise CalendarError(
                        f"no working time in the {MAX_DAYS_WITHOUT_WORK} days after "
                        f"{date.fromordinal(ordinal - idle + 1)}: check the weekly working hours"
                    )
            ordinal += 1
            t = 0

    def _overlap(self, ordinal: int, lo: int, hi: int) -> int:
        us = 0
        for s, e in self._day(ordinal)[0]:
            a = s if s > lo else lo
            b = e if e < hi else hi
            if b > a:
                us += b - a
        return us

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end); ``timedelta(0)`` when ``end <= start`` (never negative)."""
        a = to_local(start)
        b = to_local(end)
        if b <= a:
            return timedelta(0)
        oa, ob = a.toordinal(), b.toordinal()
        ta = ((a.hour * 60 + a.minute) * 60 + a.second) * US_PER_SECOND + a.microsecond
        tb = ((b.hour * 60 + b.minute) * 60 + b.second) * US_PER_SECOND + b.microsecond
        if oa == ob:
            return timedelta(microseconds=self._overlap(oa, ta, tb))
        us = self._overlap(oa, ta, US_PER_DAY) + self._overlap(ob, 0, tb)
        memo = self._memo
        for ordinal in range(oa + 1, ob):
            us += (memo.get(ordinal) or self._day(ordinal))[1]
        return timedelta(microseconds=us)
