"""Reads of backups, checks, deductions and borrowing — scoped by who asks, in one place.

Who sees what:

* everyone with a staff record: his own submissions, entries, deductions and borrowing requests;
* **reviewers** — supervisors, station heads, managers, the general manager, admins — also those of
  the people they review: the people :func:`servicedesk.org.selectors.staff_visible_to` shows them
  (department-wide roles everyone, a station head his station), plus anyone whose ``supervisor`` he is;
* department managers the borrowing requests they must decide; the general manager all of them.

Downloads are narrower than seeing (see :func:`download_grounds`).
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from servicedesk.org.models import Department, Role, Staff
from servicedesk.org.roles import has_role
from servicedesk.org.selectors import staff_of, staff_visible_to

from .models import (
    BackupCheck,
    BackupCheckEntry,
    BackupDeduction,
    BackupDownload,
    BackupSubmission,
    BorrowRequest,
)
from .weeks import week_start_of

# Roles that review other people's backups (compliance pages, marking incomplete).
REVIEWER_ROLES = (Role.SUPERVISOR, Role.STATION_HEAD, Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)
# Roles that may run a week's check by hand (the Monday job runs it anyway).
CHECK_RUNNER_ROLES = (Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN)
# Roles that see every borrowing request (read-only unless they are an approver).
BORROW_OVERSEERS = (Role.GENERAL_MANAGER, Role.ADMIN)


# --- organisation ---------------------------------------------------------------------------


def default_department() -> Department | None:
    """The department of people without a station: there is one department; the first by code otherwise."""
    return Department.objects.order_by("code", "pk").first()


def department_of(staff: Staff) -> Department | None:
    """A person's department (read fresh, with its manager): his station's; without a station, the
    one he manages, else the default one."""
    departments = Department.objects.select_related("manager")
    if staff.station_id is not None:
        return departments.filter(stations__pk=staff.station_id).first()
    managed = departments.filter(manager_id=staff.user_id).order_by("code", "pk").first()
    return managed or default_department()


def is_reviewer(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or has_role(user, *REVIEWER_ROLES)))


def reviewable_staff(user) -> QuerySet[Staff]:
    """The people whose backups ``user`` reviews (may include himself; services refuse self-review)."""
    if not user.is_authenticated:
        return Staff.objects.none()
    direct = Q(supervisor__user=user)
    if is_reviewer(user):
        return Staff.objects.filter(Q(pk__in=staff_visible_to(user).order_by().values("pk")) | direct)
    return Staff.objects.filter(direct)


def supervisors_to_notify(staff: Staff) -> list:
    """Who hears that ``staff`` missed a backup: his supervisor, else his station's head, else the managers.

    Never the person himself (a station head's own backup goes to the managers).
    """
    User = get_user_model()
    if staff.supervisor_id and staff.supervisor.user_id != staff.user_id and staff.supervisor.user.is_active:
        return [staff.supervisor.user]
    station = staff.station
    if station is not None and station.head_id and station.head_id != staff.user_id and station.head.is_active:
        return [station.head]
    department = department_of(staff)
    if department is not None and department.manager_id and department.manager_id != staff.user_id:
        return [department.manager]
    return list(
        User.objects.filter(is_active=True, groups__name=Role.MANAGER).exclude(pk=staff.user_id).distinct().order_by("pk")
    )


def department_approvers(department: Department, *, requester: Staff) -> list:
    """Who may decide a borrowing request for ``department``: its manager — or, when the manager is
    the requester himself (nobody approves his own request), the general managers."""
    User = get_user_model()
    if department.manager_id and department.manager_id != requester.user_id:
        return [department.manager]
    return list(
        User.objects.filter(is_active=True, groups__name=Role.GENERAL_MANAGER)
        .exclude(pk=requester.user_id)
        .distinct()
        .order_by("pk")
    )


# --- submissions ----------------------------------------------------------------------------


def _submissions() -> QuerySet[BackupSubmission]:
    return BackupSubmission.objects.select_related(
        "staff", "staff__station", "department", "submitted_by", "incomplete_by"
    )


def submissions_visible_to(user) -> QuerySet[BackupSubmission]:
    """Own submissions and those of the people ``user`` reviews (metadata; downloading is narrower)."""
    me = staff_of(user)
    condition = Q(staff__in=reviewable_staff(user).values("pk"))
    if me is not None:
        condition |= Q(staff=me)
    return _submissions().filter(condition)


def my_submissions(staff: Staff) -> QuerySet[BackupSubmission]:
    return _submissions().filter(staff=staff).order_by("-week_start", "-submitted_at", "-pk")


def borrowable_submissions(user) -> QuerySet[BackupSubmission]:
    """Archived backups with a file that ``user`` may ask to borrow: anyone's but his own, weeks that are over."""
    me = staff_of(user)
    if me is None:
        return BackupSubmission.objects.none()
    this_week = week_start_of(timezone.localdate())
    return (
        _submissions()
        .filter(kind=BackupSubmission.Kind.FILE, week_start__lt=this_week)
        .exclude(staff=me)
        .order_by("-week_start", "staff__employee_no", "-submitted_at")
    )


def first_submitted_at(staff_ids, week_start: date) -> dict[int, datetime]:
    """staff id → when the week's first backup arrived (one query)."""
    rows = (
        BackupSubmission.objects.filter(staff_id__in=list(staff_ids), week_start=week_start)
        .values("staff_id")
        .annotate(first=Min("submitted_at"))
    )
    return {row["staff_id"]: row["first"] for row in rows}


def active_borrow_for(user, submission: BackupSubmission, *, now: datetime) -> BorrowRequest | None:
    me = staff_of(user)
    if me is None:
        return None
    return (
        BorrowRequest.objects.filter(
            requester=me, submission=submission, status=BorrowRequest.Status.APPROVED, expires_at__gt=now
        )
        .order_by("-expires_at")
        .first()
    )


def download_grounds(user, submission: BackupSubmission, *, now: datetime | None = None):
    """Why ``user`` may download ``submission`` — ``(grounds, borrow_request)`` — or None when he may not.

    The owner always; a reviewer of the owner within the review window (this and last week, so the
    Monday check's findings can be verified); anyone else — and reviewers for older weeks — only
    through an approved, unexpired borrowing request.
    """
    if not submission.has_file or not user.is_authenticated:
        return None
    now = now or timezone.now()
    me = staff_of(user)
    if me is not None and submission.staff_id == me.pk:
        return BackupDownload.Grounds.OWNER, None
    if submission.in_review_window(timezone.localdate(now)) and reviewable_staff(user).filter(pk=submission.staff_id).exists():
        return BackupDownload.Grounds.REVIEWER, None
    borrow = active_borrow_for(user, submission, now=now)
    if borrow is not None:
        return BackupDownload.Grounds.BORROWED, borrow
    return None


def downloads_visible_to(user) -> QuerySet[BackupDownload]:
    qs = BackupDownload.objects.select_related("submission", "submission__staff", "user", "borrow_request")
    if user.is_superuser or has_role(user, Role.MANAGER, Role.GENERAL_MANAGER, Role.ADMIN):
        return qs
    return qs.filter(Q(user=user) | Q(submission__staff__in=reviewable_staff(user).values("pk")))


# --- checks, entries, deductions ------------------------------------------------------------


def checks_visible_to(user) -> QuerySet[BackupCheck]:
    return BackupCheck.objects.all() if is_reviewer(user) else BackupCheck.objects.none()


def entries_visible_to(user) -> QuerySet[BackupCheckEntry]:
    me = staff_of(user)
    condition = Q(staff__in=reviewable_staff(user).values("pk"))
    if me is not None:
        condition |= Q(staff=me)
    return BackupCheckEntry.objects.select_related("staff", "staff__station", "backup_check").filter(condition)


def deductions_visible_to(user) -> QuerySet[BackupDeduction]:
    me = staff_of(user)
    condition = Q(staff__in=reviewable_staff(user).values("pk"))
    if me is not None:
        condition |= Q(staff=me)
    return BackupDeduction.objects.select_related("staff", "created_by").filter(condition)


def open_weeks() -> list[date]:
    """Weeks whose check still has someone missing (the Monday job extends their overdue days)."""
    return list(
        BackupCheckEntry.objects.filter(outcome=BackupCheckEntry.Outcome.MISSING, closed_at__isnull=True)
        .values_list("week_start", flat=True)
        .distinct()
        .order_by("week_start")
    )


def deduction_points_by_staff(first: date, last: date) -> QuerySet:
    """Backup deductions per person for ``first``–``last`` (a month), one aggregate: ``[{staff, points}]``.

    This is what a monthly scorecard reads (as a subquery or joined by staff id).
    """
    return (
        BackupDeduction.objects.filter(occurred_on__range=(first, last))
        .values("staff")
        .annotate(points=Sum("points"))
        .order_by("staff")
    )


def deduction_points_subquery(first: date, last: date):
    """The same sum as a correlated subquery to annotate a Staff queryset (0 when none)."""
    total = (
        BackupDeduction.objects.filter(staff=OuterRef("pk"), occurred_on__range=(first, last))
        .order_by()
        .values("staff")
        .annotate(points=Sum("points"))
        .values("points")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def compliance_rows(user, week_start: date) -> QuerySet[Staff]:
    """The people ``user`` reviews with their backup state for one week — a fixed number of queries.

    Each row carries ``first_submitted_at``, ``submission_count``, ``week_points`` and, prefetched,
    ``week_submissions`` and ``week_entries`` (the check's verdict, when the week was checked).
    """
    week_submissions = BackupSubmission.objects.filter(week_start=week_start).select_related("incomplete_by")
    first = (
        BackupSubmission.objects.filter(staff=OuterRef("pk"), week_start=week_start)
        .order_by("submitted_at")
        .values("submitted_at")[:1]
    )
    count = (
        BackupSubmission.objects.filter(staff=OuterRef("pk"), week_start=week_start)
        .order_by()
        .values("staff")
        .annotate(n=Count("pk"))
        .values("n")
    )
    points = (
        BackupDeduction.objects.filter(staff=OuterRef("pk"), week_start=week_start)
        .order_by()
        .values("staff")
        .annotate(p=Sum("points"))
        .values("p")
    )
    has_entry = BackupCheckEntry.objects.filter(staff=OuterRef("pk"), week_start=week_start)
    return (
        reviewable_staff(user)
        .filter(Q(Exists(has_entry)) | ~Q(status=Staff.Status.LEFT))
        .select_related("station", "supervisor")
        .annotate(
            first_submitted_at=Subquery(first),
            submission_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
            week_points=Coalesce(Subquery(points, output_field=IntegerField()), Value(0)),
        )
        .prefetch_related(
            Prefetch("backup_submissions", queryset=week_submissions.order_by("submitted_at", "pk"), to_attr="week_submissions"),
            Prefetch("backup_check_entries", queryset=BackupCheckEntry.objects.filter(week_start=week_start), to_attr="week_entries"),
        )
        .order_by("station__code", "employee_no")
    )


def check_history(user, *, weeks: int = 26) -> QuerySet[BackupCheck]:
    """The last ``weeks`` checks with their counts over the people ``user`` reviews."""
    mine = Q(entries__staff__in=reviewable_staff(user).values("pk"))
    outcome = BackupCheckEntry.Outcome
    return (
        checks_visible_to(user)
        .annotate(
            seen=Count("entries", filter=mine),
            seen_on_time=Count("entries", filter=mine & Q(entries__outcome=outcome.ON_TIME)),
            seen_late=Count("entries", filter=mine & Q(entries__outcome=outcome.LATE)),
            seen_missing=Count("entries", filter=mine & Q(entries__outcome=outcome.MISSING)),
            seen_exempt=Count("entries", filter=mine & Q(entries__outcome__in=BackupCheckEntry.EXEMPT)),
        )
        .order_by("-week_start")[:weeks]
    )


# --- borrowing ------------------------------------------------------------------------------


def all_borrow_requests() -> QuerySet[BorrowRequest]:
    """Every borrowing request with what its pages and notifications read (unscoped: services only)."""
    return BorrowRequest.objects.select_related(
        "requester",
        "requester__user",
        "submission",
        "submission__staff",
        "requester_department",
        "requester_department__manager",
        "data_department",
        "data_department__manager",
    ).prefetch_related("approvals", "approvals__decided_by", "approvals__department")


def borrow_requests_visible_to(user) -> QuerySet[BorrowRequest]:
    """Own requests, those of departments ``user`` manages, and — for the general manager — all."""
    if not user.is_authenticated:
        return BorrowRequest.objects.none()
    qs = all_borrow_requests()
    if user.is_superuser or has_role(user, *BORROW_OVERSEERS):
        return qs
    return qs.filter(
        Q(requester__user=user) | Q(requester_department__manager=user) | Q(data_department__manager=user)
    )


def departments_to_decide(user, borrow: BorrowRequest) -> list[Department]:
    """The departments of ``borrow`` on which ``user`` may still decide (approvals prefetched or not).

    A department is decided by its manager; when it has none, or its manager is the requester
    himself, by a general manager. Nobody decides his own request.
    """
    if borrow.status != BorrowRequest.Status.PENDING or borrow.requester.user_id == user.pk:
        return []
    decided = {approval.department_id for approval in borrow.approvals.all()}
    general_manager = has_role(user, Role.GENERAL_MANAGER)
    out = []
    for department in _required_departments(borrow):
        if department.pk in decided:
            continue
        if department.manager_id and department.manager_id != borrow.requester.user_id:
            if department.manager_id == user.pk:
                out.append(department)
        elif general_manager:
            out.append(department)
    return out


def _required_departments(borrow: BorrowRequest) -> list[Department]:
    if borrow.requester_department_id == borrow.data_department_id:
        return [borrow.requester_department]
    return [borrow.requester_department, borrow.data_department]


def borrow_requests_awaiting(user) -> list[BorrowRequest]:
    """Pending requests on which ``user`` still has a department to decide, oldest first."""
    pending = (
        borrow_requests_visible_to(user)
        .filter(status=BorrowRequest.Status.PENDING)
        .exclude(requester__user=user)
        .order_by("created_at", "pk")
    )
    return [borrow for borrow in pending if departments_to_decide(user, borrow)]


# --- staff status on the due date -------------------------------------------------------------


def statuses_during(staff: list[Staff], start: datetime, end: datetime) -> dict[int, tuple[set[str], str]]:
    """staff id → (every status held at some moment in [start, end], the status at ``end``).

    Read from the audit trail of Staff (PostgreSQL triggers record every change with its time), so
    "on a business trip on the due date" is what the record said *then*, not at check time. Two
    queries whatever the number of people. A record with no audit row up to ``end`` (created after
    the due date, or the SQLite quick start without triggers) is judged by its status at check time.
    """
    from django.apps import apps
    from django.db import connection

    current = {person.pk: ({person.status}, person.status) for person in staff}
    try:
        events = apps.get_model("org", "StaffEvent")
    except LookupError:
        return current
    if connection.vendor != "postgresql" or not staff:
        return current
    ids = list(current)
    base = events.objects.filter(pgh_obj_id__in=ids).exclude(pgh_label="delete")
    before = dict(
        base.filter(pgh_created_at__lte=start)
        .order_by("pgh_obj_id", "-pgh_created_at", "-pgh_id")
        .distinct("pgh_obj_id")
        .values_list("pgh_obj_id", "status")
    )
    during: dict[int, list[str]] = {}
    for pk, status in (
        base.filter(pgh_created_at__gt=start, pgh_created_at__lte=end)
        .order_by("pgh_obj_id", "pgh_created_at", "pgh_id")
        .values_list("pgh_obj_id", "status")
    ):
        during.setdefault(pk, []).append(status)
    out = {}
    for pk in ids:
        held = ([before[pk]] if pk in before else []) + during.get(pk, [])
        out[pk] = (set(held), held[-1]) if held else current[pk]
    return out
