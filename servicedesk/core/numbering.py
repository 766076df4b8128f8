"""Human-readable sequential numbers per prefix and year, safe under concurrent creation."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import NumberSequence


def next_number(prefix: str, *, at: datetime | None = None, width: int = 6) -> str:
    """Return the next number such as ``T-2026-000123``; gap-free unless the caller's transaction rolls back.

    The row lock taken by the conditional UPDATE serialises concurrent callers until their
    transactions end, so two registrations can never receive the same number.
    """
    year = timezone.localtime(at or timezone.now()).year
    with transaction.atomic():
        updated = NumberSequence.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
        if not updated:
            try:
                # A savepoint, so losing the race to create the row does not break the outer transaction.
                with transaction.atomic():
                    NumberSequence.objects.create(prefix=prefix, year=year, last=1)
            except IntegrityError:
                NumberSequence.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
        last = NumberSequence.objects.filter(prefix=prefix, year=year).values_list("last", flat=True).get()
    return f"{prefix}-{year}-{last:0{width}d}"
