"""Blocked seats API (right `edit_events`): `/api/v1/events/{id}/blocks/` lists them and blocks
seats, `.../blocks/release/` puts them back on sale. See `sales.seat_blocks`."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_core.staff_rights import Right
from enturf_core.wire.ops import BLOCK_REASONS
from enturf_server.accounts.device_auth import device_of
from enturf_server.accounts.rights import HasRight
from enturf_server.api.errors import NotFound
from enturf_server.api.inputs import validated
from enturf_server.catalog.models import Event
from enturf_server.sales import seat_blocks
from enturf_server.sales.block_serializers import (
    BlockedSeatsOutput,
    SeatBlockInput,
    SeatReleaseInput,
)

REFUSED = OpenApiResponse(
    description="`seats_unavailable`: a seat is held, sold or allocated (or, to release, "
    "not blocked); `details.seats` gives each one's status. Nothing was changed."
)


def _event(event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFound(f"There is no event {event_id}.")
    return event


def _out(event: Event) -> dict:
    return {
        "event": event.pk,
        "seats": seat_blocks.blocked_seats(event=event),
        "reasons": BLOCK_REASONS,
    }


class BlockListView(APIView):
    permission_classes = [HasRight(Right.EDIT_EVENTS)]

    @extend_schema(responses=BlockedSeatsOutput)
    def get(self, request, event_id: int):
        return Response(_out(_event(event_id)))

    @extend_schema(request=SeatBlockInput, responses={200: BlockedSeatsOutput, 409: REFUSED})
    def post(self, request, event_id: int):
        event = _event(event_id)
        data = validated(SeatBlockInput, request.data)
        seat_blocks.block_seats(
            actor=request.user,
            event=event,
            seat_ids=data["seats"],
            reason=data["reason"],
            note=data["note"],
            device=device_of(request),
        )
        return Response(_out(event))


class BlockReleaseView(APIView):
    permission_classes = [HasRight(Right.EDIT_EVENTS)]

    @extend_schema(request=SeatReleaseInput, responses={200: BlockedSeatsOutput, 409: REFUSED})
    def post(self, request, event_id: int):
        event = _event(event_id)
        data = validated(SeatReleaseInput, request.data)
        seat_blocks.release_seats(
            actor=request.user, event=event, seat_ids=data["seats"], device=device_of(request)
        )
        return Response(_out(event))
