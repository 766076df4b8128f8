"""Borrowing archived backups (借阅): request → the department managers decide → download until expiry."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from servicedesk.core.numbering import next_number
from servicedesk.notifications.services import notify
from servicedesk.org.models import Department, Staff

from .. import selectors
from ..exceptions import Conflict, DomainError, InvalidTransition, NotAllowed
from ..models import BackupRules, BackupSubmission, BorrowApproval, BorrowRequest
from .common import page_url

S = BorrowRequest.Status

# Which status may follow which; anything else is refused with a clear message.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.APPROVED, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.CANCELLED},
    S.REJECTED: set(),
    S.CANCELLED: set(),
}


def _move(borrow: BorrowRequest, to: str) -> None:
    if to not in ALLOWED_TRANSITIONS[borrow.status]:
        raise InvalidTransition(
            _("A request that is “%(from)s” cannot become “%(to)s”.") % {"from": S(borrow.status).label, "to": S(to).label},
            field="status",
        )
    borrow.status = to


def _lock(borrow: BorrowRequest) -> BorrowRequest:
    locked = BorrowRequest.objects.select_for_update(of=("self",)).select_related(
        "requester", "requester__user", "requester_department", "data_department", "submission"
    ).get(pk=borrow.pk)
    return locked


@transaction.atomic
def request_borrow(
    *, requester: Staff, submission: BackupSubmission, reason: str, actor, now: datetime | None = None
) -> BorrowRequest:
    """A person asks to download someone else's archived backup → PENDING; the managers who must
    decide are notified after commit."""
    now = now or timezone.now()
    if actor.pk != requester.user_id:
        raise NotAllowed(_("Borrowing requests are made in one's own name."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why you need this backup."), field="reason")
    if not submission.has_file:
        raise DomainError(_("This backup was confirmed without a file: there is nothing to borrow."), field="submission")
    if submission.staff_id == requester.pk:
        raise DomainError(_("Your own backups need no borrowing: download them from “My backups”."), field="submission")
    if not submission.is_archived(timezone.localdate(now)):
        raise DomainError(_("Only backups of weeks that are over are archived and can be borrowed."), field="submission")
    still_open = Q(status=S.PENDING) | Q(status=S.APPROVED, expires_at__gt=now)
    if BorrowRequest.objects.filter(still_open, requester=requester, submission=submission).exists():
        raise Conflict(_("You already have an open request for this backup."), field="submission")
    own_department = selectors.department_of(requester)
    if own_department is None:
        raise DomainError(_("No department is set up yet: ask the administrator."))
    data_department = Department.objects.select_related("manager").get(pk=submission.department_id)
    borrow = BorrowRequest(
        number=next_number("JY", at=now),
        requester=requester,
        submission=submission,
        reason=reason,
        requester_department=own_department,
        data_department=data_department,
        status=S.PENDING,
        created_at=now,
    )
    for department in {own_department, data_department}:
        if not selectors.department_approvers(department, requester=requester):
            raise DomainError(
                _("%(department)s has nobody who may approve: ask the administrator to set its manager.")
                % {"department": department.name},
                field="submission",
            )
    borrow.save()
    transaction.on_commit(lambda: _notify_approvers(borrow.pk))
    return borrow


@transaction.atomic
def approve_borrow(*, borrow: BorrowRequest, actor, comment: str = "", now: datetime | None = None) -> BorrowRequest:
    """A manager approves for his department(s); when every department concerned has approved the
    request becomes APPROVED and downloadable for the configured days; the requester is told."""
    return _decide(borrow=borrow, actor=actor, approve=True, comment=comment, now=now or timezone.now())


@transaction.atomic
def reject_borrow(*, borrow: BorrowRequest, actor, comment: str, now: datetime | None = None) -> BorrowRequest:
    """A manager rejects (with a reason): the request is REJECTED at once; the requester is told."""
    if not (comment or "").strip():
        raise DomainError(_("Say why the request is rejected."), field="comment")
    return _decide(borrow=borrow, actor=actor, approve=False, comment=comment, now=now or timezone.now())


def _decide(*, borrow: BorrowRequest, actor, approve: bool, comment: str, now: datetime) -> BorrowRequest:
    borrow = _lock(borrow)
    if borrow.status != S.PENDING:
        _move(borrow, S.APPROVED if approve else S.REJECTED)  # raises the transition error
    departments = selectors.departments_to_decide(actor, borrow)
    if not departments:
        raise NotAllowed(_("You cannot decide on this request."))
    decision = BorrowApproval.Decision.APPROVED if approve else BorrowApproval.Decision.REJECTED
    for department in departments:
        BorrowApproval.objects.create(
            request=borrow, department=department, decision=decision, decided_by=actor, decided_at=now,
            comment=(comment or "").strip(),
        )
    if not approve:
        _move(borrow, S.REJECTED)
        borrow.decided_at = now
    else:
        approved = set(
            borrow.approvals.filter(decision=BorrowApproval.Decision.APPROVED).values_list("department_id", flat=True)
        )
        if approved >= set(borrow.required_department_ids):
            _move(borrow, S.APPROVED)
            borrow.decided_at = now
            borrow.expires_at = now + timedelta(days=BackupRules.current().borrow_days)
    borrow.save(update_fields=["status", "decided_at", "expires_at"])
    if borrow.status != S.PENDING:
        transaction.on_commit(lambda: _notify_requester(borrow.pk))
    return borrow


@transaction.atomic
def cancel_borrow(*, borrow: BorrowRequest, actor, now: datetime | None = None) -> BorrowRequest:
    """The requester withdraws a pending request, or gives back an approved one before it expires."""
    borrow = _lock(borrow)
    if borrow.requester.user_id != actor.pk:
        raise NotAllowed(_("Only the requester can cancel a request."))
    _move(borrow, S.CANCELLED)
    borrow.decided_at = borrow.decided_at or (now or timezone.now())
    borrow.save(update_fields=["status", "decided_at"])
    return borrow


def _notify_approvers(borrow_id: int) -> None:
    borrow = selectors.all_borrow_requests().filter(pk=borrow_id).first()
    if borrow is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        for department in {borrow.requester_department, borrow.data_department}:
            for user in selectors.department_approvers(department, requester=borrow.requester):
                notify(
                    recipient=user,
                    kind="backup_borrow_request",
                    title=_("Borrowing request %(number)s waits for your approval") % {"number": borrow.number},
                    body=_("%(requester)s asks to download the backup of %(owner)s, week of %(week)s: %(reason)s")
                    % {
                        "requester": borrow.requester.name,
                        "owner": borrow.submission.staff.name,
                        "week": f"{borrow.submission.week_start:%Y-%m-%d}",
                        "reason": borrow.reason,
                    },
                    url=page_url("appraisal:borrow_detail", borrow.pk),
                    key=f"appraisal:borrow:{borrow.pk}:{department.pk}",
                )


def _notify_requester(borrow_id: int) -> None:
    borrow = selectors.all_borrow_requests().filter(pk=borrow_id).first()
    if borrow is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if borrow.status == S.APPROVED:
            title = _("Borrowing request %(number)s approved: download until %(until)s") % {
                "number": borrow.number,
                "until": timezone.localtime(borrow.expires_at).strftime("%Y-%m-%d %H:%M"),
            }
        else:
            title = _("Borrowing request %(number)s rejected") % {"number": borrow.number}
        comments = "\n".join(a.comment for a in borrow.approvals.all() if a.comment)
        notify(
            recipient=borrow.requester.user,
            kind="backup_borrow_decided",
            title=title,
            body=comments,
            url=page_url("appraisal:borrow_detail", borrow.pk),
            key=f"appraisal:borrow-decided:{borrow.pk}",
        )
