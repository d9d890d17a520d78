"""Input and output shapes of the blocked-seats API (`sales.block_views`)."""

from __future__ import annotations

from rest_framework import serializers

from enturf_core.wire.ops import BLOCK_REASONS
from enturf_server.api.inputs import id_field
from enturf_server.sales.seat_blocks import MAX_SEATS_PER_BLOCK_REQUEST, NOTE_MAX


def _seats() -> serializers.ListField:
    return serializers.ListField(
        child=id_field(), min_length=1, max_length=MAX_SEATS_PER_BLOCK_REQUEST
    )


class SeatReleaseInput(serializers.Serializer):
    seats = _seats()


class SeatBlockInput(SeatReleaseInput):
    reason = serializers.ChoiceField(choices=list(BLOCK_REASONS.items()))
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


class BlockedSeatOutput(serializers.Serializer):
    seat = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=list(BLOCK_REASONS.items()))
    note = serializers.CharField()


class BlockedSeatsOutput(serializers.Serializer):
    """`sales.seat_blocks.blocked_seats` of one event."""

    event = serializers.IntegerField()
    seats = BlockedSeatOutput(many=True)
    reasons = serializers.DictField(
        child=serializers.CharField(), help_text="each reason's code and words"
    )
