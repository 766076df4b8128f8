"""Catalogue, locations and the spare-parts policy."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.tracking import audited

QTY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.001"))]

DEFAULT_OUT_OF_STOCK_REPLY_DAYS = 7  # 缺货…1周内再次联系顾客 (SPEC §4 table); changed in the admin
DEFAULT_OUT_OF_STOCK_REMINDER_HOURS = 24


@audited
class SparesPolicy(models.Model):
    """备件参数 — the spare-parts defaults a manager changes in the admin (one row)."""

    out_of_stock_reply_days = models.PositiveSmallIntegerField(
        _("out-of-stock reply within (days)"),
        default=DEFAULT_OUT_OF_STOCK_REPLY_DAYS,
        validators=[MinValueValidator(1)],
        help_text=_("Calendar days within which the customer of an out-of-stock registration must be contacted again."),
    )
    out_of_stock_reminder_hours = models.PositiveSmallIntegerField(
        _("remind before the reply is due (hours)"),
        default=DEFAULT_OUT_OF_STOCK_REMINDER_HOURS,
        help_text=_("The registrant and the keepers are reminded this long before the reply is due."),
    )

    class Meta:
        verbose_name = _("spare-parts policy")
        verbose_name_plural = _("spare-parts policy")

    def __str__(self):
        return str(_("Spare-parts policy"))

    @classmethod
    def current(cls) -> SparesPolicy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


@audited
class Part(models.Model):
    """备件 — a catalogue entry: part number, name, spec, unit, price and the product lines it fits."""

    number = models.CharField(_("part number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    spec = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=10, default="个")
    price = models.DecimalField(_("unit price (CNY)"), default=Decimal("0"), validators=[MinValueValidator(0)], **MONEY)
    product_lines = models.ManyToManyField(
        "org.ProductLine", verbose_name=_("product lines"), blank=True, related_name="parts"
    )
    low_stock_threshold = models.DecimalField(
        _("low-stock threshold"),
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        help_text=_("Keepers are alerted when the stock of a warehouse or station falls below this; 0 = no alert."),
        **QTY,
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("spare part")
        verbose_name_plural = _("spare parts")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="spares_part_price_not_negative"),
            models.CheckConstraint(condition=Q(low_stock_threshold__gte=0), name="spares_part_threshold_not_negative"),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"


@audited
class Location(models.Model):
    """库位 — where stock is kept: the central warehouse, a station (its own account 单独建帐),
    a technician's van, or an old-parts store (旧件库) holding returned defective parts."""

    class Kind(models.TextChoices):
        CENTRAL = "central", _("Central warehouse")
        STATION = "station", _("Station stock")
        VAN = "van", _("Technician's van")
        OLD_PARTS = "old_parts", _("Old-parts store")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    station = models.ForeignKey(
        "org.Station", verbose_name=_("service station"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="spare_locations",
    )
    technician = models.ForeignKey(
        "org.Staff", verbose_name=_("technician"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="spare_locations",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="central", station__isnull=True, technician__isnull=True)
                    | Q(kind="station", station__isnull=False, technician__isnull=True)
                    | Q(kind="van", station__isnull=False, technician__isnull=False)
                    | Q(kind="old_parts", technician__isnull=True)
                ),
                name="spares_location_kind_fields",
                violation_error_message=_(
                    "A central warehouse belongs to no station or technician; a station stock needs its station; "
                    "a van needs its technician and station; an old-parts store belongs to no technician."
                ),
            ),
            models.UniqueConstraint(
                fields=["station"], condition=Q(kind="station"), name="spares_one_stock_per_station",
                violation_error_message=_("This station already has a stock account."),
            ),
            models.UniqueConstraint(
                fields=["station"], condition=Q(kind="old_parts"), name="spares_one_old_parts_store_per_station",
                violation_error_message=_("This station already has an old-parts store."),
            ),
            models.UniqueConstraint(
                fields=["technician"], condition=Q(kind="van"), name="spares_one_van_per_technician",
                violation_error_message=_("This technician already has a van."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_store(self) -> bool:
        """A place parts are issued from (central warehouse or station stock)."""
        return self.kind in (self.Kind.CENTRAL, self.Kind.STATION)
