"""Writes for notifications: create once, e-mail once, mark read."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send and is retried.
STALE_CLAIM = timedelta(minutes=10)
MAX_EMAIL_ATTEMPTS = 5


def notify(*, recipient, kind: str, title: str, body: str = "", url: str = "", key: str, email: bool = True) -> Notification:
    """Record a notification for ``recipient`` once per ``key``; queue its e-mail after commit.

    Calling again with the same key returns the existing notification and sends nothing.
    """
    if email:
        status = Notification.EmailStatus.PENDING if recipient.email else Notification.EmailStatus.NO_ADDRESS
    else:
        status = Notification.EmailStatus.NOT_WANTED
    try:
        # A savepoint: losing the race on the unique key must not poison the caller's transaction.
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=recipient, key=key, kind=kind, title=title[:200], body=body, url=url, email_status=status
            )
    except IntegrityError:
        return Notification.objects.get(recipient=recipient, key=key)
    if status == Notification.EmailStatus.PENDING:
        from .tasks import send_notification_email_task

        send_notification_email_task.delay_on_commit(note.pk)
    return note


def notify_users(*, recipients, kind: str, title: str, body: str = "", url: str = "", key: str, email: bool = True):
    """The same notification to several users (each once)."""
    return [
        notify(recipient=user, kind=kind, title=title, body=body, url=url, key=key, email=email)
        for user in recipients
    ]


def send_notification_email(*, notification_id: int, now=None) -> bool:
    """PENDING → SENDING → SENT (or FAILED after MAX_EMAIL_ATTEMPTS). True if this call sent it.

    The claim is a conditional UPDATE, so two workers (a redelivered message, a retry sweep) can
    never both send. A worker killed after the claim leaves SENDING behind; the retry sweep takes
    it back after STALE_CLAIM — the mail may then go twice, the rare price of never losing one.
    """
    now = now or timezone.now()
    claimable = Q(email_status=Notification.EmailStatus.PENDING) | Q(
        email_status=Notification.EmailStatus.SENDING, email_claimed_at__lt=now - STALE_CLAIM
    )
    claimed = (
        Notification.objects.filter(claimable, pk=notification_id)
        .update(email_status=Notification.EmailStatus.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1)
    )
    if claimed != 1:
        return False
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        link = f"\n\n{settings.SITE_URL.rstrip('/')}{note.url}" if note.url and settings.SITE_URL else ""
        send_mail(note.title, f"{note.body}{link}", None, [note.recipient.email], fail_silently=False)
    except Exception as exc:  # SMTP errors of every kind: record, retry later
        log.warning("e-mail for notification %s failed: %s", note.pk, exc)
        final = note.email_attempts >= MAX_EMAIL_ATTEMPTS
        Notification.objects.filter(pk=note.pk).update(
            email_status=Notification.EmailStatus.FAILED if final else Notification.EmailStatus.PENDING,
            email_error=str(exc)[:2000],
        )
        return False
    Notification.objects.filter(pk=note.pk).update(
        email_status=Notification.EmailStatus.SENT, emailed_at=timezone.now(), email_error=""
    )
    return True


def unsent_email_ids(*, now=None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            Q(email_status=Notification.EmailStatus.PENDING, created_at__lt=now - timedelta(minutes=1))
            | Q(email_status=Notification.EmailStatus.SENDING, email_claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def mark_read(*, user, ids=None) -> int:
    """Mark the user's notifications read (all unread ones when ``ids`` is None). Returns how many."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
