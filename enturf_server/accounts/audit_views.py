"""The audit trail, read-only: a filtered, paginated list, its CSV export and the chain
check. Nothing here creates, changes or deletes an entry (the services append them).
It sits with accounts because its guard (who may read the trail) is an accounts right."""

from __future__ import annotations

import json

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_core.staff_rights import Right
from enturf_server.accounts.permissions import HasRight
from enturf_server.api.csv_export import csv_response
from enturf_server.audit.chain import verify_chain
from enturf_server.audit.filters import AuditFilter
from enturf_server.audit.models import AuditEntry
from enturf_server.audit.serializers import EXPORT_COLUMNS, AuditEntryOutput, AuditVerdictOutput

AUDIT_PERMISSIONS = [HasRight(Right.VIEW_AUDIT)]


def _entries():
    return AuditEntry.objects.order_by("-at", "-id")


class AuditListView(generics.ListAPIView):
    """Newest first; filter by actor, action, device, object and time."""

    permission_classes = AUDIT_PERMISSIONS
    serializer_class = AuditEntryOutput
    filterset_class = AuditFilter
    queryset = AuditEntry.objects.none()  # the schema's model; get_queryset answers

    def get_queryset(self):
        return _entries()


class AuditExportView(APIView):
    """The same filters as the list, every matching entry as CSV (times in the venue's
    zone with their offset, details as JSON)."""

    permission_classes = AUDIT_PERMISSIONS
    filterset_class = AuditFilter  # the schema lists its query parameters

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)})
    def get(self, request):
        found = AuditFilter(request.query_params, queryset=_entries())
        if not found.is_valid():
            raise ValidationError(found.errors)

        def row(entry: AuditEntry) -> list:
            return [
                entry.pk,
                timezone.localtime(entry.at).isoformat(),
                entry.actor_id or "",
                entry.actor_name,
                entry.device_id or "",
                entry.device_name,
                entry.action,
                entry.object_type,
                entry.object_id,
                json.dumps(entry.details, sort_keys=True, ensure_ascii=False),
                entry.hash,
            ]

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        return csv_response(
            f"audit-{stamp}.csv", EXPORT_COLUMNS, found.qs.iterator(chunk_size=2000), row
        )


class AuditVerifyView(APIView):
    """Walk the hash chain: `ok`, or the first entry that breaks it and why."""

    permission_classes = AUDIT_PERMISSIONS

    @extend_schema(responses=AuditVerdictOutput)
    def get(self, request):
        return Response(AuditVerdictOutput(verify_chain().as_dict()).data)
