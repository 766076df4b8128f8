"""Borrowing archived backups: own department's manager approves; another department's data needs both."""

from datetime import timedelta

import pytest
from django.utils import timezone

from appraisal import selectors, services
from appraisal.models import BackupDownload, BorrowApproval, BorrowRequest
from appraisal.weeks import week_start_of
from servicedesk.core.exceptions import DomainError
from servicedesk.notifications.models import Notification

from .conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(technician, submit):
    """The first technician's backup of the holiday week (long archived by now)."""
    return submit(technician)


def _download(client, borrow):
    return client.get(f"/api/v1/appraisal/borrow-requests/{borrow.pk}/download/")


def test_own_department_the_manager_approves_then_the_requester_downloads(
    archived, other_technician, department, manager, api_client_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        borrow = services.request_borrow(requester=other_technician, submission=archived, reason="查阅客户回访记录", actor=other_technician.user)
    assert borrow.status == "pending" and not borrow.is_cross_department
    assert borrow.number.startswith("JY-")
    assert Notification.objects.filter(recipient=manager.user, kind="backup_borrow_request").count() == 1
    client = api_client_as(other_technician)
    assert _download(client, borrow).status_code == 404, "not before approval"

    with django_capture_on_commit_callbacks(execute=True):
        borrow = services.approve_borrow(borrow=borrow, actor=manager.user, comment="同意")
    assert borrow.status == "approved" and borrow.expires_at is not None
    assert Notification.objects.filter(recipient=other_technician.user, kind="backup_borrow_decided").count() == 1

    response = _download(client, borrow)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)
    log = BackupDownload.objects.get()
    assert (log.user, log.grounds, log.borrow_request) == (other_technician.user, "borrowed", borrow)
    # Only the requester: the manager who approved does not get the file through the request.
    assert _download(api_client_as(manager), borrow).status_code == 404


def test_another_departments_data_needs_both_managers(archived, north, department, manager, api_client_as):
    requester = north["technician"]
    borrow = services.request_borrow(requester=requester, submission=archived, reason="跨部门协作", actor=requester.user)
    assert borrow.is_cross_department
    assert sorted(borrow.required_department_ids) == sorted([department.pk, north["department"].pk])

    borrow = services.approve_borrow(borrow=borrow, actor=north["manager"].user)
    assert borrow.status == "pending", "own manager alone is not enough for another department's data"
    assert _download(api_client_as(requester), borrow).status_code == 404
    with pytest.raises(DomainError) as twice:
        services.approve_borrow(borrow=borrow, actor=north["manager"].user)
    assert twice.value.status_code == 403

    borrow = services.approve_borrow(borrow=borrow, actor=manager.user)
    assert borrow.status == "approved"
    assert set(BorrowApproval.objects.values_list("department__code", "decided_by__username")) == {
        ("HB", "p_manager_north"), ("HD", "p_manager")
    }
    assert _download(api_client_as(requester), borrow).status_code == 200


def test_one_rejection_ends_the_request_and_needs_a_reason(archived, north, department, manager, api_client_as):
    requester = north["technician"]
    borrow = services.request_borrow(requester=requester, submission=archived, reason="看看", actor=requester.user)
    with pytest.raises(DomainError) as no_reason:
        services.reject_borrow(borrow=borrow, actor=manager.user, comment="")
    assert no_reason.value.field == "comment"
    borrow = services.reject_borrow(borrow=borrow, actor=manager.user, comment="数据涉及客户隐私")
    assert borrow.status == "rejected"
    with pytest.raises(DomainError) as late:
        services.approve_borrow(borrow=borrow, actor=north["manager"].user)
    assert late.value.status_code == 409
    assert _download(api_client_as(requester), borrow).status_code == 404


def test_only_the_managers_concerned_decide_and_nobody_decides_his_own_request(
    archived, other_technician, supervisor, department, manager, general_manager, submit
):
    borrow = services.request_borrow(requester=other_technician, submission=archived, reason="x", actor=other_technician.user)
    for outsider in (supervisor, other_technician, general_manager):
        with pytest.raises(DomainError) as error:
            services.approve_borrow(borrow=borrow, actor=outsider.user)
        assert error.value.status_code == 403

    # The manager asks for his own department's data: the general manager decides instead.
    own = services.request_borrow(requester=manager, submission=archived, reason="审计", actor=manager.user)
    assert selectors.departments_to_decide(manager.user, own) == []
    with pytest.raises(DomainError):
        services.approve_borrow(borrow=own, actor=manager.user)
    assert services.approve_borrow(borrow=own, actor=general_manager.user).status == "approved"


def test_what_cannot_be_borrowed(technician, other_technician, department, manager, submit):
    own = submit(other_technician)
    with pytest.raises(DomainError) as error:
        services.request_borrow(requester=other_technician, submission=own, reason="x", actor=other_technician.user)
    assert error.value.field == "submission"
    confirmed = submit(technician, note="在 NAS 上")
    with pytest.raises(DomainError) as error:
        services.request_borrow(requester=other_technician, submission=confirmed, reason="x", actor=other_technician.user)
    assert error.value.field == "submission"
    archived = submit(technician)
    with pytest.raises(DomainError) as error:
        services.request_borrow(requester=other_technician, submission=archived, reason=" ", actor=other_technician.user)
    assert error.value.field == "reason"
    services.request_borrow(requester=other_technician, submission=archived, reason="x", actor=other_technician.user)
    with pytest.raises(DomainError) as error:
        services.request_borrow(requester=other_technician, submission=archived, reason="y", actor=other_technician.user)
    assert error.value.status_code == 409


def test_this_weeks_backup_is_not_archived_yet(technician, other_technician, department):
    current = services.submit_backup(
        staff=technician, week_start=week_start_of(timezone.localdate()), actor=technician.user, upload=upload()
    )
    with pytest.raises(DomainError) as error:
        services.request_borrow(requester=other_technician, submission=current, reason="x", actor=other_technician.user)
    assert error.value.field == "submission"


def test_an_approved_loan_expires_and_can_be_given_back(archived, other_technician, department, manager, rules, api_client_as):
    borrow = services.request_borrow(requester=other_technician, submission=archived, reason="x", actor=other_technician.user)
    borrow = services.approve_borrow(borrow=borrow, actor=manager.user, now=timezone.now() - timedelta(days=rules.borrow_days, minutes=1))
    assert borrow.expires_at < timezone.now()
    assert _download(api_client_as(other_technician), borrow).status_code == 404

    again = services.request_borrow(requester=other_technician, submission=archived, reason="再借", actor=other_technician.user)
    again = services.approve_borrow(borrow=again, actor=manager.user)
    assert services.cancel_borrow(borrow=again, actor=other_technician.user).status == "cancelled"
    assert _download(api_client_as(other_technician), again).status_code == 404
    assert not BackupDownload.objects.exists()


def test_a_department_without_anyone_to_approve_refuses_the_request(archived, other_technician, station_a):
    station_a.department.manager = None
    station_a.department.save()
    with pytest.raises(DomainError) as error:
        services.request_borrow(requester=other_technician, submission=archived, reason="x", actor=other_technician.user)
    assert error.value.field == "submission"
    assert not BorrowRequest.objects.exists()


def test_borrowing_requests_are_seen_by_requester_deciders_and_the_general_manager(
    archived, north, other_technician, supervisor, department, manager, general_manager
):
    mine = services.request_borrow(requester=other_technician, submission=archived, reason="x", actor=other_technician.user)
    cross = services.request_borrow(requester=north["technician"], submission=archived, reason="x", actor=north["technician"].user)

    def seen(person):
        return set(selectors.borrow_requests_visible_to(person.user).values_list("pk", flat=True))

    assert seen(other_technician) == {mine.pk}
    assert seen(north["manager"]) == {cross.pk}
    assert seen(manager) == {mine.pk, cross.pk}
    assert seen(general_manager) == {mine.pk, cross.pk}
    assert seen(supervisor) == set()
    assert [b.pk for b in selectors.borrow_requests_awaiting(north["manager"].user)] == [cross.pk]
