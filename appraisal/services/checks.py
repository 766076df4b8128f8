"""The weekly backup check: who was due, who is missing, overdue-day deductions, supervisors told.

Idempotency comes from the database, not from remembering runs: one entry per person and week
(unique), one deduction per person, week and overdue day (unique, inserted with ON CONFLICT DO
NOTHING), one notification per recipient and key. Running a check twice therefore deducts and
notifies once; running it later adds only the days that have passed since.

The roster of a week is fixed at its first run: everybody on the staff then (not left, active
user, joined by the due date). People on a business trip at any moment of the due date — read
from the audit trail of their staff record, i.e. what the record said then — are skipped, and so
are people on leave when the rules say so.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from servicedesk.calendar import CALENDAR_TZ
from servicedesk.notifications.services import notify
from servicedesk.org.models import Staff

from .. import selectors
from ..exceptions import DomainError
from ..models import BackupCheck, BackupCheckEntry, BackupDeduction, BackupRules
from ..weeks import due_moment, is_week_start, overdue_date, overdue_days, week_start_of
from .common import page_url

log = logging.getLogger(__name__)

Outcome = BackupCheckEntry.Outcome
Closed = BackupCheckEntry.Closed


def run_weekly_backup_checks(*, now: datetime | None = None) -> list[int]:
    """The Monday job: check last week, re-check every week still missing someone (their overdue
    days grow), and catch up weeks skipped while the job was down. Returns the checks' ids."""
    now = now or timezone.now()
    last_week = week_start_of(now) - timedelta(weeks=1)
    weeks = set(selectors.open_weeks())
    latest = BackupCheck.objects.order_by("-week_start").values_list("week_start", flat=True).first()
    week = (latest + timedelta(weeks=1)) if latest else last_week
    while week <= last_week:
        weeks.add(week)
        week += timedelta(weeks=1)
    ids = []
    for week in sorted(weeks):
        if not _is_over(week, now):
            continue
        ids.append(run_backup_check(week_start=week, now=now).pk)
    # Notifications go out after each check's commit; a worker killed in between left missing people
    # nobody was told about. Open weeks were re-checked above (and told); a week closed meanwhile
    # (the overdue-day limit reached) is told here. Keys make a repeat harmless.
    untold = (
        BackupCheckEntry.objects.filter(outcome=Outcome.MISSING, notified_at__isnull=True)
        .exclude(backup_check_id__in=ids)
        .values_list("backup_check_id", flat=True)
        .distinct()
    )
    for check_id in sorted(untold):
        notify_missing(check_id=check_id)
    return ids


def _is_over(week_start: date, now: datetime) -> bool:
    due = due_moment(week_start)
    if due is None:
        end = datetime.combine(week_start + timedelta(weeks=1), datetime.min.time(), tzinfo=CALENDAR_TZ)
        return now >= end
    return now > due


def run_backup_check(*, week_start: date, now: datetime | None = None) -> BackupCheck:
    """Check one week: record each expected person's outcome (first run), settle late and missing
    backups up to ``now`` (a deduction per overdue day, each once), then — after commit — notify the
    supervisor of every newly missing person once."""
    now = now or timezone.now()
    if not is_week_start(week_start):
        raise DomainError(_("Choose the Monday of a week."), field="week_start")
    if not _is_over(week_start, now):
        raise DomainError(_("The backups of that week are not due yet."), field="week_start")
    due = due_moment(week_start)
    rules = BackupRules.current()
    with transaction.atomic():
        check = _lock_check(week_start, due, now)
        if check.runs == 0 and due is not None:
            _create_roster(check, due, rules, now)
        # Entries locked in id order: a late submission settling its own entry waits here, never deadlocks.
        entries = list(
            BackupCheckEntry.objects.select_for_update(of=("self",))
            .filter(backup_check=check)
            .select_related("staff")
            .order_by("pk")
        )
        firsts = selectors.first_submitted_at([e.staff_id for e in entries], week_start)
        changed, deductions = [], []
        for entry in entries:
            owed = _settle(entry, due=due, first=firsts.get(entry.staff_id), now=now, rules=rules)
            if owed is not None:
                changed.append(entry)
                deductions += owed
        BackupCheckEntry.objects.bulk_update(changed, SETTLED_FIELDS, batch_size=500)
        BackupDeduction.objects.bulk_create(deductions, ignore_conflicts=True, batch_size=1000)
        _refresh_counts(check, now)
    transaction.on_commit(lambda: notify_missing(check_id=check.pk))
    return check


def _lock_check(week_start: date, due: datetime | None, now: datetime) -> BackupCheck:
    """The week's check row, locked: two runs at once (beat and a manager's click) take turns."""
    check = BackupCheck.objects.select_for_update().filter(week_start=week_start).first()
    if check is not None:
        return check
    try:
        with transaction.atomic():
            BackupCheck.objects.create(week_start=week_start, due_at=due, first_run_at=now, last_run_at=now)
    except IntegrityError:
        pass  # another run created it first; take our turn on its lock
    return BackupCheck.objects.select_for_update().get(week_start=week_start)


def expected_staff(due: datetime):
    """Who owes a backup for a week due at ``due``: active users on the staff, not left, joined by then."""
    return (
        Staff.objects.filter(user__is_active=True)
        .exclude(status=Staff.Status.LEFT)
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=due.astimezone(CALENDAR_TZ).date()))
        .order_by("pk")
    )


def _create_roster(check: BackupCheck, due: datetime, rules: BackupRules, now: datetime) -> None:
    people = list(expected_staff(due))
    day_start = datetime.combine(due.astimezone(CALENDAR_TZ).date(), datetime.min.time(), tzinfo=CALENDAR_TZ)
    statuses = selectors.statuses_during(people, day_start, due)
    firsts = selectors.first_submitted_at([p.pk for p in people], check.week_start)
    entries = []
    for person in people:
        held, at_due = statuses[person.pk]
        if at_due == Staff.Status.LEFT:
            continue
        entry = BackupCheckEntry(
            backup_check=check, staff=person, week_start=check.week_start, status_at_due=at_due, outcome=Outcome.MISSING
        )
        if Staff.Status.BUSINESS_TRIP in held:
            entry.outcome, entry.closed_at = Outcome.BUSINESS_TRIP, now
        elif rules.skip_on_leave and Staff.Status.ON_LEAVE in held:
            entry.outcome, entry.closed_at = Outcome.ON_LEAVE, now
        elif person.pk in firsts:
            entry.outcome = Outcome.ON_TIME if firsts[person.pk] <= due else Outcome.LATE
        entries.append(entry)
    BackupCheckEntry.objects.bulk_create(entries, ignore_conflicts=True)


SETTLED_FIELDS = ["outcome", "submitted_at", "closed_at", "closed_reason", "overdue_days"]


def _settle(
    entry: BackupCheckEntry, *, due: datetime | None, first: datetime | None, now: datetime, rules: BackupRules
) -> list[BackupDeduction] | None:
    """Bring one entry up to date in memory (the caller saves ``SETTLED_FIELDS``) and return the
    overdue-day deductions it is owed — all of them: rows already recorded are skipped by the unique
    constraint. None when the entry is closed or exempt and nothing changes."""
    if due is None or entry.outcome in BackupCheckEntry.EXEMPT or entry.closed_at is not None:
        return None
    if first is not None:
        days = overdue_days(due, first, limit=rules.max_overdue_days)
        entry.outcome = Outcome.ON_TIME if first <= due else Outcome.LATE
        entry.submitted_at = first
        entry.closed_at, entry.closed_reason = first, Closed.SUBMITTED
    elif entry.staff.status == Staff.Status.LEFT:
        # Nobody is chased after leaving: the days counted so far stand, no more are added.
        days = entry.overdue_days
        entry.closed_at, entry.closed_reason = now, Closed.LEFT
    else:
        days = overdue_days(due, now, limit=rules.max_overdue_days)
        if rules.max_overdue_days and days >= rules.max_overdue_days:
            entry.closed_at, entry.closed_reason = now, Closed.LIMIT
    days = max(days, entry.overdue_days)
    entry.overdue_days = days
    local_due = due.astimezone(CALENDAR_TZ)
    return [
        BackupDeduction(
            staff_id=entry.staff_id,
            week_start=entry.week_start,
            kind=BackupDeduction.Kind.OVERDUE_DAY,
            day_no=n,
            occurred_on=overdue_date(due, n),
            points=rules.overdue_points_per_day,
            note=f"{entry.week_start:%Y-%m-%d} / {local_due:%Y-%m-%d %H:%M} +{n}",
            entry=entry,
        )
        for n in range(1, days + 1)
    ]


def settle_after_submission(*, staff: Staff, week_start: date, now: datetime) -> None:
    """A backup arrived for a week already checked: close the person's missing entry and record the
    overdue days up to its arrival (run inside the submitting transaction)."""
    entry = (
        BackupCheckEntry.objects.select_for_update(of=("self",))
        .select_related("staff", "backup_check")
        .filter(staff=staff, week_start=week_start)
        .first()
    )
    if entry is None or not entry.is_open:
        return
    first = selectors.first_submitted_at([staff.pk], week_start).get(staff.pk)
    rules = BackupRules.current()
    deductions = _settle(entry, due=entry.backup_check.due_at, first=first, now=now, rules=rules)
    if deductions is not None:
        entry.save(update_fields=SETTLED_FIELDS)
        BackupDeduction.objects.bulk_create(deductions, ignore_conflicts=True)


def _refresh_counts(check: BackupCheck, now: datetime) -> None:
    counts = check.entries.aggregate(
        expected=Count("pk"),
        on_time=Count("pk", filter=Q(outcome=Outcome.ON_TIME)),
        late=Count("pk", filter=Q(outcome=Outcome.LATE)),
        missing=Count("pk", filter=Q(outcome=Outcome.MISSING)),
        exempt=Count("pk", filter=Q(outcome__in=BackupCheckEntry.EXEMPT)),
    )
    for name, value in counts.items():
        setattr(check, name, value)
    check.runs += 1
    check.last_run_at = now
    check.save(update_fields=[*counts, "runs", "last_run_at"])


def notify_missing(*, check_id: int) -> int:
    """Tell the supervisor (and the person) of each missing backup of a check that nobody was told
    about yet. Each notification has its own key, so a crash between two of them loses nothing and
    repeats nothing. Returns how many people were reported."""
    entries = list(
        BackupCheckEntry.objects.filter(backup_check_id=check_id, outcome=Outcome.MISSING, notified_at__isnull=True)
        .select_related(
            "backup_check",
            "staff",
            "staff__user",
            "staff__supervisor",
            "staff__supervisor__user",
            "staff__station",
            "staff__station__head",
            "staff__station__department",
            "staff__station__department__manager",
        )
        .order_by("pk")
    )
    if not entries:
        return 0
    rules = BackupRules.current()
    with translation.override(settings.LANGUAGE_CODE):
        for entry in entries:
            _notify_one(entry, rules)
            BackupCheckEntry.objects.filter(pk=entry.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    return len(entries)


def _notify_one(entry: BackupCheckEntry, rules: BackupRules) -> None:
    check = entry.backup_check
    staff = entry.staff
    week = f"{entry.week_start:%Y-%m-%d}"
    due = timezone.localtime(check.due_at).strftime("%Y-%m-%d %H:%M")
    key = f"appraisal:backup-missing:{week}:{staff.pk}"
    for user in selectors.supervisors_to_notify(staff):
        notify(
            recipient=user,
            kind="backup_missing",
            title=_("Backup missing: %(name)s, week of %(week)s") % {"name": staff.name, "week": week},
            body=_(
                "%(name)s (%(number)s) has not submitted the backup due %(due)s. Each overdue day costs "
                "%(points)d points until it arrives."
            )
            % {"name": staff.name, "number": staff.employee_no, "due": due, "points": rules.overdue_points_per_day},
            url=page_url("appraisal:compliance", query=f"week={week}"),
            key=key,
        )
    notify(
        recipient=staff.user,
        kind="backup_missing",
        title=_("Your backup of the week of %(week)s is missing") % {"week": week},
        body=_("It was due %(due)s. Each overdue day costs %(points)d points until you submit it.")
        % {"due": due, "points": rules.overdue_points_per_day},
        url=page_url("appraisal:my_backups"),
        key=key,
    )
