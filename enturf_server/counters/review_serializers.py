"""Output and input shapes of the review of counter sales (admin). No business rules here."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enturf_server.api.inputs import money_field
from enturf_server.billing.selectors import paid_amount
from enturf_server.billing.serializers import RefundOutput
from enturf_server.counters.sale_review import line_prices


class ReviewLineOutput(serializers.Serializer):
    line = serializers.UUIDField()
    ticket = serializers.IntegerField()
    counter_price = money_field(help_text="what the counter charged")
    server_price = money_field(
        allow_null=True, help_text="the server's price; null where they agree"
    )


class SaleReviewOutput(serializers.Serializer):
    """A counter sale held for a manager's review (state `review`)."""

    id = serializers.UUIDField()
    code = serializers.CharField()
    event = serializers.IntegerField(source="event_id")
    event_name = serializers.CharField(source="event.name")
    total = money_field(help_text="at the counter's prices")
    server_total = serializers.SerializerMethodField(help_text="at the server's prices")
    currency = serializers.CharField()
    created_at = serializers.DateTimeField(help_text="when the counter sold it")
    created_by = serializers.CharField(
        source="created_by.username", allow_null=True, help_text="who pushed it (authenticated)"
    )
    claimed_seller = serializers.CharField(help_text="who the counter named: unverified")
    device = serializers.CharField(source="device.name", allow_null=True)
    paid = serializers.SerializerMethodField(help_text="the payments recorded")
    lines = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_server_total(self, booking) -> str:
        total = sum(
            (line.price if line.server_price is None else line.server_price)
            for line in booking.lines.all()
        )
        return str(Decimal(total).quantize(Decimal("0.01")))

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_paid(self, booking) -> str:
        return str(Decimal(paid_amount(booking=booking)).quantize(Decimal("0.01")))

    @extend_schema_field(ReviewLineOutput(many=True))
    def get_lines(self, booking) -> list[dict]:
        return line_prices(booking)


class ReviewDecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    reason = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")


class ReviewDecisionOutput(serializers.Serializer):
    decision = serializers.CharField()
    booking = serializers.UUIDField()
    code = serializers.CharField()
    state = serializers.CharField(help_text="paid (accepted) or cancelled (rejected)")
    invoice = serializers.CharField(allow_null=True, help_text="the invoice (accepted)")
    refund = RefundOutput(allow_null=True, help_text="the money given back (rejected)")
