"""Check-in API: scan online, an event's check-in lists, its live door figures."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_core.staff_rights import Right
from enturf_server.accounts.device_auth import device_of
from enturf_server.accounts.permissions import HasRight, IsStaff
from enturf_server.api.errors import NotFound
from enturf_server.api.inputs import MAX_ID, validated
from enturf_server.catalog.models import Event
from enturf_server.checkins import lists
from enturf_server.checkins.models import CheckinList, CheckinRecord
from enturf_server.checkins.overrides import door_supervisor
from enturf_server.checkins.scanning import Scan, record_scan
from enturf_server.checkins.serializers import (
    CheckinListInput,
    CheckinListOutput,
    ScanInput,
    ScanOutput,
    scan_answer,
)
from enturf_server.checkins.stats import checkin_stats


def _event(event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first() if 0 < event_id <= MAX_ID else None
    if event is None:
        raise NotFound(f"Event {event_id} does not exist.", code="not_found")
    return event


class ScanView(APIView):
    """Staff with `door_scan` scan a code at a door: 201 with the verdict (200: the same
    scan again). An override needs `door_override`, or a supervisor's signed approval."""

    permission_classes = [HasRight(Right.DOOR_SCAN)]

    @extend_schema(
        request=ScanInput,
        responses={201: ScanOutput, 200: ScanOutput, 404: OpenApiResponse(description="list")},
    )
    def post(self, request):
        data = validated(ScanInput, request.data)
        reason = data["override_reason"].strip()
        override_by = None
        if reason and not CheckinRecord.objects.filter(pk=data["id"]).exists():
            override_by = door_supervisor(
                user=request.user,
                scan_id=data["id"],
                reason=reason,
                approval=data.get("approval"),
                device=device_of(request),
            )
        listing = (
            CheckinList.objects.select_related("event__seat_map__venue")
            .prefetch_related("tickets")
            .filter(pk=data["list"])
            .first()
        )
        if listing is None:
            raise NotFound(f"Check-in list {data['list']} does not exist.", code="not_found")
        outcome = record_scan(
            Scan(
                id=data["id"],
                code=data["code"],
                checkin_list=listing,
                gate=data["gate"].strip(),
                kind=data["kind"],
                scanned_at=data["scanned_at"] or timezone.now(),
                user=request.user,
                device=device_of(request),
                override_reason=reason,
                override_by=override_by,
            )
        )
        return Response(
            scan_answer(outcome.record),
            status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK,
        )


class CheckinListsView(APIView):
    """An event's check-in lists (staff read; `edit_events` creates). An event without a
    list gets its default "All tickets" list here."""

    permission_classes = [HasRight(Right.EDIT_EVENTS, read=True)]

    @extend_schema(responses=CheckinListOutput(many=True))
    def get(self, request, event_id: int):
        return Response(CheckinListOutput(lists.lists_of(_event(event_id)), many=True).data)

    @extend_schema(request=CheckinListInput, responses={201: CheckinListOutput})
    def post(self, request, event_id: int):
        event = _event(event_id)
        data = validated(CheckinListInput, request.data)
        row = lists.create_list(actor=request.user, event=event, fields=data)
        return Response(CheckinListOutput(row).data, status=status.HTTP_201_CREATED)


class CheckinListView(APIView):
    """`edit_events` changes a list (PATCH) or deletes one no one scanned on (DELETE)."""

    permission_classes = [HasRight(Right.EDIT_EVENTS)]

    @extend_schema(request=CheckinListInput(partial=True), responses=CheckinListOutput)
    def patch(self, request, event_id: int, list_id: int):
        row = lists.list_of_event(_event(event_id), list_id)
        data = validated(CheckinListInput, request.data, partial=True)
        row = lists.update_list(actor=request.user, row=row, fields=data)
        return Response(CheckinListOutput(row).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, event_id: int, list_id: int):
        row = lists.list_of_event(_event(event_id), list_id)
        lists.delete_list(actor=request.user, row=row)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CheckinStatsView(APIView):
    """Staff: the event's live door figures."""

    permission_classes = [IsStaff]

    @extend_schema(responses=OpenApiResponse(description="per list, gate, ticket, category"))
    def get(self, request, event_id: int):
        return Response(checkin_stats(event=_event(event_id)))
