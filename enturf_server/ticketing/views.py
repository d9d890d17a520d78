"""Ticketing API: published keys, server-side verification, print-at-home tickets."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_server.accounts.device_auth import device_of
from enturf_server.accounts.permissions import IsStaff
from enturf_server.api.errors import Conflict
from enturf_server.invoicing.views import PdfView, pdf_response
from enturf_server.sales.selectors import booking_for
from enturf_server.ticketing import selectors, services
from enturf_server.ticketing.pdf import render_tickets
from enturf_server.ticketing.serializers import TicketKeysOutput, VerifyInput, VerifyOutput
from enturf_server.ticketing.verification import verify_ticket


class TicketKeysView(APIView):
    """Every public key that verifies ticket codes; not paginated, anyone may read it."""

    permission_classes = [AllowAny]

    @extend_schema(responses=TicketKeysOutput)
    def get(self, request):
        return Response({"keys": selectors.public_keys()})


class VerifyTicketView(APIView):
    """Staff check a scanned code: 200 with `valid` true or false (and why)."""

    permission_classes = [IsStaff]

    @extend_schema(request=VerifyInput, responses=VerifyOutput)
    def post(self, request):
        data = VerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = verify_ticket(code=data.validated_data["code"])
        body = {
            "valid": result.valid,
            "message": result.message,
            "signed_by": result.signed_by,
            "line": result.line_data(),
        }
        if result.reason:
            body["reason"] = result.reason
        return Response(body)


class BookingTicketsPdfView(PdfView):
    """The booking's tickets as an A4 print-at-home PDF (owner or staff; paid bookings)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_bookings_tickets_pdf",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="A4 PDF"),
            409: OpenApiResponse(description="the booking is not paid"),
        },
    )
    def get(self, request, booking_id):
        booking = booking_for(user=request.user, booking_id=booking_id)
        services.check_printable(booking)
        services.sign_lines(booking=booking)  # no-op unless a paid line still lacks a code
        cards = selectors.ticket_cards(booking=booking)
        if not cards:
            raise Conflict(
                f"Booking {booking.code} has no valid tickets left.", code="no_valid_tickets"
            )
        content = render_tickets(cards, title=f"Tickets {booking.code}", author=cards[0].issuer)
        return pdf_response(content, f"tickets-{booking.code}.pdf")


class ReprintInput(serializers.Serializer):
    lines = serializers.ListField(
        child=serializers.UUIDField(), required=False, allow_null=True, max_length=500
    )


class BookingTicketsReprintView(APIView):
    """Staff: the signed tickets of a paid booking (any channel, any counter) for a counter
    to print again as COPY; every call is recorded in the audit log (`tickets.reprint`)."""

    permission_classes = [IsStaff]

    @extend_schema(
        operation_id="v1_bookings_tickets_reprint",
        request=ReprintInput,
        responses={
            200: OpenApiResponse(description="booking, event, issuer and tickets"),
            409: OpenApiResponse(description="the booking is not paid or has no valid tickets"),
        },
    )
    def post(self, request, booking_id):
        booking = booking_for(user=request.user, booking_id=booking_id)
        data = ReprintInput(data=request.data or {})
        data.is_valid(raise_exception=True)
        return Response(
            services.reprint_tickets(
                booking=booking,
                line_ids=data.validated_data.get("lines"),
                actor=request.user,
                device=device_of(request),
            )
        )
