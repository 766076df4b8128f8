"""The demo data of the spare-parts app: believable, consistent with its ledger, idempotent."""

import pytest
from django.core.management import call_command

from spares import selectors
from spares.models import Location, Part, Receipt, Requisition, StockMove

pytestmark = pytest.mark.django_db


def test_demo_spares_are_seeded_once_and_the_books_balance():
    call_command("seed_demo", verbosity=0)
    counts = (Part.objects.count(), Location.objects.count(), Receipt.objects.count(), StockMove.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Part.objects.count(), Location.objects.count(), Receipt.objects.count(), StockMove.objects.count()) == counts
    assert counts[0] >= 30
    assert set(Part.objects.values_list("product_lines__code", flat=True)) >= {"AC", "RF", "WM", "WH", "LT"}
    kinds = set(Location.objects.values_list("kind", flat=True))
    assert kinds == {"central", "station", "van", "old_parts"}
    assert Location.objects.filter(kind="van").count() == 8
    assert set(Requisition.objects.values_list("status", flat=True)) >= {"issued", "approved", "submitted", "rejected"}
    assert selectors.stock_drift() == []
