"""Customers and what they own: 客户档案, 服务凭证 (installed units) and 保养合同 (service contracts).

Tickets, SLA clocks, dispatch and work orders are added to this app by the Tickets issue.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.tracking import audited
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
