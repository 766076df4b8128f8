"""Daily reminders: a small registry of reminder sources and the one loop that sends what they yield.

A *source* is a function ``source(today) -> iterable of Due`` registered under an item type::

    @reminder_source("callback")
    def callback_reminders(today):
        for callback in Callback.objects.filter(...):
            yield Due(item_id=callback.pk, kind=Reminder.Kind.DUE, recipients=(...), title=..., url=...)

:func:`send_due_reminders` asks every source, and for each (item, recipient) not yet reminded
today first inserts a :class:`~visits.models.Reminder` row — unique per (item type, item id, day,
recipient) — and only then records the notification (itself unique per recipient and key) whose
e-mail is queued after commit. A second run of the job on the same day, or two at once, therefore
reminds nobody twice; the next day the sources decide again what is due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from servicedesk.notifications.services import notify

from .models import Reminder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """Something a source wants reminded today: one item, its kind (due/overdue) and who is told."""

    item_id: int
    kind: str
    recipients: tuple = ()
    title: str = ""
    body: str = ""
    url: str = ""


Source = Callable[[date], Iterable[Due]]
_sources: dict[str, Source] = {}


def reminder_source(item_type: str):
    """Register ``source(today)`` for ``item_type`` (at most 30 characters, unique across apps)."""
    if len(item_type) > 30:
        raise ValueError(f"reminder item type {item_type!r} is longer than 30 characters")

    def register(func: Source) -> Source:
        _sources[item_type] = func
        return func

    return register


def unregister_source(item_type: str) -> None:
    _sources.pop(item_type, None)


def registered_sources() -> dict[str, Source]:
    return dict(_sources)


def page_url(name: str, *args) -> str:
    """A link for a notification; empty when the page is not mounted in this deployment's URLconf."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _remind(item_type: str, due: Due, recipient, today: date) -> bool:
    """Claim (item, day, recipient), then record the notification; False if already reminded."""
    with transaction.atomic():
        try:
            # The claim comes first and in its own savepoint: losing the race leaves no trace.
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    item_type=item_type, item_id=due.item_id, day=today, recipient=recipient, kind=due.kind
                )
        except IntegrityError:
            return False
        note = notify(
            recipient=recipient,
            kind=f"reminder_{item_type}_{due.kind}",
            title=due.title,
            body=due.body,
            url=due.url,
            key=f"reminder:{item_type}:{due.item_id}:{today.isoformat()}",
        )
        Reminder.objects.filter(pk=reminder.pk).update(notification=note)
    return True


def send_due_reminders(*, today: date | None = None, only: Iterable[str] | None = None) -> dict[str, int]:
    """Send today's reminders of every registered source (or of ``only`` those). Returns how many were sent, per type."""
    today = today or timezone.localdate()
    wanted = set(only) if only is not None else None
    sent: dict[str, int] = {}
    for item_type, source in registered_sources().items():
        if wanted is not None and item_type not in wanted:
            continue
        # One query for what was already sent today, so a second run costs reads, not savepoints.
        already = set(Reminder.objects.filter(item_type=item_type, day=today).values_list("item_id", "recipient_id"))
        count = 0
        for due in source(today):
            seen = set()
            for recipient in due.recipients:
                if recipient is None or recipient.pk in seen or not recipient.is_active:
                    continue
                seen.add(recipient.pk)
                if (due.item_id, recipient.pk) in already:
                    continue
                if _remind(item_type, due, recipient, today):
                    count += 1
        sent[item_type] = count
        log.info("reminders %s on %s: %d sent", item_type, today, count)
    return sent
