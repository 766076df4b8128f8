"""In-app notifications, each optionally e-mailed — recorded once and sent once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """通知 — something a user must know; ``key`` makes delivering it twice impossible."""

    class EmailStatus(models.TextChoices):
        NOT_WANTED = "not_wanted", _("Not e-mailed")
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NO_ADDRESS = "no_address", _("No e-mail address")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(
        _("idempotency key"),
        max_length=200,
        help_text=_("The same key for the same recipient is delivered only once."),
    )
    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail status"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.NOT_WANTED
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_claimed_at = models.DateTimeField(_("e-mail claimed at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_error = models.TextField(_("e-mail error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="uniq_notification_key")]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notif_inbox_idx"),
            models.Index(fields=["email_status", "email_claimed_at"], name="notif_email_queue_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
