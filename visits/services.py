"""Every write on visits and renewals: plans, visits, renewal tasks. One function per operation.

Services take keyword arguments and an ``actor`` (the user doing it), run in one transaction, lock
what they change, and raise :class:`~servicedesk.core.exceptions.DomainError` naming the field at
fault. Admin, API, tablet pages, the demo and the daily task all go through here.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.exceptions import Conflict, DomainError, InvalidTransition
from servicedesk.org.models import Role, Staff
from servicedesk.org.roles import has_role
from tickets.models import Contract, Customer
from tickets.selectors import customers_visible_to

from . import policy
from .models import (
    MAX_MONTHLY_TARGET,
    MAX_PROBLEMS_PER_VISIT,
    REPORT_MAX_LENGTH,
    RenewalTask,
    Visit,
    VisitPlan,
    VisitPolicy,
)

# --- targets and plans --------------------------------------------------------------------------


def get_policy() -> VisitPolicy:
    """The one policy row (created with the SPEC §7 defaults on first use)."""
    policy_row, _created = VisitPolicy.objects.get_or_create(pk=1)
    return policy_row


def _check_target(value, field: str) -> int:
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("Enter a whole number."), field=field)
    if value < 0 or value > MAX_MONTHLY_TARGET:
        raise DomainError(
            _("A monthly target must be between 0 and %(max)d.") % {"max": MAX_MONTHLY_TARGET}, field=field
        )
    return value


def _check_technician(technician: Staff, field: str = "technician") -> None:
    if not technician.user.groups.filter(name=Role.TECHNICIAN).exists():
        raise DomainError(_("%(name)s is not a technician.") % {"name": technician.name}, field=field)


@transaction.atomic
def set_policy_targets(*, visits_target: int, problems_target: int, actor) -> VisitPolicy:
    """Change the default targets of plans made from now on (plans already made keep theirs)."""
    _check_target(visits_target, "visits_target")
    _check_target(problems_target, "problems_target")
    row = get_policy()
    row = VisitPolicy.objects.select_for_update().get(pk=row.pk)
    row.visits_target, row.problems_target = visits_target, problems_target
    row.save(update_fields=["visits_target", "problems_target", "updated_at"])
    return row


def plan_month(*, technician: Staff, month: date, actor=None) -> VisitPlan:
    """The technician's plan for ``month``, made from the policy's targets if it does not exist yet.

    Idempotent: a second call (or a concurrent one) returns the plan already made, unchanged.
    """
    month = policy.month_start(month)
    existing = VisitPlan.objects.filter(technician=technician, month=month).first()
    if existing is not None:
        return existing
    _check_technician(technician)
    defaults = get_policy()
    try:
        # A savepoint: losing the race on (technician, month) must not break the caller's transaction.
        with transaction.atomic():
            return VisitPlan.objects.create(
                technician=technician, month=month, visits_target=defaults.visits_target,
                problems_target=defaults.problems_target, updated_by=actor,
            )
    except IntegrityError:
        return VisitPlan.objects.get(technician=technician, month=month)


def plan_month_for_all(*, month: date, actor=None, technicians=None) -> int:
    """Plans for every technician still employed (or every one of ``technicians``) who has none for
    ``month``. Returns how many were made."""
    month = policy.month_start(month)
    candidates = Staff.objects.all() if technicians is None else Staff.objects.filter(pk__in=technicians.values("pk"))
    missing = (
        candidates.filter(user__groups__name=Role.TECHNICIAN, user__is_active=True)
        .exclude(status=Staff.Status.LEFT)
        .exclude(Exists(VisitPlan.objects.filter(technician=OuterRef("pk"), month=month)))
        .distinct()
    )
    defaults = get_policy()
    made = 0
    for technician in missing:
        try:
            with transaction.atomic():
                VisitPlan.objects.create(
                    technician=technician, month=month, visits_target=defaults.visits_target,
                    problems_target=defaults.problems_target, updated_by=actor,
                )
            made += 1
        except IntegrityError:
            continue  # made meanwhile by a concurrent run
    return made


@transaction.atomic
def set_plan_targets(*, plan: VisitPlan, visits_target: int, problems_target: int, note: str = "", actor) -> VisitPlan:
    """Adjust one technician's targets for one month (e.g. a new colleague, a long leave)."""
    _check_target(visits_target, "visits_target")
    _check_target(problems_target, "problems_target")
    plan = VisitPlan.objects.select_for_update().get(pk=plan.pk)
    plan.visits_target, plan.problems_target = visits_target, problems_target
    plan.note = (note or "").strip()[:200]
    plan.updated_by = actor
    plan.save(update_fields=["visits_target", "problems_target", "note", "updated_by", "updated_at"])
    return plan


# --- visits -------------------------------------------------------------------------------------


def earliest_recordable_day(today: date) -> date:
    """Visits can be recorded for this month and the last one, no earlier (appraisal reads closed months)."""
    return policy.add_months(policy.month_start(today), -1)


def _check_customer(technician: Staff, customer: Customer) -> None:
    # One definition of "his customers" for the whole product: the tickets selector.
    if not customers_visible_to(technician.user).filter(pk=customer.pk).exists():
        raise DomainError(
            _("%(customer)s is not a customer of %(technician)s.") % {"customer": customer.name, "technician": technician.name},
            field="customer",
        )


def _check_can_act_for(actor, technician: Staff) -> None:
    """A technician records only his own visits; a station head those of his station; managers any."""
    if actor is None or actor.is_superuser or has_role(actor, Role.MANAGER, Role.ADMIN):
        return
    if has_role(actor, Role.STATION_HEAD) and getattr(getattr(actor, "staff", None), "station_id", None) == technician.station_id:
        return
    if getattr(getattr(actor, "staff", None), "pk", None) == technician.pk:
        return
    raise DomainError(_("You can only record your own visits."), field="technician")


def _check_report(report: str) -> str:
    text = (report or "").strip()
    if not text:
        raise DomainError(_("Write a short report of the visit."), field="report")
    if len(text) > REPORT_MAX_LENGTH:
        raise DomainError(
            _("Keep the report under %(max)d characters (it has %(n)d).") % {"max": REPORT_MAX_LENGTH, "n": len(text)},
            field="report",
        )
    return text


def _check_problems(value) -> int:
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("Enter a whole number."), field="problems_resolved")
    if value < 0 or value > MAX_PROBLEMS_PER_VISIT:
        raise DomainError(
            _("Problems resolved must be between 0 and %(max)d.") % {"max": MAX_PROBLEMS_PER_VISIT}, field="problems_resolved"
        )
    return value


def _check_purpose(purpose: str) -> str:
    if purpose not in Visit.Purpose.values:
        raise DomainError(_("Choose one of the listed purposes."), field="purpose")
    return purpose


def _check_visit_date(visit_date: date, today: date) -> None:
    if not isinstance(visit_date, date):
        raise DomainError(_("Enter a valid date."), field="visit_date")
    if visit_date > today:
        raise DomainError(_("A visit can only be recorded once it has taken place."), field="visit_date")
    earliest = earliest_recordable_day(today)
    if visit_date < earliest:
        raise DomainError(
            _("Visits before %(date)s can no longer be recorded.") % {"date": earliest.isoformat()}, field="visit_date"
        )


@transaction.atomic
def schedule_visit(*, technician: Staff, customer: Customer, planned_for: date, purpose: str = Visit.Purpose.ROUTINE,
                   actor, today: date | None = None) -> Visit:
    """Plan a visit (PLANNED); it is reminded on its day and every day after until recorded or cancelled."""
    today = today or timezone.localdate()
    _check_can_act_for(actor, technician)
    _check_technician(technician)
    _check_customer(technician, customer)
    _check_purpose(purpose)
    if not isinstance(planned_for, date):
        raise DomainError(_("Enter a valid date."), field="planned_for")
    if planned_for < today:
        raise DomainError(_("A visit cannot be planned in the past; record it instead."), field="planned_for")
    if Visit.objects.filter(technician=technician, customer=customer, planned_for=planned_for, status=Visit.Status.PLANNED).exists():
        raise DomainError(_("A visit to this customer is already planned for that day."), field="planned_for")
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                technician=technician, customer=customer, planned_for=planned_for, purpose=purpose,
                status=Visit.Status.PLANNED, created_by=actor,
            )
    except IntegrityError:
        raise DomainError(_("A visit to this customer is already planned for that day."), field="planned_for") from None
    plan_month(technician=technician, month=planned_for, actor=actor)
    return visit


def _refuse_duplicate(technician: Staff, customer: Customer, visit_date: date) -> None:
    if Visit.objects.filter(technician=technician, customer=customer, visit_date=visit_date, status=Visit.Status.DONE).exists():
        raise Conflict(_("A visit to this customer on that day is already recorded."), field="visit_date")


@transaction.atomic
def record_visit(*, technician: Staff, customer: Customer, visit_date: date, purpose: str, problems_resolved: int,
                 report: str, actor, today: date | None = None) -> Visit:
    """Record a visit that took place (DONE) without a plan; it counts towards that month's targets."""
    today = today or timezone.localdate()
    _check_can_act_for(actor, technician)
    _check_technician(technician)
    _check_customer(technician, customer)
    _check_visit_date(visit_date, today)
    _check_purpose(purpose)
    problems_resolved = _check_problems(problems_resolved)
    report = _check_report(report)
    _refuse_duplicate(technician, customer, visit_date)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                technician=technician, customer=customer, status=Visit.Status.DONE, purpose=purpose,
                visit_date=visit_date, problems_resolved=problems_resolved, report=report,
                created_by=actor, closed_by=actor, closed_at=timezone.now(),
            )
    except IntegrityError:
        # The same visit saved twice at once (a double tap): the second loses on the unique index.
        raise Conflict(_("A visit to this customer on that day is already recorded."), field="visit_date") from None
    plan_month(technician=technician, month=visit_date, actor=actor)
    return visit


def _move(visit: Visit, to: str) -> None:
    if to not in Visit.ALLOWED_TRANSITIONS[visit.status]:
        raise InvalidTransition(
            _("A visit that is “%(from)s” cannot become “%(to)s”.")
            % {"from": Visit.Status(visit.status).label, "to": Visit.Status(to).label},
            field="status",
        )
    visit.status = to


@transaction.atomic
def complete_visit(*, visit: Visit, visit_date: date, problems_resolved: int, report: str, actor,
                   purpose: str | None = None, today: date | None = None) -> Visit:
    """PLANNED → DONE: the planned visit took place; its reminders stop."""
    today = today or timezone.localdate()
    visit = Visit.objects.select_for_update(of=("self",)).select_related("technician__user", "customer").get(pk=visit.pk)
    _check_can_act_for(actor, visit.technician)
    _move(visit, Visit.Status.DONE)
    _check_visit_date(visit_date, today)
    if purpose is not None:
        visit.purpose = _check_purpose(purpose)
    visit.problems_resolved = _check_problems(problems_resolved)
    visit.report = _check_report(report)
    _refuse_duplicate(visit.technician, visit.customer, visit_date)
    visit.visit_date = visit_date
    visit.closed_by, visit.closed_at = actor, timezone.now()
    try:
        with transaction.atomic():
            visit.save(update_fields=["status", "purpose", "visit_date", "problems_resolved", "report", "closed_by", "closed_at"])
    except IntegrityError:
        raise Conflict(_("A visit to this customer on that day is already recorded."), field="visit_date") from None
    plan_month(technician=visit.technician, month=visit_date, actor=actor)
    return visit


@transaction.atomic
def cancel_visit(*, visit: Visit, reason: str, actor) -> Visit:
    """PLANNED → CANCELLED with a reason; its reminders stop."""
    visit = Visit.objects.select_for_update(of=("self",)).select_related("technician__user").get(pk=visit.pk)
    _check_can_act_for(actor, visit.technician)
    _move(visit, Visit.Status.CANCELLED)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the visit is cancelled."), field="reason")
    visit.cancel_reason = reason[:200]
    visit.closed_by, visit.closed_at = actor, timezone.now()
    visit.save(update_fields=["status", "cancel_reason", "closed_by", "closed_at"])
    return visit


# --- renewals -----------------------------------------------------------------------------------


def contracts_due_for_renewal(*, today: date):
    """Contracts whose notice is due by ``today`` and that have no renewal task yet.

    Contracts that expired more than one notice period ago are left alone: a job that was down for
    a while catches up, but years of old contracts do not turn into tasks at once.
    """
    oldest_end = policy.add_months(today, -policy.notice_months())
    return (
        Contract.objects.filter(end_date__lte=policy.renewal_window_end(today), end_date__gte=oldest_end)
        .filter(renewal_task__isnull=True)
        .select_related("customer__owner")
        .order_by("end_date", "pk")
    )


def create_due_renewals(*, today: date | None = None) -> list[RenewalTask]:
    """Open a renewal task for every contract whose notice is due — exactly one per contract (period).

    Idempotent: the task is unique per contract, so a second run, or two at once, opens nothing new.
    The owning technician at the time becomes the assignee (nobody if the customer has no owner:
    the reminders then go to the station head or the managers).
    """
    today = today or timezone.localdate()
    made = []
    for contract in contracts_due_for_renewal(today=today):
        owner = contract.customer.owner
        assignee = owner if owner is not None and owner.status != Staff.Status.LEFT else None
        try:
            with transaction.atomic():
                made.append(
                    RenewalTask.objects.create(
                        contract=contract, assignee=assignee, due_date=policy.renewal_due_date(contract.end_date)
                    )
                )
        except IntegrityError:
            continue  # opened meanwhile by a concurrent run
    return made


def _lock_task(task: RenewalTask) -> RenewalTask:
    return RenewalTask.objects.select_for_update(of=("self",)).select_related("contract__customer").get(pk=task.pk)


def _check_can_handle_renewal(actor, task: RenewalTask) -> None:
    if actor is None or actor.is_superuser or has_role(
        actor, Role.MANAGER, Role.GENERAL_MANAGER, Role.SUPERVISOR, Role.DISPATCHER, Role.ADMIN
    ):
        return
    me = getattr(actor, "staff", None)
    if me is not None:
        if has_role(actor, Role.STATION_HEAD) and task.contract.customer.station_id == me.station_id:
            return
        if task.assignee_id == me.pk or task.contract.customer.owner_id == me.pk:
            return
    raise DomainError(_("This renewal is handled by another technician."), field="non_field_errors")


@transaction.atomic
def record_renewal_notice(*, task: RenewalTask, given_on: date, actor, today: date | None = None) -> RenewalTask:
    """Note the day the customer received the expiry notice (保养到期通知书); the task stays open."""
    today = today or timezone.localdate()
    task = _lock_task(task)
    _check_can_handle_renewal(actor, task)
    if not task.is_open:
        raise InvalidTransition(_("This renewal is already closed."), field="status")
    if not isinstance(given_on, date):
        raise DomainError(_("Enter a valid date."), field="given_on")
    if given_on > today:
        raise DomainError(_("The notice cannot be given in the future."), field="given_on")
    task.notice_given_on = given_on
    task.save(update_fields=["notice_given_on"])
    return task


def _check_new_contract(task: RenewalTask, new_contract: Contract | None) -> Contract:
    old = task.contract
    if new_contract is None:
        raise DomainError(_("Choose the new contract that renews this one."), field="new_contract")
    if new_contract.pk == old.pk:
        raise DomainError(_("A contract cannot renew itself."), field="new_contract")
    if new_contract.customer_id != old.customer_id:
        raise DomainError(_("The new contract belongs to another customer."), field="new_contract")
    if new_contract.end_date <= old.end_date:
        raise DomainError(
            _("The new contract must run past %(date)s, when the old one ends.") % {"date": old.end_date.isoformat()},
            field="new_contract",
        )
    if RenewalTask.objects.filter(new_contract=new_contract).exclude(pk=task.pk).exists():
        raise DomainError(_("That contract already renews another one."), field="new_contract")
    return new_contract


@transaction.atomic
def complete_renewal(*, task: RenewalTask, outcome: str, actor, new_contract: Contract | None = None,
                     note: str = "") -> RenewalTask:
    """OPEN → DONE (renewed: the new contract is linked) or OPEN → LOST (with the reason); reminders stop."""
    task = _lock_task(task)
    _check_can_handle_renewal(actor, task)
    if outcome not in (RenewalTask.Status.DONE, RenewalTask.Status.LOST):
        raise DomainError(_("Choose “renewed” or “not renewed”."), field="outcome")
    if outcome not in RenewalTask.ALLOWED_TRANSITIONS[task.status]:
        raise InvalidTransition(
            _("This renewal is already closed as “%(status)s”.") % {"status": RenewalTask.Status(task.status).label},
            field="status",
        )
    note = (note or "").strip()
    if outcome == RenewalTask.Status.DONE:
        task.new_contract = _check_new_contract(task, new_contract)
    else:
        if not note:
            raise DomainError(_("Say why the customer does not renew."), field="note")
        task.new_contract = None
    task.status = outcome
    task.outcome = note
    task.closed_by, task.closed_at = actor, timezone.now()
    task.save(update_fields=["status", "new_contract", "outcome", "closed_by", "closed_at"])
    return task

