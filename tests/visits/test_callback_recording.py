"""Recording a callback: the questionnaire, bad input, retries, and the dissatisfaction loop."""

from datetime import date

import pytest

from servicedesk.calendar import add_working_time, working_days
from servicedesk.core.exceptions import Conflict, DomainError
from servicedesk.notifications.models import Notification
from tests.workorders.conftest import service_item, ticket  # noqa: F401  (fixtures)
from tickets import services as ticket_services
from tickets.models import SLAClock, Ticket, TicketLog
from visits import callbacks
from visits.models import Callback, CallbackAttempt

from .callback_fixtures import at, close_complaint, close_order, closed_order, order, record  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(closed_order):
    return Callback.objects.filter(work_order=closed_order).order_by("due_date").first()


def test_an_answered_callback_keeps_the_questionnaire(first, supervisor):
    done = record(first, supervisor, now=at(2026, 9, 30, 10, 0))
    done.refresh_from_db()
    assert (done.status, done.channel, done.answered_by) == ("done", "phone", "王主任")
    assert (done.rating_attitude, done.rating_skill, done.rating_arrival, done.rating_promise) == (1, 2, 1, 2)
    assert done.unit_working is True and str(done.fees_charged) == "120.00" and done.follow_up_ticket is None
    assert done.done_by == supervisor.user and done.done_at == at(2026, 9, 30, 10, 0)
    assert list(CallbackAttempt.objects.filter(callback=first).values_list("outcome", flat=True)) == ["answered"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rating_skill": 5}, "rating_skill"),
        ({"rating_attitude": 0}, "rating_attitude"),
        ({"rating_arrival": "很好"}, "rating_arrival"),
        ({"rating_promise": None}, "rating_promise"),
        ({"rating_skill": "2.5"}, "rating_skill"),
        ({"channel": "letter"}, "channel"),
        ({"answered_by": ""}, "answered_by"),
        ({"unit_working": None}, "unit_working"),
        ({"fees_charged": "-5"}, "fees_charged"),
    ],
)
def test_bad_answers_are_refused_naming_the_field_and_nothing_is_saved(first, supervisor, changes, field):
    with pytest.raises(DomainError) as error:
        record(first, supervisor, **changes)
    assert field in error.value.as_dict()
    first.refresh_from_db()
    assert first.status == "pending" and first.rating_skill is None
    assert not CallbackAttempt.objects.filter(callback=first).exists()


def test_every_bad_rating_is_reported_at_once(first, supervisor):
    with pytest.raises(callbacks.InvalidAnswers) as error:
        record(first, supervisor, rating_skill=9, rating_attitude=-1)
    assert set(error.value.as_dict()) == {"rating_skill", "rating_attitude"}


def test_recording_twice_is_a_conflict(first, supervisor, manager):
    record(first, supervisor)
    with pytest.raises(Conflict) as error:
        record(first, manager)
    assert error.value.status_code == 409 and error.value.field == "status"


def test_a_technician_cannot_record_a_callback(first, technician):
    with pytest.raises(DomainError):
        record(first, technician)


def test_no_answer_retries_the_next_working_day_then_gives_up(first, supervisor, settings):
    settings.CALLBACK_MAX_ATTEMPTS = 3
    # Wed 30 Sep 2026, the eve of the National Day holiday: the next try is after the holiday.
    cb = callbacks.record_callback(callback=first, outcome="unreachable", actor=supervisor.user, now=at(2026, 9, 30, 10, 0))
    assert (cb.status, cb.attempts, cb.next_attempt_on) == ("pending", 1, date(2026, 10, 8))
    cb = callbacks.record_callback(callback=first, outcome="unreachable", actor=supervisor.user, now=at(2026, 10, 8, 10, 0))
    assert (cb.status, cb.attempts, cb.next_attempt_on) == ("pending", 2, date(2026, 10, 9))
    cb = callbacks.record_callback(callback=first, outcome="unreachable", actor=supervisor.user, now=at(2026, 10, 9, 10, 0))
    assert (cb.status, cb.attempts, cb.next_attempt_on) == ("unreachable", 3, None)
    assert cb.done_at is not None
    assert CallbackAttempt.objects.filter(callback=first).count() == 3


def test_a_refusal_closes_the_callback(first, supervisor):
    cb = callbacks.record_callback(callback=first, outcome="refused", actor=supervisor.user, note="客户说不要再打了")
    assert cb.status == "refused" and cb.follow_up_ticket is None


def test_dissatisfaction_opens_a_follow_up_with_the_three_working_day_clock_across_the_holiday(first, supervisor):
    recorded_at = at(2026, 9, 30, 10, 0)  # the eve of the National Day holiday (1–7 Oct)
    cb = record(first, supervisor, now=recorded_at, rating_attitude=4, comments="师傅态度很差")
    ticket = cb.follow_up_ticket
    assert ticket is not None and ticket.parent_id == first.ticket_id
    assert (ticket.kind, ticket.customer_id) == ("complaint", first.customer_id)
    clock = SLAClock.objects.get(ticket=ticket, target_code="follow_up_reply")
    assert clock.due_at == add_working_time(recorded_at, working_days(3))
    # 7 h left on 30 Sep, nothing 1–7 Oct, 8 h on the 8th and the 9th, 1 h on Sat 10 Oct (a make-up day).
    assert clock.due_at == at(2026, 10, 10, 10, 0)


def test_a_faulty_unit_opens_a_repair_request(first, supervisor):
    cb = record(first, supervisor, unit_working=False)
    assert (cb.follow_up_ticket.kind, cb.follow_up_ticket.service_type) == ("service", "repair")
    assert cb.follow_up_ticket.unit_id == first.ticket.unit_id


def _close_follow_up(ticket, dispatcher, capture):
    ticket_services.give_plan(ticket=ticket, actor=dispatcher.user, text="经理亲自上门道歉")
    if ticket.kind == "complaint":
        ticket_services.classify_complaint(ticket=ticket, actor=dispatcher.user, complaint_class="valid", reason="属实")
    with capture(execute=True):
        ticket_services.close_ticket(ticket=ticket, actor=dispatcher.user, resolution="已处理，客户接受")


def test_closing_the_follow_up_plans_a_follow_up_callback_and_repeated_dissatisfaction_escalates_once(
    first, supervisor, dispatcher, manager, django_capture_on_commit_callbacks,
):
    cb = record(first, supervisor, rating_skill=4)
    _close_follow_up(cb.follow_up_ticket, dispatcher, django_capture_on_commit_callbacks)
    follow = Callback.objects.get(kind="follow_up")
    assert (follow.parent, follow.ticket, follow.work_order, follow.technician) == (
        cb, cb.follow_up_ticket, first.work_order, first.technician)
    assert not Callback.objects.filter(kind="complaint").exists()  # a follow-up is not a new complaint

    with django_capture_on_commit_callbacks(execute=True):
        again = record(follow, supervisor, rating_promise=4, comments="还是没解决")
    assert again.escalated_at is not None and Ticket.objects.get(pk=again.follow_up_ticket_id).escalated_at is not None
    assert TicketLog.objects.filter(ticket=again.follow_up_ticket, kind="escalated").count() == 1
    escalations = Notification.objects.filter(recipient=manager.user, key__contains=":escalated-").count()
    assert escalations == 1

    # Dissatisfied a third time in the same chain: a new follow-up, but no second escalation.
    _close_follow_up(again.follow_up_ticket, dispatcher, django_capture_on_commit_callbacks)
    third = Callback.objects.get(kind="follow_up", parent=again)
    with django_capture_on_commit_callbacks(execute=True):
        last = record(third, supervisor, rating_attitude=4)
    assert last.follow_up_ticket is not None and last.escalated_at is None
    assert Notification.objects.filter(recipient=manager.user, key__contains=":escalated-").count() == escalations
    assert Ticket.objects.filter(parent__isnull=False).count() == 3


def test_a_spot_check_needs_a_closed_order(order, closed_order, supervisor, manager, dispatcher):  # noqa: F811
    from tickets import services as ts
    from tests.tickets.helpers import register

    open_order = ts.dispatch_ticket(
        ticket=register(dispatcher.user, closed_order.customer), technician=closed_order.technician, actor=dispatcher.user
    )
    with pytest.raises(DomainError) as error:
        callbacks.schedule_spot_check(work_order=open_order, actor=manager.user)
    assert error.value.field == "work_order" and open_order.number in str(error.value.message)

    check = callbacks.schedule_spot_check(work_order=closed_order, actor=manager.user)
    assert (check.kind, check.assignee, check.required_role) == ("spot_check", manager.user, "manager")
    with pytest.raises(Conflict):
        callbacks.schedule_spot_check(work_order=closed_order, actor=supervisor.user)
