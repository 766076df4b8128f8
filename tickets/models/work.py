"""Work orders (服务工作单 / 服务报告 / 修护卡), the price list they draw on, and what happens to them:
service items, parts, old parts, photos, the customer's signature and its seal, carry-in repairs
(携回修护) and compensation requests (产品质量处理核销申报表).

Signed means frozen: PostgreSQL triggers refuse any change to a signed order's content, its lines,
photos and signature, whoever sends the SQL; only the review (status signed → closed and the
reviewer's columns) may still be written. A superuser who switches the triggers off is caught by
the seal verification (:mod:`tickets.sealing`).
"""

from __future__ import annotations

from decimal import Decimal

import pgtrigger

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.tracking import audited

MONEY = {"max_digits": 12, "decimal_places": 2}

# Columns of a signed order that the review may still write; everything else is frozen.
REVIEW_COLUMNS = ("status", "reviewed_by_id", "reviewed_at", "review_comment", "closed_at")

_FROZEN_ORDER_CONDITION = (
    "OLD.signed_at IS NOT NULL AND ("
    "NEW.status NOT IN ('signed', 'closed') OR "
    "(to_jsonb(OLD) - " + " - ".join(f"'{c}'" for c in REVIEW_COLUMNS) + ") IS DISTINCT FROM "
    "(to_jsonb(NEW) - " + " - ".join(f"'{c}'" for c in REVIEW_COLUMNS) + "))"
)

# Lines, photos and the signature of a signed order can be neither added, changed nor removed.
_FROZEN_CHILD_FUNC = """
DECLARE
    order_pk bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        order_pk := OLD.order_id;
    ELSE
        order_pk := NEW.order_id;
    END IF;
    IF EXISTS (SELECT 1 FROM tickets_workorder WHERE id = order_pk AND signed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'work order % is signed: its content is frozen', order_pk
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.order_id IS DISTINCT FROM NEW.order_id THEN
        IF EXISTS (SELECT 1 FROM tickets_workorder WHERE id = OLD.order_id AND signed_at IS NOT NULL) THEN
            RAISE EXCEPTION 'work order % is signed: its content is frozen', OLD.order_id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
"""


def frozen_with_order(name: str) -> pgtrigger.Trigger:
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=_FROZEN_CHILD_FUNC,
    )


@audited
class ServiceItem(models.Model):
    """有偿服务收费标准 — one line of the price list: what is done, its price, its procedure and check."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit of charge"), max_length=10, default="次")
    price = models.DecimalField(_("price (CNY)"), validators=[MinValueValidator(Decimal("0"))], **MONEY)
    product_lines = models.ManyToManyField(
        "org.ProductLine", verbose_name=_("product lines"), blank=True, related_name="service_items",
        help_text=_("Empty: offered for every product line."),
    )
    checklist = models.JSONField(
        _("procedure checklist"), default=list, blank=True,
        help_text=_("The standard steps, in order (one text per step)."),
    )
    acceptance_check = models.TextField(_("acceptance check"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("price list")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(price__gte=0), name="service_item_price_not_negative")]

    def __str__(self):
        return f"{self.code} {self.name}"


@audited
class WorkOrder(models.Model):
    """服务工作单 / 派工单 — the job a service request becomes, assigned to one technician and
    carried on his tablet from acceptance to the customer's signature and the supervisor's review."""

    class Status(models.TextChoices):
        DISPATCHED = "dispatched", _("Dispatched")
        ACCEPTED = "accepted", _("Accepted")
        CONFIRMED = "confirmed", _("Appointment confirmed")
        ARRIVED = "arrived", _("Arrived")
        IN_PROGRESS = "in_progress", _("In progress")
        ON_HOLD = "on_hold", _("On hold")
        CARRIED_IN = "carried_in", _("Carried in for repair")
        COMPLETED = "completed", _("Completed")
        SIGNED = "signed", _("Signed by the customer")
        CLOSED = "closed", _("Reviewed and closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Category(models.TextChoices):
        PAID = "A", _("A · Paid service")
        CONTRACT = "B", _("B · Contract service")
        FREE = "C", _("C · Free / warranty service")
        INTERNAL = "D", _("D · Internal work")

    class Responsibility(models.TextChoices):
        UNKNOWN = "", _("Not determined")
        PRODUCT = "product", _("Product quality")
        INSTALLATION = "installation", _("Installation")
        USE = "use", _("Customer's use")
        ENVIRONMENT = "environment", _("Environment (power, water, gas)")
        OTHER = "other", _("Other")

    class Payment(models.TextChoices):
        NONE = "", _("Nothing to pay")
        CASH = "cash", _("Cash on site (handed to the accountant)")
        MONTHLY = "monthly", _("Monthly settlement on the customer's statement")
        INVOICE = "invoice", _("Invoice")

    number = models.CharField(_("number"), max_length=24, unique=True)
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="work_orders")
    customer = models.ForeignKey("tickets.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="work_orders")
    technician = models.ForeignKey("org.Staff", verbose_name=_("technician"), on_delete=models.PROTECT, related_name="work_orders")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DISPATCHED, db_index=True)
    status_before_hold = models.CharField(_("status before hold"), max_length=20, choices=Status.choices, blank=True)
    hold_reason = models.TextField(_("why on hold"), blank=True)
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    category_reason = models.TextField(_("why this category"), blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"))
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dispatched by"), on_delete=models.PROTECT, related_name="+")
    dispatch_reasons = models.JSONField(_("dispatch reasons"), default=list, blank=True)
    service_date = models.DateField(_("service day"), db_index=True)

    # The way through the day (server times).
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_confirmed_at = models.DateTimeField(_("appointment confirmed at"), null=True, blank=True)
    # Month figures (timeliness, scorecards, statistics, billing) select by these two times.
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True, db_index=True)
    started_at = models.DateTimeField(_("work started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, db_index=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, db_index=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, db_index=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("why cancelled"), blank=True)

    # What was found and done (听、看、查).
    fault_reported = models.TextField(_("fault as reported"), blank=True)
    diag_listen = models.TextField(_("listen"), blank=True, help_text=_("What the customer says and what the unit sounds like."))
    diag_look = models.TextField(_("look"), blank=True)
    diag_check = models.TextField(_("check"), blank=True)
    running_time = models.CharField(_("running time or mileage"), max_length=50, blank=True)
    opened_before = models.BooleanField(_("opened before"), null=True, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    responsibility = models.CharField(_("responsibility"), max_length=20, choices=Responsibility.choices, blank=True)
    resolution = models.TextField(_("what was done"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    labour_minutes = models.PositiveIntegerField(_("labour (minutes)"), default=0)
    labour_charge = models.DecimalField(_("labour charge (CNY)"), default=0, **MONEY)

    # Money, agreed before the work starts (SPEC §6).
    price_confirmed_at = models.DateTimeField(_("price confirmed at"), null=True, blank=True)
    price_confirmed_amount = models.DecimalField(_("price confirmed with the customer (CNY)"), null=True, blank=True, **MONEY)
    total_charge = models.DecimalField(_("total charge (CNY)"), default=0, **MONEY)
    payment_method = models.CharField(_("payment"), max_length=10, choices=Payment.choices, blank=True)

    # What the customer signs is a snapshot: later edits of the customer file do not touch it.
    customer_name = models.CharField(_("customer (as signed)"), max_length=100, blank=True)
    service_address = models.CharField(_("service address (as signed)"), max_length=200, blank=True)
    unit_label = models.CharField(_("unit (as signed)"), max_length=120, blank=True)

    is_carry_in = models.BooleanField(_("carried in"), default=False)
    rework_of = models.ForeignKey(
        "self", verbose_name=_("rework of"), on_delete=models.PROTECT, null=True, blank=True, related_name="reworks"
    )
    supersedes = models.OneToOneField(
        "self", verbose_name=_("corrects"), on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by",
        help_text=_("A signed order is never edited: a correction is a new version linked to it."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)

    # The seal (tickets.sealing): digest of content + signature, HMAC-chained to the previous seal.
    seal_seq = models.PositiveBigIntegerField(_("seal number"), null=True, blank=True, unique=True)
    seal_digest = models.CharField(_("content digest"), max_length=64, blank=True)
    seal_previous = models.CharField(_("previous seal"), max_length=64, blank=True)
    seal_chain = models.CharField(_("seal"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-dispatched_at", "-pk"]
        indexes = [
            models.Index(fields=["technician", "service_date"], name="wo_tech_day_idx"),
            models.Index(fields=["technician", "status"], name="wo_tech_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | Q(seal_seq__isnull=False), name="wo_signed_has_seal"
            ),
            models.CheckConstraint(
                condition=Q(total_charge__gte=0) & Q(labour_charge__gte=0), name="wo_charges_not_negative"
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="wo_signed_frozen", operation=pgtrigger.Update, condition=pgtrigger.Condition(_FROZEN_ORDER_CONDITION)
            ),
            pgtrigger.Protect(
                name="wo_signed_not_deleted", operation=pgtrigger.Delete,
                condition=pgtrigger.Condition("OLD.signed_at IS NOT NULL"),
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.SIGNED, self.Status.CLOSED, self.Status.CANCELLED)


class WorkOrderLog(models.Model):
    """One step of a work order (accepted, arrived, signed …), who did it and when — append-only."""

    order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("kind"), max_length=30)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("work order step")
        verbose_name_plural = _("work order steps")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["order", "at"], name="wolog_order_idx"), models.Index(fields=["kind", "at"], name="wolog_kind_idx")]
        triggers = [pgtrigger.Protect(name="wolog_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"{self.order_id} {self.kind}"


@audited
class WorkOrderItem(models.Model):
    """A service item of the price list done on this order, with its checklist ticked off."""

    order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.PROTECT, related_name="items")
    service_item = models.ForeignKey(ServiceItem, verbose_name=_("service item"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    unit_price = models.DecimalField(_("unit price (CNY)"), **MONEY)
    qty = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2, default=1)
    chargeable = models.BooleanField(_("charged to the customer"), default=True)
    amount = models.DecimalField(_("amount charged (CNY)"), **MONEY)
    checklist_done = models.JSONField(_("steps done"), default=list, blank=True)
    acceptance_ok = models.BooleanField(_("acceptance check passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("service item done")
        verbose_name_plural = _("service items done")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(qty__gt=0) & Q(amount__gte=0) & Q(unit_price__gte=0), name="woitem_amounts_valid"),
        ]
        triggers = [frozen_with_order("woitem_frozen_after_signing")]

    def __str__(self):
        return f"{self.code} × {self.qty}"


@audited
class WorkOrderPart(models.Model):
    """A spare part fitted on this order, taken from a van or station through the stock ledger."""

    order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.PROTECT, related_name="parts")
    part = models.ForeignKey("spares.Part", verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey("spares.Location", verbose_name=_("taken from"), on_delete=models.PROTECT, related_name="+")
    qty = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(_("unit price (CNY)"), **MONEY)
    chargeable = models.BooleanField(_("charged to the customer"), default=True)
    is_warranty = models.BooleanField(_("warranty part (三包件)"), default=False)
    amount = models.DecimalField(_("amount charged (CNY)"), **MONEY)
    # A correction (new version of a signed order) lists the same physical part: same move.
    stock_move = models.ForeignKey("spares.StockMove", verbose_name=_("stock move"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("part used")
        verbose_name_plural = _("parts used")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(qty__gt=0) & Q(amount__gte=0), name="wopart_amounts_valid")]
        triggers = [frozen_with_order("wopart_frozen_after_signing")]

    def __str__(self):
        return f"{self.part_id} × {self.qty}"


@audited
class WorkOrderOldPart(models.Model):
    """旧件 — a defective part taken back from the customer, to be handed in to the old-parts store."""

    order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.PROTECT, related_name="old_parts")
    part = models.ForeignKey("spares.Part", verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")
    qty = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    is_warranty = models.BooleanField(_("warranty part (三包件)"), default=False)
    note = models.CharField(_("fault / condition"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("old part taken back")
        verbose_name_plural = _("old parts taken back")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(qty__gt=0), name="wooldpart_qty_positive")]
        triggers = [frozen_with_order("wooldpart_frozen_after_signing")]

    def __str__(self):
        return f"{self.part_id} × {self.qty}"


def photo_path(instance, filename):
    # Never under a public URL: files are served by a view that checks the permission.
    return f"work_orders/{instance.order_id}/{instance.sha256}.jpg"


@audited
class WorkOrderPhoto(models.Model):
    """A photo of the unit or the work, downscaled on the tablet, checked and hashed on the server."""

    order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.PROTECT, related_name="photos")
    image = models.FileField(_("image"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(_("type"), max_length=30)
    size = models.PositiveIntegerField(_("size (bytes)"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    client_id = models.CharField(_("upload id"), max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("work order photo")
        verbose_name_plural = _("work order photos")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "sha256"], name="uniq_photo_per_order"),
        ]
        triggers = [frozen_with_order("wophoto_frozen_after_signing")]

    def __str__(self):
        return f"{self.order_id} {self.sha256[:12]}"


class WorkOrderSignature(models.Model):
    """The customer's signature on the completed order (server time is the signing time; the
    tablet's clock is kept for information). Written once, never changed (database trigger)."""

    order = models.OneToOneField(WorkOrder, verbose_name=_("work order"), on_delete=models.PROTECT, related_name="signature")
    image = models.BinaryField(_("signature image (PNG)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    printed_name = models.CharField(_("customer's printed name"), max_length=50)
    meaning = models.TextField(_("what the signature means"))
    client_id = models.CharField(_("submission id"), max_length=64)
    device_signed_at = models.DateTimeField(_("time on the tablet"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    signed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tablet user"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("customer signature")
        verbose_name_plural = _("customer signatures")
        triggers = [pgtrigger.Protect(name="wosignature_write_once", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"{self.order_id} {self.printed_name}"


# --- carry-in repairs (携回修护) ---------------------------------------------------------------


@audited
class CarryIn(models.Model):
    """客户商品领取收据 + 修护卡 — a unit taken back to the workshop, from the pickup receipt to its return."""

    class Status(models.TextChoices):
        TAKEN = "taken", _("Taken in (receipt issued)")
        IN_REPAIR = "in_repair", _("In repair")
        REPAIRED = "repaired", _("Repaired, waiting for inspection")
        AT_FACTORY = "at_factory", _("Sent back to the factory")
        READY = "ready", _("Inspected, waiting for collection")
        SHIP = "ship", _("To be shipped to the customer")
        RETURNED = "returned", _("Returned to the customer")
        SHIPPED = "shipped", _("Shipped to the customer")

    number = models.CharField(_("receipt number"), max_length=24, unique=True)
    order = models.OneToOneField(WorkOrder, verbose_name=_("work order"), on_delete=models.PROTECT, related_name="carry_in")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.TAKEN, db_index=True)
    goods = models.CharField(_("goods taken"), max_length=200, help_text=_("Unit, model, serial number."))
    accessories = models.CharField(_("accessories taken"), max_length=200, blank=True)
    condition = models.TextField(_("condition when taken"), blank=True)
    taken_at = models.DateTimeField(_("taken at"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("taken by"), on_delete=models.PROTECT, related_name="+")
    # 修护卡 (repair tag)
    repair_started_at = models.DateTimeField(_("repair started at"), null=True, blank=True)
    repair_finished_at = models.DateTimeField(_("repair finished at"), null=True, blank=True)
    repair_minutes = models.PositiveIntegerField(_("actual repair time (minutes)"), default=0)
    repair_notes = models.TextField(_("repair notes"), blank=True)
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspected by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    inspection_notes = models.TextField(_("inspection notes"), blank=True)
    ready_at = models.DateTimeField(_("ready for collection since"), null=True, blank=True, db_index=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    receipt_voided_at = models.DateTimeField(_("receipt voided at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    shipping_note = models.CharField(_("shipping note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("carry-in repair")
        verbose_name_plural = _("carry-in repairs")
        ordering = ["-taken_at", "-pk"]

    def __str__(self):
        return self.number


class GoodsRegisterEntry(models.Model):
    """客户商品进出登记簿 — one line of the goods in/out register (append-only)."""

    class Direction(models.TextChoices):
        IN = "in", _("In")
        OUT = "out", _("Out")

    carry_in = models.ForeignKey(CarryIn, verbose_name=_("carry-in repair"), on_delete=models.PROTECT, related_name="register")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("goods register entry")
        verbose_name_plural = _("goods in/out register")
        ordering = ["at", "pk"]
        triggers = [pgtrigger.Protect(name="goodsregister_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"{self.carry_in_id} {self.direction} {self.at:%Y-%m-%d}"


class CollectionReminder(models.Model):
    """A notice to collect a repaired unit; (carry-in, number) is unique, so each is sent once."""

    carry_in = models.ForeignKey(CarryIn, verbose_name=_("carry-in repair"), on_delete=models.PROTECT, related_name="reminders")
    seq = models.PositiveSmallIntegerField(_("notice number"))
    due_at = models.DateTimeField(_("due at"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("collection reminder")
        verbose_name_plural = _("collection reminders")
        ordering = ["carry_in", "seq"]
        constraints = [models.UniqueConstraint(fields=["carry_in", "seq"], name="uniq_collection_reminder")]

    def __str__(self):
        return f"{self.carry_in_id} #{self.seq}"


@audited
class FactoryReturn(models.Model):
    """返厂申请 — sending a carried-in unit back to the factory needs an application and approval."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        BACK = "back", _("Back from the factory")

    carry_in = models.ForeignKey(CarryIn, verbose_name=_("carry-in repair"), on_delete=models.PROTECT, related_name="factory_returns")
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("return-to-factory request")
        verbose_name_plural = _("return-to-factory requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["carry_in"], condition=Q(status__in=["requested", "approved"]), name="uniq_open_factory_return"
            ),
        ]

    def __str__(self):
        return f"{self.carry_in_id} {self.status}"


# --- compensation (产品质量处理核销申报表) ---------------------------------------------------------


@audited
class Compensation(models.Model):
    """A compensation for damage or a quality problem: the manager approves up to the threshold
    (and finance is told), the general manager above it."""

    class Kind(models.TextChoices):
        DAMAGE = "damage", _("Damage caused by the service")
        QUALITY = "quality", _("Product quality problem")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Approver(models.TextChoices):
        MANAGER = "manager", _("Manager")
        GENERAL_MANAGER = "general_manager", _("General manager")

    number = models.CharField(_("number"), max_length=24, unique=True)
    order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.PROTECT, related_name="compensations")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    reason = models.TextField(_("what happened"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    approver_role = models.CharField(_("approved by"), max_length=20, choices=Approver.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    finance_notified_at = models.DateTimeField(_("finance told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")
        ordering = ["-requested_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="compensation_amount_positive")]

    def __str__(self):
        return self.number
