"""Stock-takes (盘点): count the shelves, compare with the books, approve, adjust."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.exceptions import DomainError, InvalidTransition

from .. import access
from ..models import Location, Part, StockBalance, StockMove, StockTake, StockTakeLine
from .common import number_for
from .ledger import MoveLine, post_moves

S = StockTake.Status


@transaction.atomic
def start_stock_take(*, location: Location, actor, parts=None, note: str = "") -> StockTake:
    """A new count sheet (COUNTING) for ``location``: one line per part on its books (or ``parts``)."""
    access.ensure_can_keep(actor, location)
    if parts is None:
        part_ids = list(
            StockBalance.objects.filter(location=location).order_by("part__number").values_list("part_id", flat=True)
        )
    else:
        part_ids = []
        for i, part in enumerate(parts):
            if not isinstance(part, Part):
                raise DomainError(_("Unknown part."), field=f"parts.{i}")
            if part.pk not in part_ids:
                part_ids.append(part.pk)
    if not part_ids:
        raise DomainError(_("There is nothing on the books of %(location)s to count.") % {"location": location}, field="parts")
    try:
        with transaction.atomic():
            stock_take = StockTake.objects.create(
                number=number_for("stock_take"), location=location, note=note, created_by=actor, created_at=timezone.now()
            )
    except IntegrityError:
        raise DomainError(
            _("A stock-take of %(location)s is already open.") % {"location": location},
            field="location",
            code="stock_take_open",
        ) from None
    StockTakeLine.objects.bulk_create([StockTakeLine(stock_take=stock_take, part_id=pk) for pk in part_ids])
    return stock_take


def _lock(stock_take: StockTake) -> StockTake:
    return StockTake.objects.select_for_update().select_related("location").get(pk=stock_take.pk)


def _refuse(stock_take: StockTake, target: str):
    raise InvalidTransition(
        _("Stock-take %(number)s is %(status)s and cannot become %(target)s.")
        % {"number": stock_take.number, "status": S(stock_take.status).label, "target": S(target).label},
    )


@transaction.atomic
def record_counts(*, stock_take: StockTake, counts, actor) -> StockTake:
    """Counted quantities for lines (by part); the books are read at the moment of counting.

    ``counts``: ``[{"part": Part, "counted_qty": n}, …]``. A part not on the sheet is added.
    """
    stock_take = _lock(stock_take)
    access.ensure_can_keep(actor, stock_take.location)
    if stock_take.status != S.COUNTING:
        raise InvalidTransition(_("Counts can only be entered while counting."))
    if not counts:
        raise DomainError(_("Enter at least one count."), field="counts")
    now = timezone.now()
    parsed = []
    for i, entry in enumerate(counts):
        part = entry.get("part")
        if not isinstance(part, Part):
            raise DomainError(_("Unknown part."), field=f"counts.{i}.part")
        value = entry.get("counted_qty")
        try:
            counted = Decimal(str(value))
        except Exception:
            raise DomainError(_("Enter a number."), field=f"counts.{i}.counted_qty") from None
        if not counted.is_finite() or counted < 0:
            raise DomainError(_("A count cannot be negative."), field=f"counts.{i}.counted_qty")
        if counted != counted.quantize(Decimal("0.001")):
            raise DomainError(_("At most 3 decimal places."), field=f"counts.{i}.counted_qty")
        parsed.append((part, counted))
    books = dict(
        StockBalance.objects.filter(location=stock_take.location, part__in=[p for p, _c in parsed]).values_list(
            "part_id", "qty"
        )
    )
    for part, counted in parsed:
        StockTakeLine.objects.update_or_create(
            stock_take=stock_take,
            part=part,
            defaults={"counted_qty": counted, "book_qty": books.get(part.pk, Decimal("0")), "counted_at": now},
        )
    return stock_take


@transaction.atomic
def submit_stock_take(*, stock_take: StockTake, actor) -> StockTake:
    """COUNTING → SUBMITTED once every line is counted."""
    stock_take = _lock(stock_take)
    access.ensure_can_keep(actor, stock_take.location)
    if S.SUBMITTED not in StockTake.ALLOWED_TRANSITIONS[stock_take.status]:
        _refuse(stock_take, S.SUBMITTED)
    missing = stock_take.lines.filter(counted_qty__isnull=True).select_related("part").first()
    if missing is not None:
        raise DomainError(
            _("%(part)s has not been counted yet.") % {"part": missing.part}, field="counts", code="not_counted"
        )
    stock_take.status = S.SUBMITTED
    stock_take.submitted_by = actor
    stock_take.submitted_at = timezone.now()
    stock_take.save(update_fields=["status", "submitted_by", "submitted_at"])
    return stock_take


@transaction.atomic
def reopen_stock_take(*, stock_take: StockTake, actor) -> StockTake:
    """SUBMITTED → COUNTING: the approver sends the sheet back for a recount."""
    stock_take = _lock(stock_take)
    if not (access.can_approve_stock_take(actor, stock_take) or access.can_keep(actor, stock_take.location)):
        raise access.NotAllowed(_("You cannot reopen this stock-take."))
    if S.COUNTING not in StockTake.ALLOWED_TRANSITIONS[stock_take.status]:
        _refuse(stock_take, S.COUNTING)
    stock_take.status = S.COUNTING
    stock_take.save(update_fields=["status"])
    return stock_take


@transaction.atomic
def approve_stock_take(*, stock_take: StockTake, actor) -> StockTake:
    """SUBMITTED → APPROVED: each variance becomes an ADJUSTMENT move (in for a surplus, out for a loss).

    The variance is measured against the books when the line was counted, so moves posted after
    the count are kept; a loss larger than what is on the books now is refused (stock never < 0).
    """
    stock_take = _lock(stock_take)
    if not access.can_approve_stock_take(actor, stock_take):
        raise access.NotAllowed(_("Only a manager or the station head approves this stock-take."))
    if S.APPROVED not in StockTake.ALLOWED_TRANSITIONS[stock_take.status]:
        _refuse(stock_take, S.APPROVED)
    location = stock_take.location
    lines = []
    for line in stock_take.lines.select_related("part").order_by("part__number", "pk"):
        variance = line.variance
        if variance is None or variance == 0:
            continue
        if variance > 0:
            lines.append(MoveLine(part=line.part, qty=variance, to_location=location))
        else:
            lines.append(MoveLine(part=line.part, qty=-variance, from_location=location))
    if lines:
        post_moves(
            kind=StockMove.Kind.ADJUSTMENT,
            lines=lines,
            actor=actor,
            reference=stock_take.number,
            document_type="stock_take",
            document_id=stock_take.pk,
        )
    stock_take.status = S.APPROVED
    stock_take.approved_by = actor
    stock_take.approved_at = timezone.now()
    stock_take.save(update_fields=["status", "approved_by", "approved_at"])
    return stock_take


@transaction.atomic
def cancel_stock_take(*, stock_take: StockTake, actor) -> StockTake:
    """COUNTING/SUBMITTED → CANCELLED; nothing is adjusted."""
    stock_take = _lock(stock_take)
    if not (access.can_keep(actor, stock_take.location) or access.can_approve_stock_take(actor, stock_take)):
        raise access.NotAllowed(_("You cannot cancel this stock-take."))
    if S.CANCELLED not in StockTake.ALLOWED_TRANSITIONS[stock_take.status]:
        _refuse(stock_take, S.CANCELLED)
    stock_take.status = S.CANCELLED
    stock_take.save(update_fields=["status"])
    return stock_take
