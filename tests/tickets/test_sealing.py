"""Seals over signed orders: any change of content, signature or chain is found, and where."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tickets import sealing

KEY = b"k" * 32
SH = ZoneInfo("Asia/Shanghai")


def content(**over):
    base = {
        "number": "WO-2026-000001",
        "customer": "上海浦东新区人民医院",
        "signed_at": datetime(2026, 11, 23, 15, 30, tzinfo=SH),
        "items": [{"code": "AC-01", "price": Decimal("120.00"), "qty": 1}],
        "labour_minutes": 45,
        "meaning": "客户确认服务已完成",
    }
    base.update(over)
    return base


def chain(n):
    items, previous = [], sealing.GENESIS
    for i in range(n):
        c = content(number=f"WO-2026-{i:06d}")
        s = sealing.seal(c, b"PNG-%d" % i, key=KEY, previous=previous)
        items.append((c, b"PNG-%d" % i, s))
        previous = s.chain
    return items


def test_canonical_form_ignores_key_order_and_number_spelling():
    a = sealing.canonical({"b": Decimal("1.50"), "a": datetime(2026, 1, 1, 8, tzinfo=SH)})
    b = sealing.canonical({"a": datetime(2026, 1, 1, 0, tzinfo=ZoneInfo("UTC")), "b": Decimal("1.5")})
    assert a == b


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        sealing.canonical({"at": datetime(2026, 1, 1)})


def test_an_intact_chain_verifies():
    assert sealing.verify(chain(5), key=KEY) == []


def test_a_changed_amount_is_found_at_its_position():
    items = chain(5)
    c, sig, s = items[2]
    items[2] = ({**c, "items": [{"code": "AC-01", "price": Decimal("1200.00"), "qty": 1}]}, sig, s)
    assert sealing.verify(items, key=KEY) == [sealing.Problem(2, "content_altered")]


def test_a_signature_copied_from_another_order_fails():
    items = chain(3)
    c, _, s = items[1]
    items[1] = (c, items[0][1], s)
    assert sealing.verify(items, key=KEY) == [sealing.Problem(1, "content_altered")]


def test_a_recomputed_digest_without_the_key_is_a_forgery():
    items = chain(3)
    c, sig, s = items[1]
    forged_content = {**c, "labour_minutes": 600}
    forged = sealing.Seal(digest=sealing.digest(forged_content, sig), previous=s.previous, chain=s.chain)
    items[1] = (forged_content, sig, forged)
    assert sealing.verify(items, key=KEY) == [sealing.Problem(1, "seal_forged")]


def test_a_deleted_seal_breaks_the_chain_where_it_was():
    items = chain(4)
    del items[1]
    assert sealing.verify(items, key=KEY) == [sealing.Problem(1, "chain_broken")]
