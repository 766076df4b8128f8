"""The admin-editable part of the business calendar (工作日历).

The official holidays themselves are not stored: they come live from the ``chinesecalendar``
package (see :mod:`servicedesk.calendar.engine`). Stored here are the weekly working hours, the
per-date overrides that win over the official data, and the years whose schedule an admin entered
by hand because the package did not know them yet.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.audit.tracking import audited

from . import engine


def validate_periods(value: str) -> None:
    """Working hours must read like ``09:00-12:00, 13:00-18:00``."""
    try:
        engine.parse_periods(value)
    except engine.InvalidPeriods as exc:
        raise ValidationError(str(exc), code="invalid_periods") from None


class Weekday(models.IntegerChoices):
    """Numbered as Python's ``date.weekday()``: Monday is 0."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


@audited
class WeeklyHours(models.Model):
    """每周工作时间 — the working hours of one weekday; one row per weekday, seeded by a migration."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, unique=True)
    periods = models.CharField(
        _("working hours"),
        max_length=200,
        blank=True,
        validators=[validate_periods],
        help_text=_(
            "Working periods of this weekday, e.g. 09:00-12:00, 13:00-18:00 (the gap is the lunch "
            "break). Leave empty if this weekday is normally a day off."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("weekly working hours")
        verbose_name_plural = _("weekly working hours")
        ordering = ["weekday"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="calendar_weekday_range"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()}: {self.periods or '—'}"

    def clean(self):
        # Store the canonical spelling so the list page reads the same whatever the admin typed.
        try:
            self.periods = engine.format_periods(engine.parse_periods(self.periods))
        except engine.InvalidPeriods:
            pass  # reported by the field validator

    @property
    def hours(self):
        try:
            return engine.periods_length(engine.parse_periods(self.periods))
        except engine.InvalidPeriods:
            return None


@audited
class DateOverride(models.Model):
    """日历例外 — one date that differs from the official schedule and the weekly hours.

    Overrides win over the statutory holidays (法定节假日) and make-up days (调休补班) of the data
    source. For a year the data source does not know, an admin enters that year's holidays as
    "day off" and its 补班 Saturdays/Sundays as "make-up working day".
    """

    class Kind(models.TextChoices):
        DAY_OFF = engine.OVERRIDE_DAY_OFF, _("Day off")
        MAKE_UP_DAY = engine.OVERRIDE_MAKE_UP_DAY, _("Make-up working day")
        CUSTOM_HOURS = engine.OVERRIDE_CUSTOM_HOURS, _("Custom working hours")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        help_text=_(
            "Day off: nobody works (a company holiday, or a statutory holiday entered by hand). "
            "Make-up working day (补班): a normal working day, even on a Saturday or Sunday. "
            "Custom working hours: this date works exactly the hours given below."
        ),
    )
    periods = models.CharField(
        _("working hours"),
        max_length=200,
        blank=True,
        validators=[validate_periods],
        help_text=_("Only for custom working hours, e.g. 09:00-12:00. Leave empty for the other kinds."),
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Why, e.g. “2027 Spring Festival” or “company anniversary”.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar date override")
        verbose_name_plural = _("calendar date overrides")
        ordering = ["-date"]
        constraints = [
            # Custom hours need hours; the other kinds take theirs from the weekly pattern.
            models.CheckConstraint(
                condition=Q(kind=engine.OVERRIDE_CUSTOM_HOURS, periods__gt="")
                | Q(kind__in=[engine.OVERRIDE_DAY_OFF, engine.OVERRIDE_MAKE_UP_DAY], periods=""),
                name="calendar_override_periods_match_kind",
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self):
        if self.kind == self.Kind.CUSTOM_HOURS:
            if not (self.periods or "").strip():
                raise ValidationError({"periods": _("Enter the working hours of this date.")})
            try:
                self.periods = engine.format_periods(engine.parse_periods(self.periods))
            except engine.InvalidPeriods:
                pass  # reported by the field validator
        elif self.kind and (self.periods or "").strip():
            raise ValidationError(
                {"periods": _("Working hours are only given for custom working hours; leave this empty.")}
            )


@audited
class ManualScheduleYear(models.Model):
    """手工录入年份 — a year whose statutory holidays and 调休 an admin entered as date overrides.

    A year counts as covered when the data source knows it or it has a row here; uncovered coming
    years raise a warning (system check, banner, daily notification) until then.
    """

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_(
            "Add the year only after entering all its statutory holidays as “day off” and its "
            "make-up working days as “make-up working day” date overrides; this stops the warnings."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("e.g. the State Council notice it follows."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("manually entered year")
        verbose_name_plural = _("manually entered years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)
