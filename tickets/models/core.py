"""Customers and what they own: 客户档案, 服务凭证 (installed units) and 保养合同 (service contracts);
tickets (来电来函), their contact log and SLA clocks.

"""

from __future__ import annotations

from datetime import date, timedelta

import pgtrigger

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.tracking import audited
from servicedesk.clocks.models import Clock, ClockKind
from servicedesk.core.validators import validate_phone
from servicedesk.org.models import Zone


@audited
class Customer(models.Model):
    """客户档案 — an organisation or person we serve, with its zone and owning technician."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        INDIVIDUAL = "individual", _("Individual")
        DISTRIBUTOR = "distributor", _("Distributor")
        USER_UNIT = "user_unit", _("User unit")
        PUBLIC_AUTHORITY = "public_authority", _("Public authority")
        PROPERTY_OWNER = "property_owner", _("Property owner")

    name = models.CharField(_("name"), max_length=100, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    phone = models.CharField(_("phone"), max_length=30, validators=[validate_phone], db_index=True)
    address = models.CharField(_("address"), max_length=200)
    building_room = models.CharField(
        _("building / room"), max_length=50, blank=True, help_text=_("For property owners: building and room number.")
    )
    zone = models.CharField(_("zone"), max_length=20, choices=Zone.choices)
    distance_km = models.DecimalField(_("distance (km)"), max_digits=7, decimal_places=1, default=0)
    station = models.ForeignKey(
        "org.Station", verbose_name=_("service station"), on_delete=models.PROTECT, related_name="customers"
    )
    is_key = models.BooleanField(_("key customer"), default=False, db_index=True)
    owner = models.ForeignKey(
        "org.Staff",
        verbose_name=_("owning technician"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_customers",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(distance_km__gte=0), name="customer_distance_not_negative"),
        ]

    def __str__(self):
        return self.name


@audited
class Contact(models.Model):
    """联系人 — a person to call at the customer."""

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, validators=[validate_phone], db_index=True)
    title = models.CharField(_("position"), max_length=50, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self):
        return f"{self.name} {self.phone}"


@audited
class Unit(models.Model):
    """服务凭证 — an installed unit, created at sale; its service history hangs off it."""

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="units")
    product_line = models.ForeignKey(
        "org.ProductLine", verbose_name=_("product line"), on_delete=models.PROTECT, related_name="units"
    )
    model = models.CharField(_("model"), max_length=50)
    serial_number = models.CharField(_("serial number"), max_length=50, unique=True)
    purchase_date = models.DateField(_("purchase date"))
    purchase_place = models.CharField(_("purchase place"), max_length=100, blank=True)
    install_date = models.DateField(_("install date"), null=True, blank=True)
    warranty_start = models.DateField(_("warranty start"))
    warranty_end = models.DateField(_("warranty end"))

    class Meta:
        verbose_name = _("installed unit")
        verbose_name_plural = _("installed units")
        ordering = ["serial_number"]
        constraints = [
            models.CheckConstraint(condition=Q(warranty_end__gte=models.F("warranty_start")), name="unit_warranty_period_valid"),
        ]

    def __str__(self):
        return f"{self.model} {self.serial_number}"

    def in_warranty(self, on: date) -> bool:
        return self.warranty_start <= on <= self.warranty_end


@audited
class Contract(models.Model):
    """保养合同 / 年费合同 — a maintenance or annual-fee contract covering some of a customer's units."""

    class Kind(models.TextChoices):
        MAINTENANCE = "maintenance", _("Maintenance contract")
        ANNUAL_FEE = "annual_fee", _("Annual-fee contract")

    class FeeStatus(models.TextChoices):
        UNPAID = "unpaid", _("Unpaid")
        PARTIAL = "partial", _("Partly paid")
        PAID = "paid", _("Paid")

    number = models.CharField(_("number"), max_length=30, unique=True)
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="contracts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MAINTENANCE)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), db_index=True)
    units = models.ManyToManyField(Unit, verbose_name=_("covered units"), blank=True, related_name="contracts")
    annual_fee = models.DecimalField(_("annual fee (CNY)"), max_digits=12, decimal_places=2, default=0)
    fee_status = models.CharField(_("fee status"), max_length=10, choices=FeeStatus.choices, default=FeeStatus.UNPAID)
    fee_paid = models.DecimalField(_("fee paid (CNY)"), max_digits=12, decimal_places=2, default=0)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        ordering = ["-end_date", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="contract_period_valid"),
            models.CheckConstraint(condition=Q(annual_fee__gte=0) & Q(fee_paid__gte=0), name="contract_fee_not_negative"),
        ]

    def __str__(self):
        return self.number

    def is_active(self, on: date) -> bool:
        return self.start_date <= on <= self.end_date


@audited
class WarrantyPolicy(models.Model):
    """三包政策 — the warranty rules of one product line (SPEC §2 defaults)."""

    product_line = models.OneToOneField(
        "org.ProductLine", verbose_name=_("product line"), on_delete=models.CASCADE, related_name="warranty_policy"
    )
    return_days = models.PositiveSmallIntegerField(_("return within (days)"), default=7)
    exchange_days = models.PositiveSmallIntegerField(_("exchange within (days)"), default=30)
    repair_months = models.PositiveSmallIntegerField(_("free repair (months)"), default=12)
    accessory_months = models.PositiveSmallIntegerField(_("accessories free repair (months)"), default=6)
    repeat_fault_extension_months = models.PositiveSmallIntegerField(
        _("extension after a repeated same fault (months)"), default=2
    )
    post_repair_months = models.PositiveSmallIntegerField(_("same problem free after a repair (months)"), default=3)

    class Meta:
        verbose_name = _("warranty policy")
        verbose_name_plural = _("warranty policies")

    def __str__(self):
        return str(self.product_line)


class TicketChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Walk-in visit")
    LETTER = "letter", _("Letter")
    ONLINE = "online", _("Online")
    COMPLAINT_BOX = "complaint_box", _("Complaint box")
    MONITORING = "monitoring", _("Monitoring centre")
    REPAIR_CENTRE = "repair_centre", _("Repair centre")
    OTHER = "other", _("Other")


class TicketKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    COMPLAINT = "complaint", _("Complaint")
    SERVICE = "service", _("Service request")


class ServiceType(models.TextChoices):
    REPAIR = "repair", _("Repair")
    INSTALLATION = "installation", _("Installation")
    MAINTENANCE = "maintenance", _("Maintenance")
    SPECIAL = "special", _("Paid special service")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


@audited
class Ticket(models.Model):
    """叫修登记 / 来电来函 / 投诉 / 咨询 — one contact from a customer, registered at one desk."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        REPLIED = "replied", _("Replied")
        DISPATCHED = "dispatched", _("Dispatched")
        ON_HOLD = "on_hold", _("On hold")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class ComplaintClass(models.TextChoices):
        UNJUDGED = "", _("Not classified")
        VALID = "valid", _("Valid")
        INVALID = "invalid", _("Invalid")
        MAJOR = "major", _("Major")
        UNDETERMINED = "undetermined", _("Escalated: cannot judge")

    number = models.CharField(_("number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=TicketChannel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=TicketKind.choices, db_index=True)
    service_type = models.CharField(_("service type"), max_length=20, choices=ServiceType.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    status_before_hold = models.CharField(_("status before hold"), max_length=20, choices=Status.choices, blank=True)
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="tickets")
    unit = models.ForeignKey(Unit, verbose_name=_("installed unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="tickets")
    caller_name = models.CharField(_("caller"), max_length=50)
    caller_phone = models.CharField(_("caller phone"), max_length=30, validators=[validate_phone])
    address = models.CharField(_("service address"), max_length=200)
    description = models.TextField(_("request in the customer's words"))
    fault_code = models.CharField(_("fault"), max_length=100, blank=True, help_text=_("Short fault name, used to find repeated faults."))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    severity = models.CharField(_("severity"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    zone = models.CharField(_("zone"), max_length=20, choices=Zone.choices)
    station = models.ForeignKey("org.Station", verbose_name=_("service station"), on_delete=models.PROTECT, related_name="tickets")
    is_key_customer = models.BooleanField(_("key customer"), default=False)
    needs_manufacturer = models.BooleanField(_("needs the manufacturer"), default=False)
    appointment_at = models.DateTimeField(_("appointment wished"), null=True, blank=True)
    complaint_class = models.CharField(
        _("complaint classification"), max_length=20, choices=ComplaintClass.choices, blank=True, default=""
    )
    complaint_reason = models.TextField(_("classification reason"), blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    warranty_decision = models.CharField(_("warranty decision"), max_length=20, blank=True)
    warranty_reason = models.TextField(_("warranty reason"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="registered_tickets"
    )
    registered_at = models.DateTimeField(_("registered at"), db_index=True)
    first_replied_at = models.DateTimeField(_("first reply at"), null=True, blank=True)
    plan_given_at = models.DateTimeField(_("plan given at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("follow-up of"), on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups"
    )

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-registered_at", "-pk"]
        indexes = [
            models.Index(fields=["-registered_at", "-id"], name="ticket_newest_idx"),
            models.Index(fields=["status", "-registered_at"], name="ticket_status_idx"),
            models.Index(fields=["caller_phone"], name="ticket_phone_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="service") | Q(service_type=""), name="ticket_service_type_only_for_service"
            ),
            models.CheckConstraint(
                condition=Q(kind="complaint") | Q(complaint_class=""), name="ticket_class_only_for_complaints"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.CANCELLED)


class TicketLog(models.Model):
    """来电来函处理记录 — one contact or step on a ticket, kept forever (append-only)."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        CALL_IN = "call_in", _("Call from the customer")
        CALL_OUT = "call_out", _("Call to the customer")
        LETTER = "letter", _("Letter")
        REPLY = "reply", _("Reply to the customer")
        PROGRESS = "progress", _("Progress told to the customer")
        CLASSIFIED = "classified", _("Classified")
        ESCALATED = "escalated", _("Escalated")
        DISPATCHED = "dispatched", _("Dispatched")
        ON_HOLD = "on_hold", _("Put on hold")
        RESUMED = "resumed", _("Resumed")
        PLAN = "plan", _("Handling plan")
        CLOSED = "closed", _("Closed")
        NOTE = "note", _("Note")

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="log")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["ticket", "at"], name="ticketlog_ticket_idx")]
        triggers = [
            pgtrigger.Protect(name="ticketlog_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class SLATarget(models.TextChoices):
    FIRST_REPLY = "first_reply", _("First reply to the customer")
    ARRIVAL = "arrival", _("Arrival on site")
    PLAN = "plan", _("Reply with a plan")
    COMPLAINT_PLAN = "complaint_plan", _("Complaint handling plan")
    FOLLOW_UP_REPLY = "follow_up_reply", _("Reply after a dissatisfied callback")
    CARRY_IN = "carry_in", _("Carry-in repair completed")
    OUT_OF_STOCK = "out_of_stock", _("Reply to an out-of-stock registration")
    ON_SITE = "on_site", _("Time on site")


@audited
class SLAPolicy(models.Model):
    """时限标准 — one target for tickets of a kind/zone/priority, counted in working or calendar time.

    The most specific active row wins (a row naming the zone beats one for every zone, etc.).
    """

    class Condition(models.TextChoices):
        ALWAYS = "", _("Always")
        WITHIN_RADIUS = "within_radius", _("Customer within the service radius")
        BEYOND_RADIUS_OR_MANUFACTURER = "beyond_radius", _("Beyond the service radius or needs the manufacturer")
        FOLLOW_UP = "follow_up", _("Follow-up of a dissatisfied callback")

    target = models.CharField(_("target"), max_length=30, choices=SLATarget.choices)
    kind = models.CharField(_("ticket kind"), max_length=20, choices=TicketKind.choices, blank=True, help_text=_("Empty: every kind."))
    zone = models.CharField(_("zone"), max_length=20, choices=Zone.choices, blank=True, help_text=_("Empty: every zone."))
    priority = models.CharField(_("urgency"), max_length=10, choices=Priority.choices, blank=True, help_text=_("Empty: every urgency."))
    condition = models.CharField(_("applies when"), max_length=30, choices=Condition.choices, blank=True)
    duration = models.DurationField(_("duration"), help_text=_("E.g. 6:00:00 for six hours, 3 days for 72 hours."))
    clock = models.CharField(_("counted in"), max_length=10, choices=ClockKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source rule"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ["target", "kind", "zone", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "kind", "zone", "priority", "condition"],
                condition=Q(is_active=True),
                name="uniq_active_sla_policy",
            ),
            models.CheckConstraint(condition=Q(duration__gt=timedelta(0)), name="sla_policy_positive_duration"),
        ]

    def __str__(self):
        return f"{self.get_target_display()} {self.duration} ({self.get_clock_display()})"


class SLAClock(Clock):
    """时限 — one running target of one ticket (first reply, arrival, plan …)."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="clocks")
    policy = models.ForeignKey(SLAPolicy, verbose_name=_("SLA target"), on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "target_code"], name="uniq_clock_per_ticket_target"),
        ]
        indexes = [
            models.Index(
                fields=["next_fire_at"], name="slaclock_due_idx", condition=Q(next_fire_at__isnull=False)
            ),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.target_code}"
