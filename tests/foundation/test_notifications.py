import pytest
from django.core import mail

from servicedesk.notifications.models import Notification
from servicedesk.notifications.services import mark_read, notify, send_notification_email
from servicedesk.notifications.tasks import retry_unsent_emails_task, send_notification_email_task


@pytest.mark.django_db
def test_the_same_key_is_delivered_once(technician, django_capture_on_commit_callbacks):
    user = technician.user
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipient=user, kind="test", title="派工通知", body="工单 WO-1", key="wo-1-dispatched")
        again = notify(recipient=user, kind="test", title="派工通知", body="工单 WO-1", key="wo-1-dispatched")
    assert first.pk == again.pk
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert Notification.objects.get(pk=first.pk).email_status == Notification.EmailStatus.SENT


@pytest.mark.django_db
def test_running_the_send_task_twice_sends_one_mail(technician, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        note = notify(recipient=technician.user, kind="test", title="t", key="k1")
    send_notification_email_task(note.pk)
    send_notification_email_task(note.pk)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_no_mail_when_the_transaction_rolls_back(technician, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(recipient=technician.user, kind="test", title="t", key="rolled-back")
                raise RuntimeError("abort")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Notification.objects.filter(key="rolled-back").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_user_without_email_gets_the_in_app_notification_only(technician):
    technician.user.email = ""
    technician.user.save()
    note = notify(recipient=technician.user, kind="test", title="t", key="k2")
    assert note.email_status == Notification.EmailStatus.NO_ADDRESS
    assert send_notification_email(notification_id=note.pk) is False


@pytest.mark.django_db
def test_a_failed_mail_is_retried_by_the_sweep(technician, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.foundation.failing_backend.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(recipient=technician.user, kind="test", title="t", key="k3")
    note.refresh_from_db()
    assert note.email_status == Notification.EmailStatus.PENDING and note.email_attempts == 1
    assert "SMTP down" in note.email_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=note.pk).update(created_at=note.created_at.replace(year=2025))
    assert retry_unsent_emails_task() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_notification_api_lists_only_my_own_and_marks_read(api_client_as, technician, other_technician):
    mine = notify(recipient=technician.user, kind="test", title="mine", key="a", email=False)
    notify(recipient=other_technician.user, kind="test", title="theirs", key="a", email=False)
    client = api_client_as(technician)
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [r["title"] for r in rows] == ["mine"]
    theirs = Notification.objects.get(recipient=other_technician.user)
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client.post("/api/v1/notifications/mark-read/", {"ids": [mine.pk, theirs.pk]}, format="json").json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert mark_read(user=technician.user) == 0


@pytest.mark.django_db
def test_mark_read_rejects_bad_ids_with_the_field_named(api_client_as, technician):
    response = api_client_as(technician).post("/api/v1/notifications/mark-read/", {"ids": ["x"]}, format="json")
    assert response.status_code == 400
    assert "ids[0]" in response.json()["errors"] or "ids.0" in response.json()["errors"]


@pytest.mark.django_db
def test_notification_page_lists_and_opens(client, technician):
    note = notify(recipient=technician.user, kind="test", title="请确认预约", url="/notifications/", key="p1", email=False)
    client.force_login(technician.user)
    page = client.get("/notifications/")
    assert "请确认预约" in page.content.decode()
    opened = client.post(f"/notifications/{note.pk}/open/")
    assert opened.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
