"""The organisation: department → service stations → staff, product lines, zones and roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.tracking import audited
from servicedesk.core.validators import validate_phone


class Zone(models.TextChoices):
    """服务区域 — decides which arrival target applies (SPEC §4)."""

    URBAN = "urban", _("Urban")
    SUBURBAN = "suburban", _("Suburban")
    REMOTE = "remote", _("Remote")


class Role(models.TextChoices):
    """The Django groups of SPEC §1; a person may hold several."""

    DISPATCHER = "dispatcher", _("Dispatcher")
    TECHNICIAN = "technician", _("Technician")
    SUPERVISOR = "supervisor", _("Supervisor")
    WAREHOUSE_KEEPER = "warehouse_keeper", _("Warehouse keeper")
    STATION_HEAD = "station_head", _("Station head")
    MANAGER = "manager", _("Manager")
    GENERAL_MANAGER = "general_manager", _("General manager")
    FINANCE = "finance", _("Finance")
    ADMIN = "admin", _("Administrator")


@audited
class Department(models.Model):
    """服务部 — the after-sales service department."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_departments",
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self):
        return self.name


@audited
class Station(models.Model):
    """服务站 — a service station in a province/region, keeping its own stock account."""

    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="stations")
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    province = models.CharField(_("province"), max_length=50)
    region = models.CharField(_("region"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    provincial_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("provincial supervisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_stations",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("station head"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="headed_stations",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service station")
        verbose_name_plural = _("service stations")
        ordering = ["code"]

    def __str__(self):
        return self.name


@audited
class ProductLine(models.Model):
    """产品线 — a family of products; staff skills, warranty policies and parts refer to it."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")
        ordering = ["code"]

    def __str__(self):
        return self.name


@audited
class Staff(models.Model):
    """员工档案 — a person of the department: home station, zone, skills and working status."""

    class Status(models.TextChoices):
        WORKING = "working", _("Working")
        BUSINESS_TRIP = "business_trip", _("On business trip")
        ON_LEAVE = "on_leave", _("On leave")
        LEFT = "left", _("Left")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="staff")
    employee_no = models.CharField(_("employee number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    station = models.ForeignKey(
        Station, verbose_name=_("home station"), on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    zone = models.CharField(_("zone"), max_length=20, choices=Zone.choices, blank=True)
    skills = models.ManyToManyField(ProductLine, verbose_name=_("skills (product lines)"), blank=True, related_name="skilled_staff")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WORKING, db_index=True)
    supervisor = models.ForeignKey(
        "self", verbose_name=_("supervisor"), on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["employee_no"]

    def __str__(self):
        return f"{self.name} ({self.employee_no})"

