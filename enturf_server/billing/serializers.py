"""Input and output shapes of the billing API. No business rules here: see services."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from enturf_server.api.inputs import id_field
from enturf_server.billing.models import (
    Payment,
    PaymentMethod,
    Refund,
    Voucher,
    VoucherKind,
)
from enturf_server.billing.selectors import voucher_uses

_MONEY = {"max_digits": 12, "decimal_places": 2}


def _ids(**kw) -> serializers.ListField:
    return serializers.ListField(child=id_field(), max_length=1000, **kw)


# -- vouchers ----------------------------------------------------------------------------------


class VoucherRules(serializers.Serializer):
    """What a voucher gives and where: one voucher's or a bulk batch's."""

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


class VoucherInput(VoucherRules):
    code = serializers.CharField(max_length=40)


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
            "batch",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_used(self, voucher: Voucher) -> int:
        counted = getattr(voucher, "uses", None)  # annotated by selectors.vouchers()
        return counted if counted is not None else voucher_uses(voucher=voucher)


class VoucherBulkInput(VoucherRules):
    """The rules of one voucher (as `VoucherInput`, without the code), for `count` codes."""

    count = serializers.IntegerField(min_value=1, max_value=500)
    prefix = serializers.RegexField(
        r"^[A-Za-z0-9-]{0,16}$",
        required=False,
        allow_blank=True,
        help_text="up to 16 letters, digits or dashes before each code's random part",
    )
    batch = serializers.RegexField(
        r"^[A-Za-z0-9_.-]{1,40}$",
        required=False,
        help_text="a tag to find the codes again; made up when left out",
    )


class VoucherBulkOutput(serializers.Serializer):
    batch = serializers.CharField()
    count = serializers.IntegerField()
    codes = serializers.ListField(child=serializers.CharField())
    ids = serializers.ListField(child=serializers.IntegerField())


class VoucherRedemptionOutput(serializers.Serializer):
    booking = serializers.UUIDField(source="booking_id")
    booking_code = serializers.CharField(source="booking.code")
    at = serializers.DateTimeField(source="created_at")
    discount = serializers.DecimalField(**_MONEY)
    currency = serializers.CharField(source="booking.currency")
    channel = serializers.CharField(source="booking.channel")
    counter = serializers.CharField(source="booking.device.name", default="", allow_null=True)
    state = serializers.CharField(source="booking.state")


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
