"""Audit completeness (issue 9 item 7): every change to tickets, work orders, stock documents,
callbacks and scorecards is in the history with the user who made it and the time.

Changes are made the way users make them — API calls as a signed-in person (session or token) —
and the event rows the PostgreSQL triggers wrote are read back from every event table. A second
test holds the list of tracked models complete: a new business model in these apps without a
history trail (or without an explicit, explained exclusion) fails it.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.utils import timezone
from pghistory.models import Event
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.visits.callback_fixtures import GOOD

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _event_models():
    return [m for m in apps.get_models() if issubclass(m, Event) and getattr(m, "pgh_tracked_model", None)]


def _high_water() -> dict:
    return {m: (m.objects.order_by("-pgh_id").values_list("pgh_id", flat=True).first() or 0) for m in _event_models()}


def _new_events(since: dict) -> list:
    rows = []
    for model, top in since.items():
        rows.extend(model.objects.filter(pgh_id__gt=top).select_related("pgh_context"))
    return rows


def _as(user, *, token=False) -> APIClient:
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    else:
        client.force_login(user)
    return client


def _change(client, user, method, url, body, *, expect_models, status=(200, 201)):
    """Make one change through the API; every event it wrote names ``user``, the URL and a time."""
    before = _high_water()
    started = timezone.now()
    response = getattr(client, method)(url, body, format="json")
    assert response.status_code in status, (url, response.status_code, response.content[:500])
    events = _new_events(before)
    tracked = {type(e).pgh_tracked_model._meta.label for e in events}
    missing = set(expect_models) - tracked
    assert not missing, f"{method.upper()} {url}: no history rows for {sorted(missing)} (got {sorted(tracked)})"
    for event in events:
        where = f"{type(event).__name__} #{event.pgh_id} ({event.pgh_label}) after {method.upper()} {url}"
        assert event.pgh_context is not None, f"{where}: no context"
        assert str(event.pgh_context.metadata.get("user")) == str(user.pk), f"{where}: user {event.pgh_context.metadata}"
        assert event.pgh_context.metadata.get("url") == url, where
        # The trigger stamps the transaction's time: never empty, never in the future.
        assert event.pgh_created_at is not None and event.pgh_created_at <= timezone.now(), where
    return response, events, started


def test_ticket_and_work_order_changes_carry_the_user_and_the_time(demo_world):
    from tickets.models import Unit

    users = demo_world.users
    desk = _as(users["dispatcher"])
    unit = Unit.objects.filter(customer__station=demo_world.station_a).select_related("customer").first()
    created, events, _ = _change(desk, users["dispatcher"], "post", f"{API}/tickets/", {
        "customer": unit.customer_id, "unit": unit.pk, "channel": "phone", "kind": "service", "service_type": "repair",
        "caller_name": "李主任", "caller_phone": "13912345678", "description": "空调不制冷", "fault_code": "不制冷",
    }, expect_models={"tickets.Ticket"}, status=(201,))
    ticket_id = created.json()["id"]
    assert any(e.pgh_label == "insert" and e.pgh_obj_id == ticket_id for e in events)

    _change(desk, users["dispatcher"], "post", f"{API}/tickets/{ticket_id}/reply/", {"text": "今天下午上门"},
            expect_models={"tickets.Ticket"})
    _change(desk, users["dispatcher"], "patch", f"{API}/tickets/{ticket_id}/", {"urgency": "urgent"},
            expect_models={"tickets.Ticket"})
    dispatched, _, _ = _change(desk, users["dispatcher"], "post", f"{API}/tickets/{ticket_id}/dispatch/",
                               {"technician": demo_world.tech.pk}, expect_models={"tickets.WorkOrder"}, status=(201,))
    order_id = dispatched.json()["id"]

    # The technician on his tablet signs in with a token: DRF sets the user inside the view, and the
    # history still names him.
    tech = users["technician"]
    _, events, _ = _change(_as(tech, token=True), tech, "post", f"{API}/work-orders/{order_id}/accept/", {},
                           expect_models={"tickets.WorkOrder"})
    update = next(e for e in events if type(e).pgh_tracked_model._meta.label == "tickets.WorkOrder")
    assert update.pgh_label == "update" and update.pgh_obj_id == order_id and update.status == "accepted"


def test_stock_document_changes_carry_the_user_and_the_time(demo_world):
    from spares.models import Location, Part

    keeper = demo_world.users["warehouse_keeper"]
    store = Location.objects.get(code="SH01-STOCK")
    part = Part.objects.order_by("pk").first()
    _change(_as(keeper), keeper, "post", f"{API}/spares/receipts/", {
        "location": store.pk, "supplier": "格力电器配件公司", "delivery_note": "GL-2026-1188",
        "lines": [{"part": part.pk, "qty": "4", "unit_price": "650.00"}],
    }, expect_models={"spares.Receipt", "spares.ReceiptLine", "spares.StockBalance"}, status=(201,))

    tech = demo_world.users["technician"]
    van = Location.objects.get(kind="van", technician=demo_world.tech)
    made, _, _ = _change(_as(tech), tech, "post", f"{API}/spares/requisitions/", {
        "from_location": store.pk, "to_location": van.pk, "reason": "更换压缩机", "lines": [{"part": part.pk, "qty": "1"}],
    }, expect_models={"spares.Requisition", "spares.RequisitionLine"}, status=(201,))
    head = demo_world.users["station_head"]
    _change(_as(head), head, "post", f"{API}/spares/requisitions/{made.json()['id']}/approve/", {},
            expect_models={"spares.Requisition"})


def test_callback_changes_carry_the_user_and_the_time(demo_world):
    from visits.models import Callback

    supervisor = demo_world.users["supervisor"]
    callback = Callback.objects.filter(status="pending", due_date__lte=timezone.localdate()).order_by("pk").first()
    assert callback is not None, "the demo has a callback due"
    _change(_as(supervisor), supervisor, "post", f"{API}/visits/callbacks/{callback.pk}/record/", {"outcome": "answered", **GOOD},
            expect_models={"visits.Callback"})


def test_scorecard_changes_carry_the_user_and_the_time(demo_world):
    manager = demo_world.users["manager"]
    api = _as(manager)
    month = date.today().replace(day=1)
    drafted, _, _ = _change(api, manager, "post", f"{API}/appraisal/scorecard-months/draft/",
                            {"month": month.strftime("%Y-%m")}, expect_models={"appraisal.ScorecardMonth", "appraisal.Scorecard"},
                            status=(201,))
    month_id = drafted.json()["id"]
    from appraisal.scorecard_models import Scorecard

    card = Scorecard.objects.filter(month_id=month_id).order_by("pk").first()
    _change(api, manager, "post", f"{API}/appraisal/scorecards/{card.pk}/adjust/", {"points": "2", "reason": "协助新人"},
            expect_models={"appraisal.ScorecardAdjustment"}, status=(200, 201))
    _change(api, manager, "post", f"{API}/appraisal/scorecard-months/{month_id}/review/", {},
            expect_models={"appraisal.ScorecardMonth"})


# --- every business model is tracked ------------------------------------------------------------

# Apps whose models hold business data.
BUSINESS_APPS = ("org", "business_calendar", "tickets", "spares", "visits", "appraisal", "reports")

# Models with no pghistory trail, each for a stated reason. "append-only" ones are their own audit
# trail: each row names who and when, and a database trigger refuses UPDATE and DELETE (checked
# below, so the claim cannot silently become false).
APPEND_ONLY_LOGS = {
    "tickets.TicketLog": ("by", "at"),              # 来电来函处理记录: every contact/step on a ticket
    "tickets.WorkOrderLog": ("actor", "at"),        # every step of a work order
    "tickets.WorkOrderSignature": ("signed_by_user", "signed_at"),  # written once, sealed (HMAC chain)
    "tickets.GoodsRegisterEntry": ("by", "at"),     # the goods in/out register
    "spares.StockMove": ("actor", "posted_at"),     # the stock ledger
    "visits.CallbackAttempt": ("by", "at"),         # each try at a callback
    "appraisal.ScorecardLog": ("actor", "at"),      # every step of a scorecard month
    "reports.FeeReportStep": ("actor", "at"),       # the fee report's approval steps
    "reports.WorkReportStep": ("actor", "at"),      # the work report's versions and comments
}
NOT_BUSINESS_DATA = {
    # Timers and claims: rows the sweeps insert to fire something exactly once, or the running state
    # of a deadline recomputed by services from tracked ticket / work-order / document changes.
    "tickets.SLAClock": "deadline state derived from the tracked ticket and work-order changes",
    "tickets.CollectionReminder": "a claim row: the notice to collect was sent once",
    "spares.OutOfStockClock": "the reply deadline of a tracked out-of-stock registration",
    "visits.Reminder": "a claim row: one reminder to one person on one day was sent",
    # Technical rows.
    "spares.IdempotencyKey": "remembers a client's request key so a retried POST is applied once",
    "reports.ExportJob": "a background export's progress and file; expires",
    # Derived figures: recomputed from tracked rows by one service, nightly; never edited by hand.
    "reports.MonthlyFigure": "a closed month's trend figures, rebuilt from the tracked orders and callbacks",
}


def _business_models():
    for model in apps.get_models():
        if model._meta.app_label in BUSINESS_APPS and not issubclass(model, Event) and not model._meta.proxy:
            if model._meta.auto_created:
                continue
            yield model


def test_every_business_model_has_a_history_trail_or_a_stated_exclusion():
    tracked = {m.pgh_tracked_model._meta.label for m in apps.get_models() if issubclass(m, Event) and getattr(m, "pgh_tracked_model", None)}
    excluded = set(APPEND_ONLY_LOGS) | set(NOT_BUSINESS_DATA)
    untracked = sorted(m._meta.label for m in _business_models() if m._meta.label not in tracked | excluded)
    assert not untracked, f"models with no history (track them with servicedesk.audit.tracking.audited): {untracked}"
    stale = sorted(excluded - {m._meta.label for m in _business_models()})
    assert not stale, f"exclusions for models that no longer exist: {stale}"
    both = sorted(excluded & tracked)
    assert not both, f"excluded but tracked anyway (drop the exclusion): {both}"


@pytest.mark.parametrize("label", sorted(APPEND_ONLY_LOGS))
def test_append_only_logs_refuse_update_and_delete_and_name_who_and_when(label):
    import pgtrigger

    model = apps.get_model(label)
    who, when = APPEND_ONLY_LOGS[label]
    assert model._meta.get_field(who).related_model is not None and model._meta.get_field(when).get_internal_type() == "DateTimeField"
    protects = [t for t in model._meta.triggers if isinstance(t, pgtrigger.Protect)]
    ops = {str(op) for t in protects for op in str(t.operation).replace(" OR ", "|").split("|")}
    assert {"UPDATE", "DELETE"} <= {o.strip().upper() for o in ops}, f"{label}: {[t.operation for t in protects]}"
