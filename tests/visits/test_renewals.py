"""Renewal tasks: opened exactly once, on the day the notice is due, for the owning technician; closed once."""

from datetime import date, timedelta

import pytest

from servicedesk.core.exceptions import DomainError, InvalidTransition
from servicedesk.org.models import Staff
from tickets.models import Contract
from visits import services
from visits.models import RenewalTask

pytestmark = pytest.mark.django_db


def test_the_task_opens_on_the_notice_day_and_only_once(customer, technician, make_contract):
    contract = make_contract(customer, date(2026, 8, 15))
    assert services.create_due_renewals(today=date(2026, 7, 14)) == []  # one day early: nothing

    made = services.create_due_renewals(today=date(2026, 7, 15))
    assert [t.contract for t in made] == [contract]
    task = made[0]
    assert (task.due_date, task.assignee, task.status) == (date(2026, 7, 15), technician, RenewalTask.Status.OPEN)

    assert services.create_due_renewals(today=date(2026, 7, 15)) == []  # the job runs again the same day
    assert services.create_due_renewals(today=date(2026, 7, 16)) == []  # and the next day
    assert RenewalTask.objects.count() == 1


@pytest.mark.parametrize(
    ("end_date", "notice_day"),
    [
        (date(2027, 3, 31), date(2027, 2, 28)),
        (date(2027, 3, 29), date(2027, 2, 28)),
        (date(2028, 3, 31), date(2028, 2, 29)),
        (date(2026, 12, 31), date(2026, 11, 30)),
        (date(2027, 1, 31), date(2026, 12, 31)),
    ],
)
def test_contracts_ending_at_month_ends_get_their_notice_on_the_last_day_of_the_month_before(
    customer, make_contract, end_date, notice_day
):
    make_contract(customer, end_date)
    assert services.create_due_renewals(today=notice_day - timedelta(days=1)) == []
    made = services.create_due_renewals(today=notice_day)
    assert len(made) == 1 and made[0].due_date == notice_day
    assert services.create_due_renewals(today=notice_day) == []


def test_all_contracts_ending_late_in_march_come_due_on_28_february(customer, make_contract):
    for day in (28, 29, 30, 31):
        make_contract(customer, date(2027, 3, day))
    make_contract(customer, date(2027, 4, 1))
    assert len(services.create_due_renewals(today=date(2027, 2, 27))) == 0
    assert len(services.create_due_renewals(today=date(2027, 2, 28))) == 4
    assert len(services.create_due_renewals(today=date(2027, 3, 1))) == 1


def test_the_notice_period_is_one_setting(settings, customer, make_contract):
    settings.RENEWAL_NOTICE_MONTHS = 2
    make_contract(customer, date(2026, 9, 30))
    assert services.create_due_renewals(today=date(2026, 7, 30))[0].due_date == date(2026, 7, 30)


def test_a_job_that_was_down_catches_up_but_ancient_contracts_stay_alone(customer, make_contract):
    recent = make_contract(customer, date(2026, 7, 1))   # notice was due on 1 June, contract expired yesterday
    make_contract(customer, date(2025, 1, 31))           # long gone
    made = services.create_due_renewals(today=date(2026, 7, 2))
    assert [t.contract for t in made] == [recent]


def test_a_customer_without_an_owner_gets_an_unassigned_task(station_a, make_contract):
    from tests.factories import CustomerFactory

    orphan = CustomerFactory(station=station_a, owner=None)
    make_contract(orphan, date(2026, 8, 15))
    task = services.create_due_renewals(today=date(2026, 7, 20))[0]
    assert task.assignee is None


def test_an_owner_who_left_is_not_assigned(customer, technician, make_contract):
    Staff.objects.filter(pk=technician.pk).update(status=Staff.Status.LEFT)
    make_contract(customer, date(2026, 8, 15))
    assert services.create_due_renewals(today=date(2026, 7, 20))[0].assignee is None


def _task(customer, make_contract, end=date(2026, 8, 15)):
    make_contract(customer, end)
    return services.create_due_renewals(today=end - timedelta(days=20))[0]


def test_renewing_links_the_new_contract_and_closes_the_task(customer, technician, make_contract):
    task = _task(customer, make_contract)
    new = make_contract(customer, date(2027, 8, 15), start_date=date(2026, 8, 16))
    services.record_renewal_notice(task=task, given_on=date(2026, 7, 28), actor=technician.user, today=date(2026, 7, 28))
    task = services.complete_renewal(task=task, outcome="done", new_contract=new, actor=technician.user)
    assert (task.status, task.new_contract, task.notice_given_on) == ("done", new, date(2026, 7, 28))
    assert task.closed_by == technician.user and task.closed_at is not None
    # The new contract is a new period: it gets its own task when its notice is due, not before.
    assert services.create_due_renewals(today=date(2026, 8, 20)) == []
    assert services.create_due_renewals(today=date(2027, 7, 15))[0].contract == new


def test_closing_twice_is_refused_with_a_conflict(customer, technician, make_contract):
    task = _task(customer, make_contract)
    services.complete_renewal(task=task, outcome="lost", note="客户设备报废", actor=technician.user)
    with pytest.raises(InvalidTransition) as caught:
        services.complete_renewal(task=task, outcome="lost", note="again", actor=technician.user)
    assert caught.value.status_code == 409


@pytest.mark.parametrize(
    ("outcome", "new", "note", "field"),
    [
        ("done", None, "", "new_contract"),
        ("done", "same", "", "new_contract"),
        ("done", "other_customer", "", "new_contract"),
        ("done", "ends_earlier", "", "new_contract"),
        ("lost", None, "  ", "note"),
        ("maybe", None, "", "outcome"),
    ],
)
def test_bad_closing_input_names_the_field_and_leaves_the_task_open(
    customer, other_customer, technician, make_contract, outcome, new, note, field
):
    task = _task(customer, make_contract)
    contracts = {
        None: None,
        "same": task.contract,
        "other_customer": make_contract(other_customer, date(2027, 8, 15)),
        "ends_earlier": make_contract(customer, date(2026, 8, 1)),
    }
    with pytest.raises(DomainError) as caught:
        services.complete_renewal(task=task, outcome=outcome, new_contract=contracts[new], note=note, actor=technician.user)
    assert caught.value.field == field
    assert RenewalTask.objects.get(pk=task.pk).status == "open"


def test_a_contract_renews_only_one_other(customer, technician, make_contract):
    first = _task(customer, make_contract, end=date(2026, 8, 15))
    second = _task(customer, make_contract, end=date(2026, 8, 20))
    new = make_contract(customer, date(2027, 8, 20))
    services.complete_renewal(task=first, outcome="done", new_contract=new, actor=technician.user)
    with pytest.raises(DomainError) as caught:
        services.complete_renewal(task=second, outcome="done", new_contract=new, actor=technician.user)
    assert caught.value.field == "new_contract"


def test_another_technician_cannot_close_my_renewal(customer, other_technician, make_contract):
    task = _task(customer, make_contract)
    with pytest.raises(DomainError):
        services.complete_renewal(task=task, outcome="lost", note="不是我的", actor=other_technician.user)


def test_the_notice_cannot_be_dated_in_the_future(customer, technician, make_contract):
    task = _task(customer, make_contract)
    with pytest.raises(DomainError) as caught:
        services.record_renewal_notice(task=task, given_on=date(2026, 7, 30), actor=technician.user, today=date(2026, 7, 29))
    assert caught.value.field == "given_on"
    assert Contract.objects.count() == 1
