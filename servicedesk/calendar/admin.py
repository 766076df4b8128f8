from django.contrib import admin
from django.utils.translation import gettext, gettext_lazy as _

from .engine import OFFICIAL_HOLIDAYS, OFFICIAL_WORKDAYS, OFFICIAL_YEARS, format_periods, official_holiday_name
from .loader import get_calendar
from .models import DateOverride, ManualScheduleYear, WeeklyHours


def _hours_text(td) -> str:
    if td is None:
        return "—"
    minutes = int(td.total_seconds() // 60)
    return gettext("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(admin.ModelAdmin):
    list_display = ("weekday", "periods", "daily_hours", "updated_at")
    list_display_links = ("weekday",)
    # The whole week is edited on one page; each row is validated by the model's clean().
    list_editable = ("periods",)
    ordering = ("weekday",)
    fields = ("weekday", "periods")

    @admin.display(description=_("hours per day"))
    def daily_hours(self, obj):
        return _hours_text(obj.hours)

    def get_readonly_fields(self, request, obj=None):
        return ("weekday",) if obj else ()

    def has_add_permission(self, request):
        # One row per weekday, seeded by a migration; adding is only for restoring a deleted one.
        return super().has_add_permission(request) and WeeklyHours.objects.count() < 7

    def has_delete_permission(self, request, obj=None):
        return False  # empty the hours instead: a missing row silently falls back to the default


class YearListFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = sorted({d.year for d in model_admin.get_queryset(request).dates("date", "year")}, reverse=True)
        return [(str(y), str(y)) for y in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=int(self.value()))
        return queryset


def official_status(day) -> str:
    """What the data source says about ``day`` (shown next to an override, which wins over it)."""
    if day is None:
        return "—"
    if day.year not in OFFICIAL_YEARS:
        return gettext("No official data for %(year)s") % {"year": day.year}
    if day in OFFICIAL_HOLIDAYS:
        return gettext("Statutory holiday: %(name)s") % {"name": official_holiday_name(OFFICIAL_HOLIDAYS[day])}
    if day in OFFICIAL_WORKDAYS:
        return gettext("Make-up working day (调休): %(name)s") % {"name": official_holiday_name(OFFICIAL_WORKDAYS[day])}
    return gettext("Ordinary day")


@admin.register(DateOverride)
class DateOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "periods", "note", "official", "updated_at")
    list_filter = ("kind", YearListFilter)
    search_fields = ("note",)
    date_hierarchy = "date"
    ordering = ("-date",)
    fields = ("date", "kind", "periods", "note", "official", "resulting_hours")
    readonly_fields = ("official", "resulting_hours")

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        from .models import Weekday

        return Weekday(obj.date.weekday()).label

    @admin.display(description=_("official schedule"))
    def official(self, obj):
        return official_status(obj.date)

    @admin.display(description=_("working hours in effect"))
    def resulting_hours(self, obj):
        if obj.pk is None:
            return "—"
        periods = get_calendar().periods_for(obj.date)
        return format_periods(periods) or gettext("No working time")


@admin.register(ManualScheduleYear)
class ManualScheduleYearAdmin(admin.ModelAdmin):
    list_display = ("year", "note", "override_count", "updated_at")
    search_fields = ("note",)
    ordering = ("-year",)

    @admin.display(description=_("date overrides in that year"))
    def override_count(self, obj):
        return DateOverride.objects.filter(date__year=obj.year).count()
