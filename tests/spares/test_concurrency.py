"""Stock never goes negative and nothing is lost or doubled when many people act at the same moment.

Real threads, one PostgreSQL connection each, released together at a barrier, through the API
(anchors-reliability §1, S1 and S4–S6; issue #4 (a)–(e)).
"""

from __future__ import annotations

import uuid
import pytest

from spares import selectors, services
from spares.models import Receipt, Requisition, StockMove
from tests.spares.conftest import on_hand

from .helpers import outcome, post_as, run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def _approved_requisitions(n, *, part, from_location, to_location, requester, approver, qty=1):
    out = []
    for _ in range(n):
        requisition = services.create_requisition(
            from_location=from_location, to_location=to_location, lines=[{"part": part, "qty": qty}], actor=requester
        )
        out.append(services.approve_requisition(requisition=requisition, actor=approver))
    return out


def _issue_calls(requisitions, keeper):
    return [post_as(keeper, f"/api/v1/spares/requisitions/{r.pk}/issue/") for r in requisitions]


def _assert_only_insufficient_stock(results):
    for result in results:
        assert not isinstance(result, BaseException), repr(result)
        status, body = result
        assert status in (200, 409), body
        if status == 409:
            assert body["code"] == "insufficient_stock", body
            assert set(body) == {"detail", "code", "errors"}


def test_the_last_unit_is_issued_once_among_200_simultaneous_requests_and_twenty_rounds_more(
    central, van_a, compressor, make_part, put_stock, warehouse_keeper, manager
):
    put_stock(central, (compressor, 1))
    requisitions = _approved_requisitions(
        200, part=compressor, from_location=central, to_location=van_a,
        requester=warehouse_keeper.user, approver=manager.user,
    )

    results = run_concurrently(_issue_calls(requisitions, warehouse_keeper.user))

    _assert_only_insufficient_stock(results)
    assert outcome(results) == {200: 1, 409: 199}
    assert on_hand(compressor, central) == 0 and on_hand(compressor, van_a) == 1
    assert StockMove.objects.filter(kind=StockMove.Kind.ISSUE).count() == 1
    assert Requisition.objects.filter(status=Requisition.Status.ISSUED).count() == 1
    assert Requisition.objects.filter(status=Requisition.Status.APPROVED).count() == 199
    assert selectors.stock_drift() == []

    # And twenty rounds in a row, each a fresh part with one unit and ten simultaneous issues.
    for round_no in range(20):
        part = make_part(f"RACE-{round_no:02d}", f"门封条 第{round_no}轮")
        put_stock(central, (part, 1))
        requisitions = _approved_requisitions(
            10, part=part, from_location=central, to_location=van_a,
            requester=warehouse_keeper.user, approver=manager.user,
        )
        results = run_concurrently(_issue_calls(requisitions, warehouse_keeper.user), pool=10)
        _assert_only_insufficient_stock(results)
        assert outcome(results) == {200: 1, 409: 9}, f"round {round_no}"
        assert on_hand(part, central) == 0 and on_hand(part, van_a) == 1, f"round {round_no}"
        assert StockMove.objects.filter(kind=StockMove.Kind.ISSUE, part=part).count() == 1, f"round {round_no}"
    assert selectors.stock_drift() == []


def test_ten_on_hand_and_fifty_simultaneous_takers_get_exactly_ten(
    central, van_a, thermostat, put_stock, warehouse_keeper, manager, technician
):
    put_stock(central, (thermostat, 10))
    requisitions = _approved_requisitions(
        50, part=thermostat, from_location=central, to_location=van_a,
        requester=warehouse_keeper.user, approver=manager.user,
    )
    results = run_concurrently(_issue_calls(requisitions, warehouse_keeper.user))
    _assert_only_insufficient_stock(results)
    assert outcome(results) == {200: 10, 409: 40}
    assert on_hand(thermostat, central) == 0 and on_hand(thermostat, van_a) == 10
    assert StockMove.objects.filter(kind=StockMove.Kind.ISSUE).count() == 10

    # The same on the single-line hot path the work-order app calls (one conditional UPDATE):
    # the ten units now in the van, fifty technicians' work orders taking one each at once.
    def use(i):
        return lambda: services.use_part(
            part=thermostat, location=van_a, qty=1, reference=f"WO-2026-{i:06d}", actor=technician.user
        )

    results = run_concurrently([use(i) for i in range(50)])
    moves = [r for r in results if isinstance(r, StockMove)]
    refused = [r for r in results if not isinstance(r, StockMove)]
    assert len(moves) == 10 and len(refused) == 40
    assert all(type(r).__name__ == "InsufficientStock" for r in refused)
    assert on_hand(thermostat, van_a) == 0


def test_documents_moving_a_b_and_b_a_at_once_never_deadlock(
    central, van_a, van_b, put_stock, make_part, warehouse_keeper, manager
):
    """200 pairs of requisitions issuing {A, B} and {B, A} at the same moment (the issue service, each
    call its own transaction and connection; the API layer adds nothing to the locking)."""
    a, b = make_part("AC-FAN-01", "室外风机电机"), make_part("AC-CAP-02", "压缩机启动电容")
    put_stock(central, (a, 400), (b, 400))
    requisitions = []
    for _ in range(200):
        requisitions.append(services.create_requisition(
            from_location=central, to_location=van_a, lines=[(a, 1), (b, 1)], actor=warehouse_keeper.user))
        requisitions.append(services.create_requisition(
            from_location=central, to_location=van_b, lines=[(b, 1), (a, 1)], actor=warehouse_keeper.user))
    for requisition in requisitions:
        services.approve_requisition(requisition=requisition, actor=manager.user)

    def issue(requisition):
        return lambda: services.issue_requisition(requisition=requisition, actor=warehouse_keeper.user)

    results = run_concurrently([issue(r) for r in requisitions])

    failures = [r for r in results if isinstance(r, BaseException)]
    assert failures == [], failures[:3]
    assert Requisition.objects.filter(status=Requisition.Status.ISSUED).count() == 400
    assert on_hand(a, central) == 0 and on_hand(b, central) == 0
    assert on_hand(a, van_a) == on_hand(b, van_a) == on_hand(a, van_b) == on_hand(b, van_b) == 200


def test_a_request_sent_ten_times_with_one_idempotency_key_posts_once(
    central, van_a, compressor, thermostat, put_stock, warehouse_keeper, manager
):
    """A tablet retrying: the same issue, and the same receipt, each sent 10 times at once with one key."""
    put_stock(central, (compressor, 5))
    [requisition] = _approved_requisitions(
        1, part=compressor, from_location=central, to_location=van_a,
        requester=warehouse_keeper.user, approver=manager.user,
    )
    issue_key, receipt_key = str(uuid.uuid4()), str(uuid.uuid4())
    issue_url = f"/api/v1/spares/requisitions/{requisition.pk}/issue/"
    receipt = {"location": central.pk, "supplier": "美的配件中心", "delivery_note": "SH-20261122-07",
               "lines": [{"part": thermostat.pk, "qty": "3"}]}
    calls = [post_as(warehouse_keeper.user, issue_url, key=issue_key) for _ in range(10)]
    calls += [post_as(warehouse_keeper.user, "/api/v1/spares/receipts/", receipt, key=receipt_key) for _ in range(10)]

    results = run_concurrently(calls)

    issues, receipts = results[:10], results[10:]
    assert outcome(issues) == {200: 10} and outcome(receipts) == {201: 10}
    # Every answer is the first one, naming the same single move.
    assert all(body == issues[0][1] for _s, body in issues) and len(issues[0][1]["moves"]) == 1
    assert all(body == receipts[0][1] for _s, body in receipts) and len(receipts[0][1]["moves"]) == 1
    assert StockMove.objects.filter(kind=StockMove.Kind.ISSUE).count() == 1
    # Without the key each receipt call would have been a new receipt.
    assert Receipt.objects.filter(supplier="美的配件中心").count() == 1
    assert on_hand(compressor, central) == 4 and on_hand(thermostat, central) == 3


def test_approve_and_reject_racing_give_exactly_one_decision(
    central, van_a, compressor, put_stock, warehouse_keeper, manager, station_head
):
    put_stock(central, (compressor, 1))
    requisitions = [
        services.create_requisition(
            from_location=central, to_location=van_a, lines=[(compressor, 1)], actor=warehouse_keeper.user
        )
        for _ in range(100)
    ]
    calls = []
    for r in requisitions:
        calls.append(post_as(manager.user, f"/api/v1/spares/requisitions/{r.pk}/approve/"))
        calls.append(post_as(station_head.user, f"/api/v1/spares/requisitions/{r.pk}/reject/",
                             {"reason": "本月已领过，先用库存"}))

    results = run_concurrently(calls)

    assert not any(isinstance(r, BaseException) for r in results)
    for i, r in enumerate(requisitions):
        approve, reject = results[2 * i], results[2 * i + 1]
        assert sorted([approve[0], reject[0]]) == [200, 409], (approve, reject)
        loser = approve if approve[0] == 409 else reject
        assert loser[1]["code"] == "invalid_transition"
        r.refresh_from_db()
        assert r.status == (Requisition.Status.APPROVED if approve[0] == 200 else Requisition.Status.REJECTED)
    # Nothing reached the ledger: approval takes no stock, and a rejected one can never be issued.
    assert StockMove.objects.exclude(kind=StockMove.Kind.RECEIPT).count() == 0
    rejected = Requisition.objects.filter(status=Requisition.Status.REJECTED).first()
    if rejected is not None:
        status, body = post_as(warehouse_keeper.user, f"/api/v1/spares/requisitions/{rejected.pk}/issue/")()
        assert status == 409 and body["code"] == "not_approved"
    assert StockMove.objects.filter(kind=StockMove.Kind.ISSUE).count() == 0

