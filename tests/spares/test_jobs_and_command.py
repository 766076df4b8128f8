"""``check_stock``, the nightly reconciliation, reminders and alerts — each run twice to prove it is idempotent."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from servicedesk.clocks.services import fire_due_clocks
from servicedesk.core.models import JobHeartbeat
from servicedesk.notifications.models import Notification
from spares import selectors, services, tasks
from spares.models import OutOfStockRegistration, StockBalance

pytestmark = pytest.mark.django_db


def _check_stock():
    out = io.StringIO()
    try:
        call_command("check_stock", stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


@pytest.fixture
def ledger(central, station_a_stock, van_a, compressor, thermostat, make_part, put_stock, warehouse_keeper):
    fan = make_part("AC-FAN-07", "室内风机")
    put_stock(central, (compressor, 6), (thermostat, 8), (fan, 2))
    keeper = warehouse_keeper.user
    services.transfer_stock(from_location=central, to_location=station_a_stock, lines=[(compressor, 2), (thermostat, 3)],
                            actor=keeper)
    services.transfer_stock(from_location=central, to_location=van_a, lines=[(thermostat, 1)], actor=keeper)
    services.write_off_stock(part=fan, qty=1, location=central, kind="damaged", reason="受潮", actor=keeper)
    return fan


def test_check_stock_passes_on_a_clean_ledger(ledger):
    code, text = _check_stock()
    assert code == 0 and "6" in text  # six part/location pairs checked


def test_reconciliation_flags_every_drifted_pair_and_nothing_else(
    allow_drift, ledger, central, station_a_stock, van_a, compressor, thermostat, manager, warehouse_keeper
):
    """S9: drift seeded behind the ledger's back (raw SQL) is found pair by pair, with no false positive."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE spares_stockbalance SET qty = qty + 1 WHERE part_id = %s AND location_id = %s",
                       [compressor.pk, central.pk])
        cursor.execute("UPDATE spares_stockbalance SET qty = 0 WHERE part_id = %s AND location_id = %s",
                       [thermostat.pk, van_a.pk])
        cursor.execute(
            "INSERT INTO spares_stockmove (kind, part_id, qty, from_location_id, to_location_id, reference, "
            "document_type, note, actor_id, posted_at) VALUES ('receipt', %s, 5, NULL, %s, 'FORGED-1', '', '', %s, now())",
            [ledger.pk, station_a_stock.pk, warehouse_keeper.user.pk],
        )
    drifted = {(p, loc) for p, loc, _b, _l in selectors.stock_drift()}
    assert drifted == {(compressor.pk, central.pk), (thermostat.pk, van_a.pk), (ledger.pk, station_a_stock.pk)}

    code, text = _check_stock()
    assert code == 1
    assert "3" in text and compressor.name in text and "FORGED" not in text

    assert tasks.reconcile_stock_task() == 3
    assert tasks.reconcile_stock_task() == 3
    notes = Notification.objects.filter(kind="spares_stock_drift")
    assert list(notes.values_list("recipient", flat=True)) == [manager.user.pk]  # once, however often it runs
    assert compressor.name in notes.get().body
    assert JobHeartbeat.objects.get(name="spares-reconcile").runs == 2


def test_nightly_reconciliation_of_clean_books_notifies_nobody(ledger, manager):
    assert tasks.reconcile_stock_task() == 0
    assert not Notification.objects.filter(kind="spares_stock_drift").exists()


def test_low_stock_alerts_the_keepers_once_per_episode(
    central, van_a, make_part, put_stock, warehouse_keeper, manager, django_capture_on_commit_callbacks
):
    gasket = make_part("RF-GSK-01", "冰箱门封条", threshold="3")
    put_stock(central, (gasket, 5))

    def take(qty):
        with django_capture_on_commit_callbacks(execute=True):
            services.transfer_stock(from_location=central, to_location=van_a, lines=[(gasket, qty)],
                                    actor=warehouse_keeper.user)

    take(2)  # 3 left: not below the threshold
    assert not Notification.objects.filter(kind="spares_low_stock").exists()
    take(1)  # 2 left: alert
    take(1)  # 1 left: still the same episode, no second alert
    alerts = Notification.objects.filter(kind="spares_low_stock")
    assert alerts.count() == 1 and alerts.get().recipient == warehouse_keeper.user
    assert "冰箱门封条" in alerts.get().title
    assert StockBalance.objects.get(part=gasket, location=central).low_stock_alerted

    with django_capture_on_commit_callbacks(execute=True):
        put_stock(central, (gasket, 10))  # back above: the episode ends
    assert not StockBalance.objects.get(part=gasket, location=central).low_stock_alerted
    take(9)  # 2 left again: a new episode, a new alert
    assert Notification.objects.filter(kind="spares_low_stock").count() == 2
    # Vans carry a handful of parts; they never alert.
    assert not StockBalance.objects.get(part=gasket, location=van_a).low_stock_alerted


def test_out_of_stock_reminder_and_overdue_each_go_once_through_the_clock_sweep(
    dispatcher, warehouse_keeper, station_head, thermostat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register_out_of_stock(
            part=thermostat, customer_name="陈建华", customer_phone="13611112222", actor=dispatcher.user
        )
    clock = registration.clock
    assert clock.due_at == registration.reply_due_at and clock.warn_at == registration.remind_at
    with django_capture_on_commit_callbacks(execute=True):
        assert fire_due_clocks(now=timezone.now()) == {"warning": 0, "breach": 0}  # not due yet
        # Six days later the reminder (one day before the due time) comes due — once.
        assert fire_due_clocks(now=registration.remind_at + timedelta(minutes=1)) == {"warning": 1, "breach": 0}
        assert fire_due_clocks(now=registration.remind_at + timedelta(minutes=2)) == {"warning": 0, "breach": 0}
    notes = Notification.objects.filter(kind="spares_out_of_stock_due")
    assert set(notes.values_list("recipient", flat=True)) == {
        dispatcher.user.pk, warehouse_keeper.user.pk, station_head.user.pk
    }
    assert all("陈建华" in n.title for n in notes)
    registration.refresh_from_db()
    assert registration.reminded_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert fire_due_clocks(now=registration.reply_due_at + timedelta(minutes=1)) == {"warning": 0, "breach": 1}
        assert fire_due_clocks(now=registration.reply_due_at + timedelta(days=3)) == {"warning": 0, "breach": 0}
    assert Notification.objects.filter(kind="spares_out_of_stock_overdue").count() == 3


def test_a_replied_registration_stops_its_clock(dispatcher, warehouse_keeper, thermostat, django_capture_on_commit_callbacks):
    registration = services.register_out_of_stock(
        part=thermostat, customer_name="刘德明", customer_phone="13611113333", actor=dispatcher.user
    )
    services.reply_out_of_stock(registration=registration, note="已到货，已通知", actor=warehouse_keeper.user)
    registration.refresh_from_db()
    assert registration.clock.stopped_at is not None and registration.clock.next_fire_at is None
    with django_capture_on_commit_callbacks(execute=True):
        assert fire_due_clocks(now=registration.reply_due_at + timedelta(days=1)) == {"warning": 0, "breach": 0}
    assert not Notification.objects.filter(kind__startswith="spares_out_of_stock").exists()


def test_a_receipt_tells_the_waiting_customer_registrant(dispatcher, central, thermostat, put_stock,
                                                         django_capture_on_commit_callbacks):
    services.register_out_of_stock(part=thermostat, customer_name="孙玉梅", customer_phone="13611114444",
                                   actor=dispatcher.user)
    with django_capture_on_commit_callbacks(execute=True):
        receipt = put_stock(central, (thermostat, 2))
    note = Notification.objects.get(kind="spares_part_arrived")
    assert note.recipient == dispatcher.user and receipt.number in note.body
    assert tasks.notify_part_arrived_task(OutOfStockRegistration.objects.get().pk, receipt.pk) is True
    assert Notification.objects.filter(kind="spares_part_arrived").count() == 1


def test_old_parts_of_last_month_are_reminded_once(warehouse_keeper, station_head, station_a_old, compressor):
    old = services.record_old_part_return(part=compressor, qty=Decimal("1"), location=station_a_old,
                                          work_order_ref="WO-2026-000300", actor=warehouse_keeper.user)
    # Handed in last month.
    type(old).objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=40))
    assert tasks.remind_old_part_processing_task() == 1
    assert tasks.remind_old_part_processing_task() == 1
    notes = Notification.objects.filter(kind="spares_old_parts_due")
    assert set(notes.values_list("recipient", flat=True)) == {warehouse_keeper.user.pk, station_head.user.pk}


def test_old_idempotency_records_are_purged(api_client_as, warehouse_keeper, central, compressor):
    from spares.idempotency import purge_idempotency_keys
    from spares.models import IdempotencyKey

    api_client_as(warehouse_keeper).post("/api/v1/spares/receipts/", {
        "location": central.pk, "supplier": "x", "lines": [{"part": compressor.pk, "qty": "1"}]},
        format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert IdempotencyKey.objects.count() == 1
    assert purge_idempotency_keys() == 0
    assert purge_idempotency_keys(now=timezone.now() + timedelta(days=8)) == 1


def test_an_idempotency_key_reused_for_another_request_is_refused(api_client_as, warehouse_keeper, central, compressor):
    client = api_client_as(warehouse_keeper)
    url = "/api/v1/spares/receipts/"
    first = client.post(url, {"location": central.pk, "supplier": "x", "lines": [{"part": compressor.pk, "qty": "1"}]},
                        format="json", HTTP_IDEMPOTENCY_KEY="same")
    again = client.post(url, {"location": central.pk, "supplier": "x", "lines": [{"part": compressor.pk, "qty": "1"}]},
                        format="json", HTTP_IDEMPOTENCY_KEY="same")
    other = client.post(url, {"location": central.pk, "supplier": "x", "lines": [{"part": compressor.pk, "qty": "2"}]},
                        format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert services.on_hand(part=compressor, location=central) == 1


def test_a_failed_call_is_not_replayed_its_retry_runs(api_client_as, warehouse_keeper, manager, central, van_a,
                                                      compressor, put_stock):
    requisition = services.create_requisition(from_location=central, to_location=van_a, lines=[(compressor, 1)],
                                              actor=warehouse_keeper.user)
    services.approve_requisition(requisition=requisition, actor=manager.user)
    client = api_client_as(warehouse_keeper)
    url = f"/api/v1/spares/requisitions/{requisition.pk}/issue/"
    assert client.post(url, HTTP_IDEMPOTENCY_KEY="retry-1").status_code == 409  # nothing on the shelf yet
    put_stock(central, (compressor, 1))
    assert client.post(url, HTTP_IDEMPOTENCY_KEY="retry-1").status_code == 200
    assert services.on_hand(part=compressor, location=van_a) == 1


def test_use_part_with_the_same_key_takes_once(van_a, technician, central, compressor, put_stock, warehouse_keeper):
    put_stock(central, (compressor, 3))
    services.transfer_stock(from_location=central, to_location=van_a, lines=[(compressor, 3)], actor=warehouse_keeper.user)
    first = services.use_part(part=compressor, location=van_a, qty=1, reference="WO-2026-000900",
                              actor=technician.user, idempotency_key="wo-900-line-1")
    second = services.use_part(part=compressor, location=van_a, qty=1, reference="WO-2026-000900",
                               actor=technician.user, idempotency_key="wo-900-line-1")
    assert first.pk == second.pk and services.on_hand(part=compressor, location=van_a) == 2
    reversal = services.reverse_usage(move=first, reason="客户取消更换", actor=technician.user)
    assert reversal.kind == "reversal" and services.on_hand(part=compressor, location=van_a) == 3
    from servicedesk.core.exceptions import Conflict

    with pytest.raises(Conflict):
        services.reverse_usage(move=first, reason="again", actor=technician.user)
    assert services.on_hand(part=compressor, location=van_a) == 3


def test_a_move_without_reference_is_refused(van_a, technician, compressor):
    from servicedesk.core.exceptions import DomainError

    with pytest.raises(DomainError) as info:
        services.use_part(part=compressor, location=van_a, qty=1, reference="  ", actor=technician.user)
    assert info.value.field == "reference"
