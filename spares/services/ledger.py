"""The one chokepoint that changes stock: moves and balances, together, in the caller's transaction.

Every quantity change of every document goes through :func:`post_moves`:

* a single decrement (one part leaves one location) is one conditional
  ``UPDATE … SET qty = qty - n WHERE qty >= n`` — under READ COMMITTED PostgreSQL re-checks the
  condition against the row version the concurrent winner committed, so no update is lost and
  stock never goes below zero; 0 rows means insufficient stock;
* anything touching several balance rows first makes sure the rows exist (inserted in a fixed
  order), then locks them all in one ``SELECT … FOR UPDATE ORDER BY id`` — every writer locks in
  id order, so two documents moving {A, B} and {B, A} wait for each other instead of deadlocking;
* never ``SKIP LOCKED`` or ``NOWAIT``: a stock writer waits its turn (Odoo's duplicate quants);
* the moves are inserted in the same transaction; ``CHECK (qty >= 0)`` is the backstop.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.db import connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.exceptions import DomainError

from ..exceptions import InsufficientStock
from ..models import Location, Part, StockBalance, StockMove

ZERO = Decimal("0")


@dataclass(frozen=True)
class MoveLine:
    """One line of a posting: ``qty`` of ``part`` out of ``from_location`` and/or into ``to_location``."""

    part: Part
    qty: Decimal
    from_location: Location | None = None
    to_location: Location | None = None
    reverses: StockMove | None = None
    field: str = "qty"  # the input field named in an error about this line


def as_qty(value, *, field: str = "qty") -> Decimal:
    """Validate a quantity: a positive number with at most 3 decimals."""
    try:
        qty = Decimal(str(value))
    except Exception:
        raise DomainError(_("Enter a number."), field=field) from None
    if not qty.is_finite() or qty <= 0:
        raise DomainError(_("The quantity must be greater than zero."), field=field)
    if qty != qty.quantize(Decimal("0.001")):
        raise DomainError(_("At most 3 decimal places."), field=field)
    if qty >= Decimal("100000000000"):
        raise DomainError(_("The quantity is too large."), field=field)
    return qty


def _validate(lines: list[MoveLine], reference: str) -> None:
    if not (reference or "").strip():
        raise DomainError(_("Every stock move needs a reference document."), field="reference")
    if not lines:
        raise DomainError(_("Add at least one line."), field="lines")
    for line in lines:
        as_qty(line.qty, field=line.field)
        if line.from_location is None and line.to_location is None:
            raise DomainError(_("A move needs a location to take from or to put into."), field="location")
        if line.from_location is not None and line.from_location.pk == getattr(line.to_location, "pk", None):
            raise DomainError(_("Choose a different location to move to."), field="to_location")


def post_moves(
    *,
    kind: str,
    lines: list[MoveLine],
    actor,
    reference: str,
    document_type: str = "",
    document_id: int | None = None,
    note: str = "",
    idempotency_key: str | None = None,
) -> list[StockMove]:
    """Apply ``lines`` to the balances and record one move per line. Raises InsufficientStock.

    Call it inside the caller's ``transaction.atomic()``: if anything after it fails, stock and
    ledger roll back together.
    """
    _validate(lines, reference)
    # Net change per balance row; the first line naming a row is the one an error points at.
    deltas: OrderedDict[tuple[int, int], Decimal] = OrderedDict()
    blame: dict[tuple[int, int], MoveLine] = {}
    objects: dict[tuple[int, int], tuple[Part, Location]] = {}
    for line in lines:
        qty = Decimal(line.qty)
        for location, sign in ((line.from_location, -1), (line.to_location, 1)):
            if location is None:
                continue
            key = (line.part.pk, location.pk)
            deltas[key] = deltas.get(key, ZERO) + sign * qty
            objects[key] = (line.part, location)
            if sign < 0:
                blame.setdefault(key, line)

    with transaction.atomic():
        changed = {key: d for key, d in deltas.items() if d != 0}
        if len(changed) == 1 and next(iter(changed.values())) < 0:
            (key, delta), = changed.items()
            after = [_take_one(key, -delta, objects[key], blame[key])]
        elif changed:
            after = _apply_locked(changed, objects, blame)
        else:
            after = []
        now = timezone.now()
        moves = StockMove.objects.bulk_create(
            [
                StockMove(
                    kind=kind,
                    part=line.part,
                    qty=Decimal(line.qty),
                    from_location=line.from_location,
                    to_location=line.to_location,
                    reverses=line.reverses,
                    reference=reference.strip(),
                    document_type=document_type,
                    document_id=document_id,
                    note=note[:200],
                    actor=actor,
                    posted_at=now,
                    idempotency_key=(
                        None if not idempotency_key else (idempotency_key if len(lines) == 1 else f"{idempotency_key}:{i}")
                    ),
                )
                for i, line in enumerate(lines)
            ]
        )
        _low_stock_bookkeeping(after, objects, moves)
    return moves


def _take_one(key, qty: Decimal, objs, line: MoveLine):
    """The hot path: one conditional decrement; returns (balance id, key, qty after, alerted)."""
    part_id, location_id = key
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE spares_stockbalance SET qty = qty - %s "
            "WHERE part_id = %s AND location_id = %s AND qty >= %s "
            "RETURNING id, qty, low_stock_alerted",
            [qty, part_id, location_id, qty],
        )
        row = cursor.fetchone()
    if row is None:
        part, location = objs
        raise InsufficientStock(part=part, location=location, wanted=qty, available=_available(key), field=line.field)
    return (row[0], key, Decimal(row[1]), row[2])


def _available(key) -> Decimal:
    # Outside any lock, for the message only: the number may already have changed again.
    return (
        StockBalance.objects.filter(part_id=key[0], location_id=key[1]).values_list("qty", flat=True).first()
        or ZERO
    )


def _ensure_rows(keys) -> None:
    """Create missing balance rows (zero) for ``keys``, inserting in sorted order.

    ON CONFLICT DO NOTHING on the unique (location, part) index: a concurrent creator makes us
    wait for its commit, never fail. Sorted, so two creators of the same rows cannot deadlock.
    """
    keys = sorted(keys)
    condition = Q()
    for part_id, location_id in keys:
        condition |= Q(part_id=part_id, location_id=location_id)
    existing = set(StockBalance.objects.filter(condition).values_list("part_id", "location_id"))
    missing = [k for k in keys if k not in existing]
    if missing:
        StockBalance.objects.bulk_create(
            [StockBalance(part_id=p, location_id=loc, qty=ZERO) for p, loc in missing], ignore_conflicts=True
        )


def _apply_locked(changed, objects, blame):
    """Several rows: ensure, lock in id order, check, update; returns the rows as after the change."""
    incoming = [key for key, d in changed.items() if d > 0]
    if incoming:
        _ensure_rows(incoming)
    condition = Q()
    for part_id, location_id in changed:
        condition |= Q(part_id=part_id, location_id=location_id)
    rows = list(
        StockBalance.objects.select_for_update()
        .filter(condition)
        .order_by("pk")
        .values_list("pk", "part_id", "location_id", "qty", "low_stock_alerted")
    )
    found = {(p, loc): (pk, qty, alerted) for pk, p, loc, qty, alerted in rows}
    # Report shortfalls in the order of the lines, so the error names the first line at fault.
    for key, delta in changed.items():
        if delta >= 0:
            continue
        pk, qty, _alerted = found.get(key, (None, ZERO, False))
        if pk is None or qty + delta < 0:
            part, location = objects[key]
            line = blame[key]
            raise InsufficientStock(part=part, location=location, wanted=-delta, available=qty, field=line.field)
    StockBalance.objects.filter(pk__in=[found[k][0] for k in changed]).update(
        qty=Case(*[When(pk=found[k][0], then=F("qty") + Value(d)) for k, d in changed.items()], default=F("qty"))
    )
    return [(found[k][0], k, found[k][1] + d, found[k][2]) for k, d in changed.items()]


def _low_stock_bookkeeping(after, objects, moves) -> None:
    """Flag balances of stores crossing below the part's threshold (one alert per episode) and
    clear the flag when stock is back; the alert itself goes out after commit."""
    from ..tasks import notify_low_stock_task

    raise_flag, clear_flag = [], []
    for pk, key, qty, alerted in after:
        part, location = objects[key]
        threshold = part.low_stock_threshold or ZERO
        if not location.is_store or threshold <= 0:
            if alerted:
                clear_flag.append(pk)
            continue
        if qty < threshold and not alerted:
            raise_flag.append((pk, key))
        elif qty >= threshold and alerted:
            clear_flag.append(pk)
    if clear_flag:
        StockBalance.objects.filter(pk__in=clear_flag).update(low_stock_alerted=False)
    if raise_flag:
        StockBalance.objects.filter(pk__in=[pk for pk, _k in raise_flag]).update(low_stock_alerted=True)
        last_move = moves[-1].pk
        for pk, _key in raise_flag:
            transaction.on_commit(partial(notify_low_stock_task.delay, pk, last_move))


def ensure_balance(*, part: Part, location: Location) -> StockBalance:
    """The balance row of a pair, created (at zero) if missing — through the unique index."""
    _ensure_rows([(part.pk, location.pk)])
    return StockBalance.objects.get(part=part, location=location)


def on_hand(*, part: Part, location: Location) -> Decimal:
    return (
        StockBalance.objects.filter(part=part, location=location).values_list("qty", flat=True).first() or ZERO
    )
