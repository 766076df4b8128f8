"""The database itself refuses what would make the books lie, whatever code (or person) sends the SQL (S8)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from spares.models import StockBalance, StockMove

pytestmark = pytest.mark.django_db


def _refused(sql, params, error=DatabaseError):
    with pytest.raises(error):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.fixture
def stocked(central, compressor, put_stock):
    put_stock(central, (compressor, 3))
    return StockBalance.objects.get(part=compressor, location=central), StockMove.objects.get()


def test_a_balance_cannot_be_set_below_zero(stocked):
    balance, _move = stocked
    _refused("UPDATE spares_stockbalance SET qty = -1 WHERE id = %s", [balance.pk], IntegrityError)
    balance.refresh_from_db()
    assert balance.qty == 3


def test_a_balance_row_cannot_be_deleted(stocked):
    balance, _move = stocked
    _refused("DELETE FROM spares_stockbalance WHERE id = %s", [balance.pk])
    assert StockBalance.objects.filter(pk=balance.pk).exists()


def test_a_move_cannot_be_updated_or_deleted(stocked):
    _balance, move = stocked
    _refused("UPDATE spares_stockmove SET qty = 300 WHERE id = %s", [move.pk])
    _refused("UPDATE spares_stockmove SET reference = 'forged' WHERE id = %s", [move.pk])
    _refused("DELETE FROM spares_stockmove WHERE id = %s", [move.pk])
    _refused("DELETE FROM spares_stockmove", [])
    move.refresh_from_db()
    assert (move.qty, move.reference.startswith("RC-")) == (3, True)
    assert StockMove.objects.count() == 1


def test_the_orm_cannot_edit_the_ledger_either(stocked):
    _balance, move = stocked
    with pytest.raises(DatabaseError), transaction.atomic():
        StockMove.objects.filter(pk=move.pk).update(qty=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        move.delete()
    assert StockMove.objects.get(pk=move.pk).qty == 3


def test_a_move_without_quantity_reference_or_location_is_refused(stocked, compressor, central, warehouse_keeper):
    insert = (
        "INSERT INTO spares_stockmove (kind, part_id, qty, from_location_id, to_location_id, reference, "
        "document_type, note, actor_id, posted_at) VALUES (%s, %s, %s, %s, %s, %s, '', '', %s, now())"
    )
    user = warehouse_keeper.user.pk
    for kind, qty, src, dst, ref in [
        ("receipt", 0, None, central.pk, "RC-X"),  # zero quantity
        ("receipt", -2, None, central.pk, "RC-X"),  # negative quantity
        ("receipt", 1, None, central.pk, ""),  # no reference document
        ("use", 1, None, None, "WO-1"),  # no location at all
        ("transfer", 1, central.pk, central.pk, "TR-1"),  # to the same location
        ("receipt", 1, central.pk, None, "RC-X"),  # a receipt that takes stock out
    ]:
        _refused(insert, [kind, compressor.pk, qty, src, dst, ref, user], IntegrityError)
    assert StockMove.objects.count() == 1


def test_two_balance_rows_for_one_part_and_location_are_refused(stocked, compressor, central):
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.create(part=compressor, location=central, qty=0)
