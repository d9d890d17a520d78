"""Sales API: availability, holds, bookings. Thin: input serializer -> service -> output."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_server.accounts.device_auth import device_of
from enturf_server.api.errors import ServiceError
from enturf_server.api.inputs import validated
from enturf_server.api.pagination import DefaultPagination
from enturf_server.catalog.models import Event
from enturf_server.sales import selectors, services
from enturf_server.sales.booking_input import booking_input
from enturf_server.sales.serializers import (
    AvailabilityQuery,
    BookingCreateInput,
    BookingListQuery,
    BookingOutput,
    HoldCreateInput,
    HoldOutput,
    HoldUpdateInput,
)


def _event(event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise ServiceError(f"There is no event {event_id}.", code="unknown_event")
    return event


class AvailabilityView(APIView):
    """Seats with status, GA places left and tickets; never paginated."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("since", int, description="only changes after this version")],
        responses={200: dict},
    )
    def get(self, request, event_id: int):
        query = validated(AvailabilityQuery, request.query_params)
        event = selectors.visible_event(user=request.user, event_id=event_id)
        services.release_expired(event=event)
        body = selectors.availability_json(event=event, since=query.get("since"))
        return HttpResponse(body, content_type="application/json")


class HoldListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=HoldCreateInput, responses={201: HoldOutput})
    def post(self, request):
        data = validated(HoldCreateInput, request.data)
        hold = services.create_hold(
            actor=request.user,
            event=_event(data["event"]),
            seat_ids=data["seats"],
            areas=[(a["area"], a["quantity"]) for a in data["areas"]],
            device=device_of(request),
        )
        return Response(HoldOutput(hold).data, status=status.HTTP_201_CREATED)


class HoldDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=HoldOutput)
    def get(self, request, hold_id):
        return Response(HoldOutput(selectors.hold_for(user=request.user, hold_id=hold_id)).data)

    @extend_schema(request=HoldUpdateInput, responses=HoldOutput)
    def patch(self, request, hold_id):
        hold = selectors.hold_for(user=request.user, hold_id=hold_id)
        data = validated(HoldUpdateInput, request.data)
        areas = data.get("areas")
        hold = services.update_hold(
            actor=request.user,
            hold=hold,
            add_seats=data["add_seats"],
            remove_seats=data["remove_seats"],
            areas=None if areas is None else [(a["area"], a["quantity"]) for a in areas],
            extend=data["extend"],
        )
        return Response(HoldOutput(hold).data)

    @extend_schema(responses={204: None})
    def delete(self, request, hold_id):
        hold = selectors.hold_for(user=request.user, hold_id=hold_id)
        services.release_hold(actor=request.user, hold=hold)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BookingListView(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = DefaultPagination  # the schema shows the page, not a bare list

    @extend_schema(
        parameters=[
            OpenApiParameter("search", str, description="code, buyer name or e-mail"),
            OpenApiParameter(
                "line", OpenApiTypes.UUID, description="the booking of this ticket line"
            ),
            OpenApiParameter("event", int),
            OpenApiParameter("state", str),
        ],
        responses=BookingOutput(many=True),
    )
    def get(self, request):
        query = validated(BookingListQuery, request.query_params)
        bookings = selectors.bookings_for(
            user=request.user,
            search=query.get("search"),
            line_id=query.get("line"),
            event_id=query.get("event"),
            state=query.get("state"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(bookings, request, view=self)
        return paginator.get_paginated_response(BookingOutput(page, many=True).data)

    @extend_schema(request=BookingCreateInput, responses={201: BookingOutput, 200: BookingOutput})
    def post(self, request):
        data = booking_input(request.data)  # = validated(BookingCreateInput, ...), leaner
        hold = None
        if "hold" in data:
            hold = selectors.hold_for(user=request.user, hold_id=data["hold"])
        lines = data.get("lines")
        booking, created = services.create_booking(
            actor=request.user,
            event_id=data.get("event"),
            hold=hold,
            lines=None
            if lines is None
            else [
                services.LineRequest(
                    ticket=line["ticket"], seat=line.get("seat"), quantity=line["quantity"]
                )
                for line in lines
            ],
            booking_id=data.get("id"),
            buyer_name=data["buyer_name"],
            buyer_email=data["buyer_email"],
            voucher=data["voucher"],
            device=device_of(request),
        )
        return Response(
            BookingOutput(booking).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class BookingDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=BookingOutput)
    def get(self, request, booking_id):
        booking = selectors.booking_for(user=request.user, booking_id=booking_id)
        return Response(BookingOutput(booking).data)


class BookingCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=BookingOutput)
    def post(self, request, booking_id):
        booking = selectors.booking_for(user=request.user, booking_id=booking_id)
        booking = services.cancel_booking(actor=request.user, booking=booking)
        return Response(BookingOutput(booking).data)
