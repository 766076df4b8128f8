import django_filters

from .models import Staff


class StaffFilter(django_filters.FilterSet):
    role = django_filters.CharFilter(field_name="user__groups__name", label="role")

    class Meta:
        model = Staff
        fields = ["station", "zone", "status", "skills"]
