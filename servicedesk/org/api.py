from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .filters import StaffFilter
from .serializers import MeSerializer, ProductLineSerializer, StaffSerializer, StationSerializer


class MeView(APIView):
    """The signed-in user with roles and staff profile."""

    @extend_schema(responses=MeSerializer)
    def get(self, request, *args, **kwargs):
        return Response(MeSerializer(request.user).data)


class StationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StationSerializer
    search_fields = ["code", "name", "province", "region"]
    ordering_fields = ["code", "name"]
    filterset_fields = ["province", "is_active"]

    def get_queryset(self):
        return selectors.stations_visible_to(self.request.user).order_by("code")


class StaffViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StaffSerializer
    filterset_class = StaffFilter
    search_fields = ["employee_no", "name", "phone", "user__username"]
    ordering_fields = ["employee_no", "name"]

    def get_queryset(self):
        return selectors.staff_visible_to(self.request.user).order_by("employee_no").distinct()


class ProductLineViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProductLineSerializer
    search_fields = ["code", "name"]
    pagination_class = None

    def get_queryset(self):
        return selectors.product_lines().order_by("code")
