"""Allocations API (admins): `/api/v1/events/{id}/allocations/` and `.../{allocation id}/`."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_core.staff_rights import Right
from enturf_server.accounts.models import Device
from enturf_server.accounts.permissions import HasRight
from enturf_server.api.errors import NotFound, ServiceError
from enturf_server.api.inputs import validated
from enturf_server.catalog.models import Event
from enturf_server.counters import allocations
from enturf_server.counters.allocation_serializers import (
    AllocationCreateInput,
    AllocationOutput,
    AllocationReleaseQuery,
    AllocationUpdateInput,
)


def _event(event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFound(f"There is no event {event_id}.")
    return event


def _device(device_id: int) -> Device:
    device = Device.objects.filter(pk=device_id).first()
    if device is None:
        raise ServiceError(f"There is no counter device {device_id}.", code="unknown_device")
    return device


def _out(allocation) -> dict:
    return allocations.allocation_data(allocation)


class AllocationListView(APIView):
    permission_classes = [HasRight(Right.EDIT_EVENTS)]

    @extend_schema(responses=AllocationOutput(many=True))
    def get(self, request, event_id: int):
        event = _event(event_id)
        return Response([_out(a) for a in allocations.allocations_for(event=event)])

    @extend_schema(
        request=AllocationCreateInput, responses={201: AllocationOutput, 200: AllocationOutput}
    )
    def post(self, request, event_id: int):
        event = _event(event_id)
        data = validated(AllocationCreateInput, request.data)
        allocation, created = allocations.allocate(
            actor=request.user,
            event=event,
            device=_device(data["device"]),
            seat_ids=data["seats"],
            areas=[(a["area"], a["quantity"]) for a in data["areas"]],
        )
        return Response(
            _out(allocation), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class AllocationDetailView(APIView):
    permission_classes = [HasRight(Right.EDIT_EVENTS)]

    @extend_schema(responses=AllocationOutput)
    def get(self, request, event_id: int, allocation_id: int):
        allocation = allocations.allocation_of(event=_event(event_id), allocation_id=allocation_id)
        return Response(_out(allocation))

    @extend_schema(request=AllocationUpdateInput, responses={200: AllocationOutput, 204: None})
    def patch(self, request, event_id: int, allocation_id: int):
        allocation = allocations.allocation_of(event=_event(event_id), allocation_id=allocation_id)
        data = validated(AllocationUpdateInput, request.data)
        areas = data.get("areas")
        changed = allocations.change_allocation(
            actor=request.user,
            allocation=allocation,
            add_seats=data["add_seats"],
            remove_seats=data["remove_seats"],
            areas=None if areas is None else [(a["area"], a["quantity"]) for a in areas],
            force=data["force"],
        )
        if changed is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(_out(changed))

    @extend_schema(
        parameters=[
            OpenApiParameter("force", bool, description="release at once (a lost counter)")
        ],
        responses={200: AllocationOutput, 204: None},
    )
    def delete(self, request, event_id: int, allocation_id: int):
        allocation = allocations.allocation_of(event=_event(event_id), allocation_id=allocation_id)
        query = validated(AllocationReleaseQuery, request.query_params)
        remaining = allocations.release_allocation(
            actor=request.user, allocation=allocation, force=query["force"]
        )
        if remaining is None:  # released at once: gone
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(_out(remaining))  # pending until the counter's next push
