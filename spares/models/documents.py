"""Warehouse documents: the reasons for stock moves."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.tracking import audited
from servicedesk.clocks.models import Clock

from .catalogue import MONEY, POSITIVE, QTY, Location, Part


class DocumentLine(models.Model):
    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")
    qty = models.DecimalField(_("quantity"), validators=POSITIVE, **QTY)

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self):
        return f"{self.part.number} × {self.qty}"


@audited
class Receipt(models.Model):
    """入库单 — parts received into a warehouse or station from a supplier, with its delivery note."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    location = models.ForeignKey(Location, verbose_name=_("received into"), on_delete=models.PROTECT, related_name="+")
    supplier = models.CharField(_("supplier"), max_length=100)
    delivery_note = models.CharField(_("delivery note"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"))
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reversed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reversal_reason = models.CharField(_("reversal reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return self.number


@audited
class ReceiptLine(DocumentLine):
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    unit_price = models.DecimalField(_("unit price (CNY)"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY)

    class Meta(DocumentLine.Meta):
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")
        constraints = [
            models.CheckConstraint(condition=Q(qty__gt=0), name="spares_receiptline_qty_positive"),
            models.UniqueConstraint(fields=["receipt", "part"], name="spares_receiptline_part_once"),
        ]


@audited
class Transfer(models.Model):
    """调拨单 — stock sent from one location to another (e.g. central warehouse → a station)."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    from_location = models.ForeignKey(Location, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+")
    to_location = models.ForeignKey(Location, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+")
    shipping_ref = models.CharField(_("shipping reference"), max_length=60, blank=True)
    postage = models.DecimalField(_("postage (CNY)"), default=Decimal("0"), validators=[MinValueValidator(0)], **MONEY)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("posted at"))

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_location=models.F("to_location")), name="spares_transfer_two_locations"),
        ]

    def __str__(self):
        return self.number


@audited
class TransferLine(DocumentLine):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        verbose_name = _("transfer line")
        verbose_name_plural = _("transfer lines")
        constraints = [
            models.CheckConstraint(condition=Q(qty__gt=0), name="spares_transferline_qty_positive"),
            models.UniqueConstraint(fields=["transfer", "part"], name="spares_transferline_part_once"),
        ]


@audited
class Requisition(models.Model):
    """领料单 — a request to take parts from stock, approved by a leader before the keeper issues it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        ISSUED = "issued", _("Issued")
        CANCELLED = "cancelled", _("Cancelled")

    ALLOWED_TRANSITIONS = {
        Status.SUBMITTED: {Status.APPROVED, Status.REJECTED, Status.CANCELLED},
        Status.APPROVED: {Status.ISSUED, Status.CANCELLED},
        Status.REJECTED: set(),
        Status.ISSUED: set(),
        Status.CANCELLED: set(),
    }

    number = models.CharField(_("number"), max_length=30, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    from_location = models.ForeignKey(Location, verbose_name=_("issue from"), on_delete=models.PROTECT, related_name="+")
    to_location = models.ForeignKey(Location, verbose_name=_("issue to"), on_delete=models.PROTECT, related_name="+")
    work_order_ref = models.CharField(_("work order"), max_length=60, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.CharField(_("rejection reason"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cancelled by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_location=models.F("to_location")), name="spares_requisition_two_locations"),
        ]

    def __str__(self):
        return self.number


@audited
class RequisitionLine(DocumentLine):
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        verbose_name = _("requisition line")
        verbose_name_plural = _("requisition lines")
        constraints = [
            models.CheckConstraint(condition=Q(qty__gt=0), name="spares_requisitionline_qty_positive"),
            models.UniqueConstraint(fields=["requisition", "part"], name="spares_requisitionline_part_once"),
        ]


@audited
class StockReturn(models.Model):
    """退料单 — unused parts brought back to the store (at most what the requisition issued)."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    requisition = models.ForeignKey(
        Requisition, verbose_name=_("requisition"), on_delete=models.PROTECT, null=True, blank=True, related_name="returns"
    )
    from_location = models.ForeignKey(Location, verbose_name=_("returned from"), on_delete=models.PROTECT, related_name="+")
    to_location = models.ForeignKey(Location, verbose_name=_("returned to"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("posted at"))

    class Meta:
        verbose_name = _("return of unused parts")
        verbose_name_plural = _("returns of unused parts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_location=models.F("to_location")), name="spares_return_two_locations"),
        ]

    def __str__(self):
        return self.number


@audited
class StockReturnLine(DocumentLine):
    stock_return = models.ForeignKey(StockReturn, on_delete=models.CASCADE, related_name="lines")

    class Meta(DocumentLine.Meta):
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        constraints = [
            models.CheckConstraint(condition=Q(qty__gt=0), name="spares_returnline_qty_positive"),
            models.UniqueConstraint(fields=["stock_return", "part"], name="spares_returnline_part_once"),
        ]


@audited
class OldPartReturn(models.Model):
    """旧件返还 — a defective part taken out of a customer's unit, handed in to an old-parts store."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("In the old-parts store")
        DISPOSED = "disposed", _("Disposed of")
        CLAIMED = "claimed", _("Claimed from the supplier")

    number = models.CharField(_("number"), max_length=30, unique=True)
    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")
    qty = models.DecimalField(_("quantity"), validators=POSITIVE, **QTY)
    location = models.ForeignKey(Location, verbose_name=_("old-parts store"), on_delete=models.PROTECT, related_name="+")
    work_order_ref = models.CharField(_("work order"), max_length=60)
    work_order_id = models.BigIntegerField(_("work order id"), null=True, blank=True)
    unit_serial = models.CharField(_("unit serial number"), max_length=60, blank=True)
    fault = models.CharField(_("fault"), max_length=200, blank=True)
    is_warranty = models.BooleanField(_("warranty part (三包件)"), default=False)
    returned_by = models.ForeignKey(
        "org.Staff", verbose_name=_("returned by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)

    class Meta:
        verbose_name = _("old-part return")
        verbose_name_plural = _("old-part returns")
        ordering = ["-received_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(qty__gt=0), name="spares_oldpart_qty_positive")]

    def __str__(self):
        return self.number


@audited
class WriteOff(models.Model):
    """销帐单 — parts taken off the books: a warranty part (三包件) used on a signed repair, or damaged stock.

    A warranty write-off stands only on a signed service report and the old part handed back for
    it; the database refuses one without them.
    """

    class Kind(models.TextChoices):
        WARRANTY = "warranty", _("Warranty part (三包件)")
        DAMAGED = "damaged", _("Damaged or lost")
        OTHER = "other", _("Other")

    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    location = models.ForeignKey(Location, verbose_name=_("written off at"), on_delete=models.PROTECT, related_name="+")
    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")
    qty = models.DecimalField(_("quantity"), validators=POSITIVE, **QTY)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    work_order_ref = models.CharField(_("work order"), max_length=60, blank=True)
    work_order_id = models.BigIntegerField(_("work order id"), null=True, blank=True)
    service_report_ref = models.CharField(_("service report"), max_length=60, blank=True)
    service_report_signed = models.BooleanField(_("service report signed"), default=False)
    old_part_return = models.OneToOneField(
        OldPartReturn, verbose_name=_("old-part return"), on_delete=models.PROTECT, null=True, blank=True, related_name="write_off"
    )
    shipping_ref = models.CharField(_("shipping reference"), max_length=60, blank=True)
    postage = models.DecimalField(_("postage (CNY)"), default=Decimal("0"), validators=[MinValueValidator(0)], **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("posted at"))

    class Meta:
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(qty__gt=0), name="spares_writeoff_qty_positive"),
            models.CheckConstraint(condition=Q(postage__gte=0), name="spares_writeoff_postage_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="warranty")
                | (Q(service_report_signed=True, old_part_return__isnull=False) & ~Q(service_report_ref="")),
                name="spares_warranty_writeoff_needs_report_and_old_part",
            ),
        ]

    def __str__(self):
        return self.number


@audited
class OldPartBatch(models.Model):
    """旧件处理单 — the monthly processing of an old-parts store: each old part disposed of or claimed
    from the supplier (二次索赔)."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    location = models.ForeignKey(Location, verbose_name=_("old-parts store"), on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("month"), help_text=_("First day of the month processed."))
    supplier = models.CharField(_("supplier"), max_length=100, blank=True)
    shipping_ref = models.CharField(_("shipping reference"), max_length=60, blank=True)
    postage = models.DecimalField(_("postage (CNY)"), default=Decimal("0"), validators=[MinValueValidator(0)], **MONEY)
    note = models.TextField(_("note"), blank=True)
    processed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("processed by"), on_delete=models.PROTECT, related_name="+")
    processed_at = models.DateTimeField(_("processed at"))

    class Meta:
        verbose_name = _("old-part processing")
        verbose_name_plural = _("old-part processing")
        ordering = ["-processed_at", "-pk"]

    def __str__(self):
        return self.number


@audited
class OldPartBatchLine(models.Model):
    class Action(models.TextChoices):
        DISPOSE = "dispose", _("Dispose of")
        CLAIM = "claim", _("Claim from the supplier")

    batch = models.ForeignKey(OldPartBatch, on_delete=models.CASCADE, related_name="lines")
    old_part_return = models.OneToOneField(
        OldPartReturn, verbose_name=_("old-part return"), on_delete=models.PROTECT, related_name="batch_line"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    claim_amount = models.DecimalField(_("claim amount (CNY)"), default=Decimal("0"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        verbose_name = _("old-part processing line")
        verbose_name_plural = _("old-part processing lines")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.old_part_return} → {self.get_action_display()}"


@audited
class StockTake(models.Model):
    """盘点单 — a count of a location's shelves: variance against the books, approved, then adjusted."""

    class Status(models.TextChoices):
        COUNTING = "counting", _("Counting")
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved and adjusted")
        CANCELLED = "cancelled", _("Cancelled")

    ALLOWED_TRANSITIONS = {
        Status.COUNTING: {Status.SUBMITTED, Status.CANCELLED},
        Status.SUBMITTED: {Status.APPROVED, Status.COUNTING, Status.CANCELLED},
        Status.APPROVED: set(),
        Status.CANCELLED: set(),
    }

    number = models.CharField(_("number"), max_length=30, unique=True)
    location = models.ForeignKey(Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.COUNTING, db_index=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("started at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock-take")
        verbose_name_plural = _("stock-takes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open count per location: two sheets adjusting the same shelves would double the variance.
            models.UniqueConstraint(
                fields=["location"], condition=Q(status__in=["counting", "submitted"]), name="spares_one_open_stocktake_per_location"
            ),
        ]

    def __str__(self):
        return self.number


@audited
class StockTakeLine(models.Model):
    stock_take = models.ForeignKey(StockTake, on_delete=models.CASCADE, related_name="lines")
    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")
    book_qty = models.DecimalField(
        _("on the books"), null=True, blank=True, help_text=_("The books at the moment of counting."), **QTY
    )
    counted_qty = models.DecimalField(_("counted"), null=True, blank=True, validators=[MinValueValidator(0)], **QTY)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock-take line")
        verbose_name_plural = _("stock-take lines")
        ordering = ["part__number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["stock_take", "part"], name="spares_stocktakeline_part_once"),
            models.CheckConstraint(condition=Q(counted_qty__isnull=True) | Q(counted_qty__gte=0), name="spares_count_not_negative"),
        ]

    def __str__(self):
        return f"{self.part.number}: {self.counted_qty}"

    @property
    def variance(self) -> Decimal | None:
        """Counted minus the books (positive = more on the shelf than on the books)."""
        if self.counted_qty is None or self.book_qty is None:
            return None
        return self.counted_qty - self.book_qty


@audited
class OutOfStockRegistration(models.Model):
    """缺货登记 — a customer waits for a part we do not have; he must hear from us again within the
    reply period (default 7 days)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a reply")
        REPLIED = "replied", _("Replied")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=30, unique=True)
    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    part_description = models.CharField(
        _("part wanted"), max_length=200, blank=True, help_text=_("When the part is not in the catalogue.")
    )
    qty = models.DecimalField(_("quantity"), default=Decimal("1"), validators=POSITIVE, **QTY)
    station = models.ForeignKey(
        "org.Station", verbose_name=_("service station"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    customer_name = models.CharField(_("customer"), max_length=100)
    customer_phone = models.CharField(_("customer phone"), max_length=30)
    work_order_ref = models.CharField(_("work order"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered at"))
    reply_due_at = models.DateTimeField(_("reply due"))
    remind_at = models.DateTimeField(_("remind at"))
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("replied by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reply_note = models.TextField(_("reply"), blank=True)

    class Meta:
        verbose_name = _("out-of-stock registration")
        verbose_name_plural = _("out-of-stock registrations")
        ordering = ["-registered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(part__isnull=False) | ~Q(part_description=""), name="spares_outofstock_names_a_part"
            ),
            models.CheckConstraint(condition=Q(qty__gt=0), name="spares_outofstock_qty_positive"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.reply_due_at < timezone.now()


class OutOfStockClock(Clock):
    """缺货回复时限 — the reply clock of one out-of-stock registration, run by the shared clock sweep:
    its warning is the reminder before the reply is due, its breach the reply overdue."""

    registration = models.OneToOneField(
        OutOfStockRegistration, verbose_name=_("out-of-stock registration"), on_delete=models.CASCADE, related_name="clock"
    )

    class Meta:
        verbose_name = _("out-of-stock reply clock")
        verbose_name_plural = _("out-of-stock reply clocks")
        indexes = [
            models.Index(fields=["next_fire_at"], name="spares_oos_clock_due_idx", condition=Q(next_fire_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.registration_id} {self.target_code}"
