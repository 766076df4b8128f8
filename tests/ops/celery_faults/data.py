"""Work for the fault tests, built in bulk (hundreds of rows in a few queries), and the checks that
every effect of it exists exactly once.

The three periodic jobs under test and what "exactly once" means for each:

* **SLA sweep** — each due clock: one ``ClockFiring`` (warning, or breach when the breach is due),
  one notification per recipient for it (warning: the ticket's holder; breach: holder and managers),
  one "breached" log line on the ticket per breach. Clocks not yet due: nothing.
* **Daily reminders** — each planned visit on or before today: one ``Reminder`` for its technician,
  linked to one notification with the reminder's key.
* **Monday backup check** — each person who missed the week: 5 overdue days recorded once (5 points
  each), the person and the supervisor told once (one notification each, same key).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count

from appraisal import selectors as appraisal_selectors
from appraisal.models import BackupCheckEntry, BackupDeduction
from servicedesk.clocks.models import ClockFiring
from servicedesk.clocks.services import new_clock
from servicedesk.notifications.models import Notification
from servicedesk.org.models import Staff, Station
from tickets.models import SLAClock, TicketLog
from visits.models import Reminder, Visit

SH = ZoneInfo("Asia/Shanghai")


def people(prefix: str, n: int, *, station: Station, role: str | None = None, supervisor: Staff | None = None, email: bool = False) -> list[Staff]:
    """``n`` active staff with users (no password hashing: built with bulk_create)."""
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"{prefix}{i:04d}", email=f"{prefix}{i:04d}@example.cn" if email else "", is_active=True, password="!")
        for i in range(n)
    )
    if role:
        group = Group.objects.get(name=role)
        group.user_set.add(*users)
    return Staff.objects.bulk_create(
        Staff(user=u, employee_no=f"{prefix.upper()}{i:05d}", name=f"{prefix}{i}", phone=f"139{i:08d}",
              station=station, zone="urban", supervisor=supervisor)
        for i, u in enumerate(users)
    )


# --- SLA clocks ---------------------------------------------------------------------------------

def sla_clocks(tickets, *, per_ticket: int, now: datetime) -> list[SLAClock]:
    """Per ticket, ``per_ticket`` calendar clocks started 3 h ago, in three equal groups:
    breach due (target 1 h), warning due but breach not (target 3.5 h: warned 12 min ago, due in
    30 min), nothing due (target 10 h). Deadlines are at least 12 minutes from ``now``."""
    started = now - timedelta(hours=3)
    targets = [timedelta(hours=1), timedelta(hours=3, minutes=30), timedelta(hours=10)]
    clocks = [
        new_clock(SLAClock, target_code=f"fault-{i:03d}", kind="calendar", target=targets[i % 3], now=started, ticket=t)
        for t in tickets
        for i in range(per_ticket)
    ]
    return SLAClock.objects.bulk_create(clocks, batch_size=1000)


def expected_firings(now: datetime) -> set[tuple[int, str]]:
    """(clock id, kind) that a sweep at ``now`` owes, from the clocks' stored deadlines."""
    out = set()
    for clock in SLAClock.objects.filter(stopped_at__isnull=True, cancelled=False):
        if clock.due_at is not None and clock.due_at <= now:
            out.add((clock.pk, "breach"))
        elif clock.warn_at is not None and clock.warn_at <= now:
            out.add((clock.pk, "warning"))
    return out


def assert_sweep_exactly_once(expected: set[tuple[int, str]], *, managers: int) -> dict:
    firings = list(ClockFiring.objects.filter(clock_model="tickets.SLAClock"))
    got = Counter((f.clock_id, f.kind) for f in firings)
    assert set(got) == expected, f"missing {sorted(expected - set(got))[:5]}, extra {sorted(set(got) - expected)[:5]}"
    assert max(got.values()) == 1
    # Each firing told its recipients exactly once: warning → the holder, breach → holder + managers.
    notes = Counter(Notification.objects.filter(kind__in=["sla_warning", "sla_breach"]).values_list("key", flat=True))
    for f in firings:
        key = f"slaclock:{f.clock_id}:{f.kind}:{f.due_at.isoformat()}"
        want = 1 if f.kind == "warning" else 1 + managers
        assert notes.pop(key, 0) == want, f"firing {f} has {want} notification(s) expected"
    assert not notes, f"notifications without a firing: {list(notes)[:5]}"
    # One "breached" line per breach, on its ticket.
    breaches = Counter(SLAClock.objects.filter(pk__in=[f.clock_id for f in firings if f.kind == "breach"]).values_list("ticket_id", flat=True))
    # (The sweep writes them as nobody, by=None, in the site's language.)
    logged = Counter(TicketLog.objects.filter(kind=TicketLog.Kind.NOTE, by__isnull=True).values_list("ticket_id", flat=True))
    assert logged == breaches
    # Nothing early: every clock fired after its moment.
    for f in firings:
        clock = SLAClock.objects.get(pk=f.clock_id)
        moment = clock.due_at if f.kind == "breach" else clock.warn_at
        assert f.fired_at >= moment, f"{f} fired before {moment}"
    return {"firings": len(firings), "notifications": sum(1 if f.kind == "warning" else 1 + managers for f in firings)}


# --- visit reminders ----------------------------------------------------------------------------

def planned_visits(technicians: list[Staff], customers, *, today: date, creator) -> list[Visit]:
    """One planned visit per technician and customer, planned for today or up to 4 days ago."""
    visits = [
        Visit(technician=t, customer=c, status=Visit.Status.PLANNED, planned_for=today - timedelta(days=(i + j) % 5), created_by=creator)
        for i, t in enumerate(technicians)
        for j, c in enumerate(customers)
    ]
    return Visit.objects.bulk_create(visits, batch_size=1000)


def assert_reminders_exactly_once(visits: list[Visit], days: set[date]) -> dict:
    """Each visit reminded once per day the job ran on (normally one: today), to its technician."""
    rows = Reminder.objects.filter(item_type="visit")
    per_item = Counter(rows.values_list("item_id", "day"))
    want = {(v.pk, d) for v in visits for d in days}
    assert set(per_item) == want, f"missing {sorted(want - set(per_item))[:5]}, extra {sorted(set(per_item) - want)[:5]}"
    assert max(per_item.values()) == 1
    tech_of = {v.pk: v.technician.user_id for v in Visit.objects.filter(pk__in=[v.pk for v in visits]).select_related("technician")}
    assert all(r.recipient_id == tech_of[r.item_id] for r in rows.only("item_id", "recipient_id"))
    assert not rows.filter(notification__isnull=True).exists(), "a reminder without its notification"
    keys = Counter(Notification.objects.filter(kind__startswith="reminder_visit").values_list("key", "recipient_id"))
    assert len(keys) == len(want) and max(keys.values()) == 1
    return {"reminders": len(want)}


# --- Monday backup check ------------------------------------------------------------------------

def assert_backup_check_exactly_once(missing: list[Staff], *, week: date, days: int, points: int) -> dict:
    entries = BackupCheckEntry.objects.filter(week_start=week)
    assert entries.filter(outcome="missing").count() == len(missing)
    per_person = dict(
        BackupDeduction.objects.filter(week_start=week).values_list("staff_id").annotate(n=Count("pk")).values_list("staff_id", "n")
    )
    assert per_person == {s.pk: days for s in missing}, "overdue days recorded other than once each"
    assert set(BackupDeduction.objects.filter(week_start=week).values_list("points", flat=True)) == {points}
    assert not entries.filter(outcome="missing", notified_at__isnull=True).exists(), "a missing backup nobody was told about"
    notes = Counter(Notification.objects.filter(kind="backup_missing").values_list("recipient_id", "key"))
    want = Counter()
    for s in Staff.objects.filter(pk__in=[s.pk for s in missing]).select_related("user", "supervisor__user", "station"):
        key = f"appraisal:backup-missing:{week:%Y-%m-%d}:{s.pk}"
        want[(s.user_id, key)] += 1
        for user in appraisal_selectors.supervisors_to_notify(s):
            want[(user.pk, key)] += 1
    assert notes == want
    return {"deductions": len(missing) * days, "notifications": sum(want.values())}


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SH)

