"""Input and output shapes of the billing API. No business rules here: see services."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enturf_server.api.inputs import id_field
from enturf_server.billing.models import (
    Payment,
    PaymentMethod,
    Refund,
    Voucher,
    VoucherKind,
)
from enturf_server.billing.selectors import paid_amount, voucher_uses

_MONEY = {"max_digits": 12, "decimal_places": 2}


def _ids(**kw) -> serializers.ListField:
    return serializers.ListField(child=id_field(), max_length=1000, **kw)


# -- vouchers ----------------------------------------------------------------------------------


class VoucherInput(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=VoucherKind.choices)
    percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        required=False,
        allow_null=True,
    )
    amount = serializers.DecimalField(
        **_MONEY, min_value=Decimal("0.01"), required=False, allow_null=True
    )
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    valid_from = serializers.DateTimeField(required=False, allow_null=True)
    valid_until = serializers.DateTimeField(required=False, allow_null=True)
    max_uses = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True
    )
    active = serializers.BooleanField(required=False)
    events = _ids(required=False)
    tickets = _ids(required=False)


class VoucherOutput(serializers.ModelSerializer):
    used = serializers.SerializerMethodField()
    events = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    tickets = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Voucher
        fields = [
            "id",
            "code",
            "kind",
            "percent",
            "amount",
            "currency",
            "valid_from",
            "valid_until",
            "max_uses",
            "used",
            "events",
            "tickets",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_used(self, voucher: Voucher) -> int:
        return voucher_uses(voucher=voucher)


# -- payments ----------------------------------------------------------------------------------


class CounterPaymentInput(serializers.Serializer):
    id = serializers.UUIDField()
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    amount = serializers.DecimalField(**_MONEY, min_value=Decimal("0.01"))
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", max_length=3)
    payment_intent = serializers.RegexField(
        r"^[A-Za-z0-9_]{1,255}$", required=False, allow_null=True, allow_blank=True
    )


class PaymentOutput(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = [
            "id",
            "booking",
            "method",
            "channel",
            "amount",
            "tendered",
            "change",
            "currency",
            "state",
            "refunded_amount",
            "payment_intent",
            "gateway_status",
            "charge_id",
            "card_brand",
            "card_last4",
            "card_exp_month",
            "card_exp_year",
            "authorization_code",
            "failure_code",
            "created_by",
            "device",
            "created_at",
            "succeeded_at",
        ]
        read_only_fields = fields


class PaymentResultOutput(serializers.Serializer):
    """The answer to a counter payment: the payment, the booking's state and balance."""

    payment = PaymentOutput()
    state = serializers.CharField()
    balance = serializers.DecimalField(**_MONEY)


class OnlinePaymentOutput(serializers.Serializer):
    payment = serializers.UUIDField()
    payment_intent = serializers.CharField()
    client_secret = serializers.CharField()
    amount = serializers.DecimalField(**_MONEY)
    currency = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


# -- refunds -----------------------------------------------------------------------------------


class RefundInput(serializers.Serializer):
    id = serializers.UUIDField(required=False)
    booking = serializers.UUIDField()
    lines = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=1000, required=False
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    approval = serializers.JSONField(
        required=False, help_text="an administrator's signed approval above the refund limit"
    )


class RefundPartOutput(serializers.Serializer):
    payment = serializers.UUIDField(source="payment_id")
    amount = serializers.DecimalField(**_MONEY)
    gateway_refund_id = serializers.CharField()


class RefundOutput(serializers.ModelSerializer):
    lines = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    parts = RefundPartOutput(many=True, read_only=True)

    class Meta:
        model = Refund
        fields = [
            "id",
            "booking",
            "lines",
            "whole_booking",
            "amount",
            "currency",
            "method",
            "reason",
            "state",
            "failure_message",
            "parts",
            "created_by",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields


class RefundListQuery(serializers.Serializer):
    booking = serializers.UUIDField(required=False)


# -- counter sales held for review -------------------------------------------------------------


class ReviewLineOutput(serializers.Serializer):
    line = serializers.UUIDField()
    ticket = serializers.IntegerField()
    counter_price = serializers.DecimalField(**_MONEY, help_text="what the counter charged")
    server_price = serializers.DecimalField(
        **_MONEY, allow_null=True, help_text="the server's price; null where they agree"
    )


class SaleReviewOutput(serializers.Serializer):
    """A counter sale held for a manager's review (state `review`)."""

    id = serializers.UUIDField()
    code = serializers.CharField()
    event = serializers.IntegerField(source="event_id")
    event_name = serializers.CharField(source="event.name")
    total = serializers.DecimalField(**_MONEY, help_text="at the counter's prices")
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
        from enturf_server.billing.services.sale_review import line_prices

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
