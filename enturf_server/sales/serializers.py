"""Input and output shapes of the sales API. No business rules here: see services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from enturf_server.api.inputs import id_field
from enturf_server.sales.models import Booking, BookingLine, Hold
from enturf_server.sales.rules import MAX_ITEMS_PER_REQUEST
from enturf_server.sales.selectors import effective_state, hold_contents


def _seat_list(**kw) -> serializers.ListField:
    return serializers.ListField(
        child=id_field(), max_length=MAX_ITEMS_PER_REQUEST, required=False, default=list, **kw
    )


# -- inputs ------------------------------------------------------------------------------------


class AreaQuantityInput(serializers.Serializer):
    area = id_field()
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_ITEMS_PER_REQUEST)


class AreaQuantityChangeInput(AreaQuantityInput):
    quantity = serializers.IntegerField(min_value=0, max_value=MAX_ITEMS_PER_REQUEST)


class HoldCreateInput(serializers.Serializer):
    event = id_field()
    seats = _seat_list()
    areas = serializers.ListField(
        child=AreaQuantityInput(), max_length=MAX_ITEMS_PER_REQUEST, required=False, default=list
    )


class HoldUpdateInput(serializers.Serializer):
    add_seats = _seat_list()
    remove_seats = _seat_list()
    areas = serializers.ListField(
        child=AreaQuantityChangeInput(), max_length=MAX_ITEMS_PER_REQUEST, required=False
    )
    extend = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if not (
            attrs["add_seats"] or attrs["remove_seats"] or attrs.get("areas") or attrs["extend"]
        ):
            raise serializers.ValidationError(
                "Nothing to change: give add_seats, remove_seats, areas or extend."
            )
        return attrs


class BookingLineInput(serializers.Serializer):
    ticket = id_field()
    seat = id_field(required=False, allow_null=True)
    quantity = serializers.IntegerField(
        min_value=1, max_value=MAX_ITEMS_PER_REQUEST, required=False, default=1
    )


class BookingCreateInput(serializers.Serializer):
    id = serializers.UUIDField(required=False)
    hold = serializers.UUIDField(required=False)
    event = id_field(required=False)
    lines = serializers.ListField(
        child=BookingLineInput(), max_length=MAX_ITEMS_PER_REQUEST, required=False
    )
    buyer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    buyer_email = serializers.EmailField(required=False, allow_blank=True, default="")
    voucher = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if "hold" not in attrs and "event" not in attrs:
            raise serializers.ValidationError("Give a hold, or an event with lines.")
        if "hold" not in attrs and not attrs.get("lines"):
            raise serializers.ValidationError({"lines": ["A booking needs at least one line."]})
        return attrs


class BookingListQuery(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=200)
    line = serializers.UUIDField(required=False)  # the booking holding this ticket line
    event = id_field(required=False)
    state = serializers.CharField(required=False, allow_blank=True, max_length=30)


class AvailabilityQuery(serializers.Serializer):
    since = serializers.IntegerField(required=False, min_value=0, max_value=2**62)


# -- outputs -----------------------------------------------------------------------------------


class HoldOutput(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()
    seats = serializers.SerializerMethodField()
    areas = serializers.SerializerMethodField()

    class Meta:
        model = Hold
        fields = ["id", "event", "state", "expires_at", "created_at", "seats", "areas"]
        read_only_fields = fields

    def _contents(self, hold: Hold) -> dict:
        cache = self.context.setdefault("_contents", {})
        if hold.pk not in cache:
            cache[hold.pk] = hold_contents(hold=hold)
        return cache[hold.pk]

    def get_state(self, hold: Hold) -> str:
        return self._contents(hold)["state"]

    def get_seats(self, hold: Hold) -> list[int]:
        return self._contents(hold)["seats"]

    def get_areas(self, hold: Hold) -> list[dict[str, int]]:
        return self._contents(hold)["areas"]


class BookingLineOutput(serializers.ModelSerializer):
    class Meta:
        model = BookingLine
        fields = [
            "id",
            "ticket",
            "seat",
            "area",
            "price",
            "discount",
            "tax_rate",
            "tax_amount",
            "state",
            "ticket_code",
        ]
        read_only_fields = fields


class BookingOutput(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()
    tax_total = serializers.SerializerMethodField()
    lines = BookingLineOutput(many=True, read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "code",
            "event",
            "state",
            "channel",
            "owner",
            "created_by",
            "buyer_name",
            "buyer_email",
            "currency",
            "total",
            "tax_total",
            "expires_at",
            "created_at",
            "paid_at",
            "lines",
        ]
        read_only_fields = fields

    def get_state(self, booking: Booking) -> str:
        return effective_state(booking)

    def get_tax_total(self, booking: Booking) -> str:
        return str(sum((line.tax_amount for line in booking.lines.all()), Decimal("0.00")))

    def to_representation(self, booking: Booking) -> dict[str, Any]:
        # The fields above document the shape (OpenAPI); this builds it directly, since
        # DRF's field machinery costs more than the rest of a booking request's Python.
        lines = list(booking.lines.all())
        return {
            "id": str(booking.pk),
            "code": booking.code,
            "event": booking.event_id,
            "state": effective_state(booking),
            "channel": booking.channel,
            "owner": booking.owner_id,
            "created_by": booking.created_by_id,
            "buyer_name": booking.buyer_name,
            "buyer_email": booking.buyer_email,
            "currency": booking.currency,
            "total": _money(booking.total),
            "tax_total": _money(sum((line.tax_amount for line in lines), Decimal("0.00"))),
            "expires_at": _when(booking.expires_at),
            "created_at": _when(booking.created_at),
            "paid_at": _when(booking.paid_at),
            "lines": [
                {
                    "id": str(line.pk),
                    "ticket": line.ticket_id,
                    "seat": line.seat_id,
                    "area": line.area_id,
                    "price": _money(line.price),
                    "discount": _money(line.discount),
                    "tax_rate": _money(line.tax_rate),
                    "tax_amount": _money(line.tax_amount),
                    "state": line.state,
                    "ticket_code": line.ticket_code,
                }
                for line in lines
            ],
        }


_CENTS = Decimal("0.01")
_datetime_field = serializers.DateTimeField()


def _money(value) -> str:
    """As DRF's DecimalField(decimal_places=2) renders it."""
    return str(Decimal(value).quantize(_CENTS))


def _when(value) -> str | None:
    return None if value is None else _datetime_field.to_representation(value)
