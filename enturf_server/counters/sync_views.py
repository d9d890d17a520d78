"""Sync endpoints for registered counters: the change feed and push (each refuses a
counter whose wire format it cannot serve: `wire_check`)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_core.wire import version as wire
from enturf_server.accounts.device_auth import HasActiveDevice, device_of
from enturf_server.accounts.device_services import touch_device
from enturf_server.accounts.permissions import IsStaff
from enturf_server.counters.allocations import apply_pending_releases
from enturf_server.counters.wire_check import require_served_wire
from enturf_server.sync.change_feed import page_limit, read_changes
from enturf_server.sync.push import parse_op, push_ops
from enturf_server.sync.push_registry import PushOp
from enturf_server.sync.serializers import ChangesOutput, PushInput, PushOutput

WIRE_HEADER = OpenApiParameter(
    wire.HEADER,
    OpenApiTypes.INT,
    location=OpenApiParameter.HEADER,
    required=False,
    description="the counter's sync wire format (absent: 1); one this server cannot serve "
    "is refused with 426 `wire_version_unsupported`",
)


class ChangesView(APIView):
    """The change feed: a snapshot from `after=0`, then changes after the cursor."""

    permission_classes = [IsStaff, HasActiveDevice]

    @extend_schema(
        parameters=[
            OpenApiParameter("after", OpenApiTypes.STR, description="cursor; 0 = snapshot"),
            OpenApiParameter("limit", OpenApiTypes.INT, description="page size"),
            WIRE_HEADER,
        ],
        responses={200: ChangesOutput},
    )
    def get(self, request):
        require_served_wire(request)
        touch_device(device_of(request))
        page = read_changes(
            after=request.query_params.get("after"),
            limit=page_limit(request.query_params.get("limit")),
        )
        return Response({"changes": page.changes, "next": page.next, "has_more": page.has_more})


class PushView(APIView):
    """Ops recorded at a counter, applied in order, each answered once and for all."""

    permission_classes = [IsStaff, HasActiveDevice]
    # a retired counter's sessions may still send what it sold before (accounts.device_auth)
    retired_device_may_push = True

    @extend_schema(request=PushInput, responses={200: PushOutput}, parameters=[WIRE_HEADER])
    def post(self, request):
        require_served_wire(request)  # before anything is applied
        device = device_of(request)
        touch_device(device)
        data = PushInput(data=request.data)
        data.is_valid(raise_exception=True)
        raw_ops = request.data["ops"]
        parsed = [parse_op(raw) for raw in raw_ops]
        valid = [op for op in parsed if isinstance(op, PushOp)]
        started = timezone.now()
        applied = iter(push_ops(user=request.user, device=device, ops=valid))
        results = [next(applied) if isinstance(op, PushOp) else op for op in parsed]
        if not any(result.get("retry") for result in results):
            # allocation shrinks recorded before this push began take effect now: the
            # counter's sales from those seats were in this push (or an earlier one)
            apply_pending_releases(device=device, pushed_since=started)
        return Response({"results": results})
