"""Requisitions (领料单): submitted → approved by a leader → issued by the keeper; and returns (退料)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.exceptions import DomainError, InvalidTransition

from .. import access
from ..models import Location, Requisition, RequisitionLine, StockMove, StockReturn, StockReturnLine
from .common import clean_lines, ensure_active, ensure_different, number_for, require_text
from .ledger import MoveLine, post_moves

S = Requisition.Status


@transaction.atomic
def create_requisition(
    *, from_location: Location, to_location: Location, lines, actor, work_order_ref: str = "", reason: str = ""
) -> Requisition:
    """领料单 → SUBMITTED, waiting for a leader's approval. Takes no stock yet."""
    if not access.can_request_for(actor, to_location):
        raise access.NotAllowed(
            _("You cannot request parts for %(location)s.") % {"location": to_location}, field="to_location"
        )
    ensure_different(from_location, to_location)
    ensure_active(from_location, field="from_location")
    ensure_active(to_location, field="to_location")
    if not from_location.is_store:
        raise DomainError(_("Parts are issued from the central warehouse or a station."), field="from_location")
    if to_location.kind not in (Location.Kind.VAN, Location.Kind.STATION):
        raise DomainError(_("Parts are issued to a station or a technician's van."), field="to_location")
    if from_location.kind != Location.Kind.CENTRAL and from_location.station_id != to_location.station_id:
        raise DomainError(
            _("Request from the central warehouse or from your own station's stock."), field="from_location"
        )
    pairs = clean_lines(lines)
    requisition = Requisition.objects.create(
        number=number_for("requisition"),
        from_location=from_location,
        to_location=to_location,
        work_order_ref=work_order_ref.strip(),
        reason=reason,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    RequisitionLine.objects.bulk_create([RequisitionLine(requisition=requisition, part=p, qty=q) for p, q in pairs])
    return requisition


def _transition(requisition: Requisition, to: str, **fields) -> Requisition:
    """Conditional status change: exactly one of two racing callers wins; the other learns why."""
    allowed_from = [s for s, targets in Requisition.ALLOWED_TRANSITIONS.items() if to in targets]
    changed = Requisition.objects.filter(pk=requisition.pk, status__in=allowed_from).update(status=to, **fields)
    if changed != 1:
        current = Requisition.objects.filter(pk=requisition.pk).values_list("status", flat=True).first()
        raise InvalidTransition(
            _("Requisition %(number)s is %(status)s and cannot become %(target)s.")
            % {
                "number": requisition.number,
                "status": S(current).label if current else "?",
                "target": S(to).label,
            },
        )
    requisition.refresh_from_db()
    return requisition


@transaction.atomic
def approve_requisition(*, requisition: Requisition, actor) -> Requisition:
    """SUBMITTED → APPROVED by a leader (a manager, or the station head of the receiving van)."""
    if not access.can_approve_requisition(actor, requisition):
        raise access.NotAllowed(_("Only a manager or the technician's station head approves this requisition."))
    return _transition(requisition, S.APPROVED, approved_by=actor, approved_at=timezone.now())


@transaction.atomic
def reject_requisition(*, requisition: Requisition, reason: str, actor) -> Requisition:
    """SUBMITTED → REJECTED with a reason."""
    if not access.can_approve_requisition(actor, requisition):
        raise access.NotAllowed(_("Only a manager or the technician's station head decides on this requisition."))
    reason = require_text(reason, field="reason", message=_("Say why the requisition is rejected."))
    return _transition(
        requisition, S.REJECTED, approved_by=actor, approved_at=timezone.now(), rejection_reason=reason[:200]
    )


@transaction.atomic
def cancel_requisition(*, requisition: Requisition, reason: str, actor) -> Requisition:
    """SUBMITTED/APPROVED → CANCELLED (by the requester, a leader or the keeper) before issue."""
    if not access.can_cancel_requisition(actor, requisition):
        raise access.NotAllowed(_("You cannot cancel this requisition."))
    reason = require_text(reason, field="reason", message=_("Say why the requisition is cancelled."))
    return _transition(
        requisition, S.CANCELLED, cancelled_by=actor, cancelled_at=timezone.now(), cancel_reason=reason[:200]
    )


@transaction.atomic
def issue_requisition(*, requisition: Requisition, actor) -> Requisition:
    """APPROVED → ISSUED: every line moves from the store to the requester's van or station (ISSUE).

    The status claim comes first, so a double click or two keepers issue once; if any line lacks
    stock the whole issue rolls back and the requisition stays approved.
    """
    if not access.can_issue_requisition(actor, requisition):
        raise access.NotAllowed(
            _("You do not keep the stock of %(location)s.") % {"location": requisition.from_location}
        )
    current = Requisition.objects.filter(pk=requisition.pk).values_list("status", flat=True).first()
    if current in (S.SUBMITTED, S.REJECTED):
        raise InvalidTransition(
            _("Requisition %(number)s has not been approved by a leader; it cannot be issued.")
            % {"number": requisition.number},
            code="not_approved",
        )
    requisition = _transition(requisition, S.ISSUED, issued_by=actor, issued_at=timezone.now())
    lines = list(requisition.lines.select_related("part").order_by("pk"))
    post_moves(
        kind=StockMove.Kind.ISSUE,
        lines=[
            MoveLine(
                part=line.part,
                qty=line.qty,
                from_location=requisition.from_location,
                to_location=requisition.to_location,
                field=f"lines.{i}.qty",
            )
            for i, line in enumerate(lines)
        ],
        actor=actor,
        reference=requisition.number,
        document_type="requisition",
        document_id=requisition.pk,
    )
    return requisition


def returnable(requisition: Requisition) -> dict[int, Decimal]:
    """Per part id: issued on the requisition minus already returned against it."""
    issued = dict(requisition.lines.values_list("part_id", "qty"))
    returned = (
        StockReturnLine.objects.filter(stock_return__requisition=requisition)
        .values("part_id")
        .annotate(total=Sum("qty"))
    )
    left = defaultdict(Decimal, issued)
    for row in returned:
        left[row["part_id"]] -= row["total"]
    return dict(left)


@transaction.atomic
def return_unused(
    *,
    from_location: Location,
    to_location: Location | None = None,
    lines,
    actor,
    requisition: Requisition | None = None,
    reason: str = "",
) -> StockReturn:
    """退料单: unused parts back from a van or station to the store → RETURN moves.

    Against a requisition: at most what it issued minus earlier returns (the requisition row is
    locked, so two returns against it cannot both pass the check).
    """
    if requisition is not None:
        requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
        if requisition.status != S.ISSUED:
            raise DomainError(_("Only an issued requisition can have parts returned."), field="requisition")
        if from_location.pk != requisition.to_location_id:
            raise DomainError(
                _("Parts of this requisition are returned from %(location)s.") % {"location": requisition.to_location},
                field="from_location",
            )
        to_location = to_location or requisition.from_location
    if to_location is None:
        raise DomainError(_("Choose where the parts go back to."), field="to_location")
    access.ensure_can_keep(actor, to_location, field="to_location")
    ensure_different(from_location, to_location)
    ensure_active(to_location, field="to_location")
    if not to_location.is_store:
        raise DomainError(_("Unused parts go back to the central warehouse or a station."), field="to_location")
    pairs = clean_lines(lines)
    if requisition is not None:
        left = returnable(requisition)
        for i, (part, qty) in enumerate(pairs):
            if part.pk not in left:
                raise DomainError(_("This part is not on the requisition."), field=f"lines.{i}.part")
            if qty > left[part.pk]:
                raise DomainError(
                    _("More than was issued: at most %(left)s can still be returned.")
                    % {"left": _fmt(left[part.pk])},
                    field=f"lines.{i}.qty",
                    code="exceeds_issued",
                )
    stock_return = StockReturn.objects.create(
        number=number_for("return"),
        requisition=requisition,
        from_location=from_location,
        to_location=to_location,
        reason=reason,
        created_by=actor,
        created_at=timezone.now(),
    )
    StockReturnLine.objects.bulk_create([StockReturnLine(stock_return=stock_return, part=p, qty=q) for p, q in pairs])
    post_moves(
        kind=StockMove.Kind.RETURN,
        lines=[
            MoveLine(part=p, qty=q, from_location=from_location, to_location=to_location, field=f"lines.{i}.qty")
            for i, (p, q) in enumerate(pairs)
        ],
        actor=actor,
        reference=stock_return.number,
        document_type="return",
        document_id=stock_return.pk,
    )
    return stock_return


def _fmt(value: Decimal) -> str:
    from ..exceptions import _qty

    return _qty(value)
