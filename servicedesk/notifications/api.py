from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import selectors, services
from .models import Notification
from .serializers import MarkReadSerializer, NotificationSerializer


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own notifications (nobody sees another's)."""

    serializer_class = NotificationSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        qs = selectors.notifications_for(self.request.user)
        unread = self.request.query_params.get("unread")
        if unread in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(request=MarkReadSerializer, responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request, *args, **kwargs):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marked = services.mark_read(user=request.user, ids=body.validated_data.get("ids"))
        return Response({"marked": marked})
