"""``GET /api/v1/counter-version/``: the counter version this server expects, where to get
it, and the wire formats it serves. A counter asks at login and says when a newer version
is available (docs/pos.md, "Updates"); it refuses to sync only when the wire formats do
not meet (`enturf_core.wire.version`)."""

from __future__ import annotations

from importlib import metadata

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_server.accounts.device_auth import HasActiveDevice
from enturf_server.accounts.permissions import IsStaff
from enturf_server.counters.wire_check import served_range


def server_version() -> str:
    """This server's own package version (what a counter built from the same release has)."""
    try:
        return metadata.version("enturf")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "0"


class CounterVersionOutput(serializers.Serializer):
    latest = serializers.CharField(help_text="the counter version this server expects")
    download_url = serializers.CharField(help_text="where a venue gets it ('' if unset)")
    wire_version = serializers.IntegerField(help_text="the newest sync wire format served")
    min_wire_version = serializers.IntegerField(help_text="the oldest one still served")


class _CounterOrStaff(BasePermission):
    """A registered counter (its device token) or a logged-in staff member."""

    message = "This is for venue counters and staff only."

    def has_permission(self, request, view) -> bool:
        return HasActiveDevice().has_permission(request, view) or IsStaff().has_permission(
            request, view
        )


class CounterVersionView(APIView):
    permission_classes = [_CounterOrStaff]

    @extend_schema(responses={200: CounterVersionOutput})
    def get(self, request):
        return Response(
            {
                "latest": settings.ENTURF_COUNTER_LATEST_VERSION or server_version(),
                "download_url": settings.ENTURF_COUNTER_DOWNLOAD_URL,
                **served_range(),
            }
        )
