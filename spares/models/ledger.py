"""The stock ledger: balances, append-only moves, and API idempotency records."""

from __future__ import annotations

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.tracking import audited

from .catalogue import QTY, Location, Part


@audited
class StockBalance(models.Model):
    """库存 — on-hand of one part at one location; always equals the sum of its moves (帐物一致)."""

    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="balances")
    location = models.ForeignKey(Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="balances")
    qty = models.DecimalField(_("on hand"), default=Decimal("0"), **QTY)
    low_stock_alerted = models.BooleanField(
        _("low-stock alert sent"), default=False, help_text=_("Set when an alert went out; cleared when stock is back.")
    )

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        # Location first: the on-hand page of one location is an index range scan.
        constraints = [
            models.UniqueConstraint(fields=["location", "part"], name="spares_one_balance_per_part_location"),
            models.CheckConstraint(condition=Q(qty__gte=0), name="spares_balance_never_negative"),
        ]
        indexes = [models.Index(fields=["part", "location"], name="spares_balance_part_idx")]
        triggers = [
            # A balance row, once created, lives as long as its part and location: zero is a quantity too.
            pgtrigger.Protect(name="spares_balance_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.part} @ {self.location}: {self.qty}"


class StockMove(models.Model):
    """库存流水 — one change of quantity: a part moved from a location, to a location, or between two.

    Append-only: the database refuses UPDATE and DELETE (pgtrigger), so the ledger is its own audit
    trail — who (``actor``), when (server time) and why (``reference`` and the document). A mistake
    is corrected by a reversing move (``reverses``), at most once per move.
    """

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        TRANSFER = "transfer", _("Transfer")
        ISSUE = "issue", _("Requisition issue")
        USE = "use", _("Use on work order")
        RETURN = "return", _("Return of unused")
        OLD_PART = "old_part", _("Old-part return")
        WRITE_OFF = "write_off", _("Write-off")
        ADJUSTMENT = "adjustment", _("Stock-take adjustment")
        SUPPLIER_CLAIM = "supplier_claim", _("Supplier claim")
        REVERSAL = "reversal", _("Reversal")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="moves")
    qty = models.DecimalField(_("quantity"), **QTY)
    from_location = models.ForeignKey(
        Location, verbose_name=_("from"), on_delete=models.PROTECT, null=True, blank=True, related_name="moves_out"
    )
    to_location = models.ForeignKey(
        Location, verbose_name=_("to"), on_delete=models.PROTECT, null=True, blank=True, related_name="moves_in"
    )
    reference = models.CharField(_("reference document"), max_length=60, db_index=True)
    document_type = models.CharField(_("document type"), max_length=30, blank=True)
    document_id = models.BigIntegerField(_("document id"), null=True, blank=True)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    # Server time, never from input: no back-dated postings (the root of ERPNext's repost machinery).
    posted_at = models.DateTimeField(_("posted at"), editable=False)
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["-posted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(qty__gt=0), name="spares_move_qty_positive"),
            models.CheckConstraint(condition=~Q(reference=""), name="spares_move_has_reference"),
            models.CheckConstraint(
                condition=Q(from_location__isnull=False) | Q(to_location__isnull=False), name="spares_move_has_a_location"
            ),
            models.CheckConstraint(
                condition=Q(from_location__isnull=True) | Q(to_location__isnull=True) | ~Q(from_location=models.F("to_location")),
                name="spares_move_not_to_same_location",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["receipt", "old_part"], from_location__isnull=True)
                    | Q(kind__in=["use", "write_off", "supplier_claim"], to_location__isnull=True)
                    | Q(kind__in=["transfer", "issue", "return"], from_location__isnull=False, to_location__isnull=False)
                    | Q(kind__in=["adjustment", "reversal"], from_location__isnull=True)
                    | Q(kind__in=["adjustment", "reversal"], to_location__isnull=True)
                ),
                name="spares_move_direction_fits_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["part", "-posted_at"], name="spares_move_part_time_idx"),
            models.Index(fields=["document_type", "document_id"], name="spares_move_document_idx"),
        ]
        triggers = [
            pgtrigger.Protect(name="spares_move_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.part.number} × {self.qty} ({self.reference})"


class IdempotencyKey(models.Model):
    """A mutating API call made with an ``Idempotency-Key`` header and the answer it got.

    Claimed in the same transaction as the operation: a retry that arrives while the first call
    runs waits on the unique index, then replays the stored answer; if the first call failed, the
    claim rolled back with it and the retry runs for real.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="spares_idempotency_key_per_user")]

    def __str__(self):
        return self.key
