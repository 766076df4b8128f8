"""Signed means frozen: every path of change is refused, and verification finds what got through."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from servicedesk.core.exceptions import Conflict, InvalidTransition
from tests.tickets.helpers import register
from tickets import services, work_orders as wo
from tickets.models import WorkOrder, WorkOrderItem, WorkOrderSignature

from .conftest import new_id, png
from .test_lifecycle import fill_and_complete, walk_to_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(order, technician, service_item):
    walk_to_site(order, technician)
    fill_and_complete(order, technician, service_item)
    return wo.sign_order(order=order, actor=technician.user, image=png(), printed_name="王主任", client_id=new_id())


@pytest.fixture
def second_signed(dispatcher, tech_customer, technician, service_item):
    ticket = register(dispatcher.user, tech_customer, description="冰箱不制冷")
    order = services.dispatch_ticket(ticket=ticket, technician=technician, actor=dispatcher.user)
    walk_to_site(order, technician)
    fill_and_complete(order, technician, service_item)
    return wo.sign_order(order=order, actor=technician.user, image=png(seed=7), printed_name="李工", client_id=new_id())


def test_the_service_refuses_to_edit_a_signed_order(signed, technician, service_item):
    with pytest.raises(InvalidTransition):
        wo.save_report(order=signed, actor=technician.user, resolution="改过的")
    with pytest.raises(InvalidTransition):
        wo.add_service_item(order=signed, actor=technician.user, service_item=service_item)


def test_the_database_refuses_queryset_update_of_a_signed_order(signed):
    with pytest.raises(DatabaseError), transaction.atomic():
        WorkOrder.objects.filter(pk=signed.pk).update(resolution="改过的")
    assert WorkOrder.objects.get(pk=signed.pk).resolution == "更换风扇叶片并清洗"


def test_the_database_refuses_raw_sql_on_a_signed_order_and_its_lines(signed):
    for sql in (
        "UPDATE tickets_workorder SET total_charge = 1 WHERE id = %s",
        "DELETE FROM tickets_workorder WHERE id = %s",
        "UPDATE tickets_workorderitem SET amount = 0 WHERE order_id = %s",
        "DELETE FROM tickets_workorderitem WHERE order_id = %s",
        "UPDATE tickets_workordersignature SET printed_name = 'x' WHERE order_id = %s",
        "UPDATE tickets_workorder SET status = 'in_progress' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [signed.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        WorkOrderItem.objects.create(order=signed, service_item_id=signed.items.first().service_item_id, code="X", name="X",
                                     unit_price=1, qty=1, amount=1)
    assert wo.verify_seals() == []


def test_the_review_may_still_close_a_signed_order(signed, supervisor):
    closed = wo.review_order(order=signed, actor=supervisor.user, comment="ok")
    assert closed.status == WorkOrder.Status.CLOSED
    assert wo.verify_seals() == []


def _superuser_sql(sql, params):
    """What a database superuser can do: switch the triggers off for the session and edit."""
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        try:
            cur.execute(sql, params)
        finally:
            cur.execute("SET session_replication_role = DEFAULT")


def test_a_byte_changed_by_a_superuser_is_found_in_exactly_that_order(signed, second_signed):
    _superuser_sql("UPDATE tickets_workorder SET resolution = resolution || '.' WHERE id = %s", [signed.pk])
    problems = wo.verify_seals()
    assert [p["number"] for p in problems] == [signed.number]
    assert "content_altered" in problems[0]["reasons"]


def test_a_changed_amount_on_a_line_is_found(signed, second_signed):
    _superuser_sql("UPDATE tickets_workorderitem SET amount = amount + 1 WHERE order_id = %s", [second_signed.pk])
    assert [p["number"] for p in wo.verify_seals()] == [second_signed.number]


def test_a_signature_copied_onto_another_order_fails_verification(signed, second_signed):
    _superuser_sql(
        "UPDATE tickets_workordersignature SET image = (SELECT image FROM tickets_workordersignature WHERE order_id = %s),"
        " sha256 = (SELECT sha256 FROM tickets_workordersignature WHERE order_id = %s) WHERE order_id = %s",
        [signed.pk, signed.pk, second_signed.pk],
    )
    problems = wo.verify_seals()
    assert [p["number"] for p in problems] == [second_signed.number]


def test_a_recomputed_bare_hash_does_not_pass_without_the_key(signed, second_signed):
    """Whoever edits the row and recomputes the digest still cannot make the HMAC chain."""
    import hashlib

    _superuser_sql("UPDATE tickets_workorder SET seal_digest = %s WHERE id = %s", [hashlib.sha256(b"x").hexdigest(), signed.pk])
    reasons = {p["number"]: p["reasons"] for p in wo.verify_seals()}
    assert "seal_forged" in reasons[signed.number]


def test_the_same_offline_signature_submitted_five_times_is_stored_once(order, technician, service_item):
    walk_to_site(order, technician)
    fill_and_complete(order, technician, service_item)
    client_id, image = new_id(), png()
    for _ in range(5):
        result = wo.sign_order(order=order, actor=technician.user, image=image, printed_name="王主任", client_id=client_id,
                               device_signed_at=timezone.now() - timedelta(hours=2))
        assert result.status == WorkOrder.Status.SIGNED
    assert WorkOrderSignature.objects.filter(order=order).count() == 1
    assert order.steps.filter(kind="signed").count() == 1
    with pytest.raises(Conflict):
        wo.sign_order(order=order, actor=technician.user, image=png(seed=3), printed_name="别人", client_id=new_id())


def test_a_correction_is_a_new_linked_version(signed, supervisor, technician):
    copy = wo.correct_signed_order(order=signed, actor=supervisor.user, reason="收费写错")
    assert copy.supersedes_id == signed.pk and copy.version == 2 and copy.number == f"{signed.number}/2"
    assert copy.status == WorkOrder.Status.COMPLETED and copy.items.count() == signed.items.count()
    wo.save_report(order=copy, actor=technician.user, notes="更正：收费按清洗计")
    wo.sign_order(order=copy, actor=technician.user, image=png(seed=5), printed_name="王主任", client_id=new_id())
    assert WorkOrder.objects.get(pk=signed.pk).resolution == "更换风扇叶片并清洗"
    assert wo.verify_seals() == []


def test_the_verify_command_names_the_altered_order_and_fails(signed, second_signed):
    import io

    out = io.StringIO()
    call_command("verify_seals", stdout=out)
    assert "2" in out.getvalue()
    _superuser_sql("UPDATE tickets_workorder SET total_charge = total_charge + 1 WHERE id = %s", [signed.pk])
    out = io.StringIO()
    with pytest.raises(CommandError) as e:
        call_command("verify_seals", stdout=out)
    assert e.value.returncode == 1
    assert signed.number in out.getvalue() and second_signed.number not in out.getvalue()
