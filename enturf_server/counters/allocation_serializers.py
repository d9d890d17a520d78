"""Input and output shapes of the allocations API (admin). No business rules here."""

from __future__ import annotations

from rest_framework import serializers

from enturf_server.api.inputs import id_field
from enturf_server.counters.allocations import MAX_SEATS_PER_ALLOCATION_REQUEST

MAX_PLACES = 100_000


def _seat_list() -> serializers.ListField:
    return serializers.ListField(
        child=id_field(), max_length=MAX_SEATS_PER_ALLOCATION_REQUEST, required=False, default=list
    )


class AllocationAreaInput(serializers.Serializer):
    area = id_field()
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_PLACES)


class AllocationAreaSetInput(AllocationAreaInput):
    quantity = serializers.IntegerField(min_value=0, max_value=MAX_PLACES)


class AllocationCreateInput(serializers.Serializer):
    device = id_field()
    seats = _seat_list()
    areas = serializers.ListField(
        child=AllocationAreaInput(), max_length=1000, required=False, default=list
    )

    def validate(self, attrs):
        if not attrs["seats"] and not attrs["areas"]:
            raise serializers.ValidationError("Give seats and/or areas to allocate.")
        return attrs


class AllocationUpdateInput(serializers.Serializer):
    add_seats = _seat_list()
    remove_seats = _seat_list()
    areas = serializers.ListField(
        child=AllocationAreaSetInput(),
        max_length=1000,
        required=False,
        help_text="absolute quotas; 0 ends an area's quota",
    )
    force = serializers.BooleanField(
        required=False,
        default=False,
        help_text="release at once instead of after the counter's next push (a lost counter)",
    )

    def validate(self, attrs):
        if not (
            attrs["add_seats"] or attrs["remove_seats"] or attrs.get("areas") or attrs["force"]
        ):
            raise serializers.ValidationError(
                "Nothing to change: give add_seats, remove_seats, areas or force."
            )
        return attrs


class AllocationReleaseQuery(serializers.Serializer):
    force = serializers.BooleanField(required=False, default=False)


class AllocationPendingOutput(serializers.Serializer):
    seats = serializers.ListField(child=serializers.IntegerField())
    areas = serializers.DictField(child=serializers.IntegerField())
    requested_at = serializers.DateTimeField(allow_null=True)


class AllocationOutput(serializers.Serializer):
    """`counters.allocations.allocation_data`: the same shape as the synced entity."""

    id = serializers.IntegerField()
    event = serializers.IntegerField()
    device = serializers.IntegerField()
    seats = serializers.ListField(child=serializers.IntegerField())
    areas = serializers.DictField(child=serializers.IntegerField(), help_text="area id -> places")
    sold = serializers.DictField(child=serializers.IntegerField())
    pending_release = AllocationPendingOutput()
    version = serializers.IntegerField()
