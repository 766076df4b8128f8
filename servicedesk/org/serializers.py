from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import ProductLine, Staff, Station
from .roles import user_roles


class ProductLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductLine
        fields = ["id", "code", "name", "is_active"]


class StationSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Station
        fields = ["id", "code", "name", "department", "province", "region", "address", "phone", "is_active"]


class StaffSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True, default=None, allow_null=True)
    roles = serializers.SerializerMethodField()
    skills = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Staff
        fields = ["id", "employee_no", "name", "username", "phone", "station", "station_name", "zone", "skills", "status", "roles"]
        read_only_fields = fields

    def get_roles(self, obj) -> list[str]:
        # From the prefetched groups: no query per row.
        return sorted(g.name for g in obj.user.groups.all())


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    staff = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "first_name", "last_name", "email", "roles", "staff"]
        read_only_fields = fields

    def get_roles(self, obj) -> list[str]:
        return sorted(user_roles(obj))

    @extend_schema_field(StaffSerializer(allow_null=True))
    def get_staff(self, obj):
        staff = getattr(obj, "staff", None)
        return StaffSerializer(staff).data if staff else None
