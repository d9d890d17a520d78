"""Review API (`view_reports` reads, `override_price` decides): counter sales held for review, and the decision on one.
Thin: input serializer -> service -> output serializer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_core.staff_rights import Right
from enturf_server.accounts.permissions import HasRight
from enturf_server.api.inputs import validated
from enturf_server.api.pagination import DefaultPagination
from enturf_server.counters import sale_review
from enturf_server.counters.review_serializers import (
    ReviewDecisionInput,
    ReviewDecisionOutput,
    SaleReviewOutput,
)
from enturf_server.invoicing.selectors import invoice_number


class SaleReviewListView(generics.ListAPIView):
    """Counter sales held for a manager's review (oldest first): each line's counter and
    server price, who pushed the sale and who the counter named."""

    permission_classes = [HasRight(Right.VIEW_REPORTS)]
    serializer_class = SaleReviewOutput
    pagination_class = DefaultPagination

    def get_queryset(self):
        return sale_review.sales_in_review()


class BookingReviewView(APIView):
    """A decision (right `override_price`) on a sale held for review: `accept` (paid at
    the counter's prices, invoiced) or `reject` (voided: money back, seats back on sale)."""

    permission_classes = [HasRight(Right.OVERRIDE_PRICE)]

    @extend_schema(request=ReviewDecisionInput, responses={200: ReviewDecisionOutput})
    def post(self, request, booking_id):
        data = validated(ReviewDecisionInput, request.data)
        outcome = sale_review.decide(
            actor=request.user,
            booking_id=booking_id,
            decision=data["decision"],
            reason=data["reason"],
            device=getattr(request, "device", None),
        )
        booking = outcome.booking
        body = {
            "decision": outcome.decision,
            "booking": booking.pk,
            "code": booking.code,
            "state": booking.state,
            "invoice": invoice_number(booking.pk),
            "refund": outcome.refund,
        }
        return Response(ReviewDecisionOutput(body).data)
