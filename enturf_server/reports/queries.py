"""The reports' query parameters: read and checked before any figure is computed.

Every refusal is a 400 in the API's error shape with the field that is wrong; ids are
checked against the database here (an unknown venue or event, or an event of another
venue, is the caller's mistake, not an empty report).
"""

from __future__ import annotations

from datetime import date

from rest_framework import serializers

from enturf_server.api.inputs import id_field
from enturf_server.catalog.models import Event, Venue

DAY_FORMAT = "%Y-%m-%d"
MAX_RANGE_DAYS = 3660  # ten years: anything longer is a typo, not a report

GROUPS = ("day", "event", "ticket", "category", "channel", "counter", "cashier", "payment_method")


def _day_field() -> serializers.DateField:
    return serializers.DateField(
        required=False, input_formats=[DAY_FORMAT], format=DAY_FORMAT, allow_null=False
    )


class PeriodQuery(serializers.Serializer):
    """`from` / `to` (inclusive days in the venue's zone) and an optional `venue`."""

    venue = id_field(required=False)

    def get_fields(self):
        fields = super().get_fields()
        # `from` is a keyword: declared here rather than as a class attribute
        fields["from"] = _day_field()
        fields["to"] = _day_field()
        return fields

    def validate_venue(self, value: int) -> Venue:
        venue = Venue.objects.filter(pk=value).first()
        if venue is None:
            raise serializers.ValidationError(f"There is no venue {value}.")
        return venue

    def validate(self, attrs):
        start: date | None = attrs.get("from")
        end: date | None = attrs.get("to")
        if start and end:
            if start > end:
                raise serializers.ValidationError({"from": "from must not be after to."})
            if (end - start).days > MAX_RANGE_DAYS:
                raise serializers.ValidationError(
                    {"to": f"The range may span at most {MAX_RANGE_DAYS} days."}
                )
        return attrs


def _event(value: int) -> Event:
    event = Event.objects.select_related("seat_map__venue").filter(pk=value).first()
    if event is None:
        raise serializers.ValidationError(f"There is no event {value}.")
    return event


class SalesQuery(PeriodQuery):
    group_by = serializers.ChoiceField(
        choices=GROUPS,
        error_messages={"invalid_choice": f"Group by one of: {', '.join(GROUPS)}."},
    )
    event = id_field(required=False)

    def validate_event(self, value: int) -> Event:
        return _event(value)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        venue, event = attrs.get("venue"), attrs.get("event")
        if venue is not None and event is not None and event.seat_map.venue_id != venue.pk:
            raise serializers.ValidationError(
                {"event": f"Event {event.pk} is not at venue {venue.pk}."}
            )
        return attrs


class OccupancyQuery(serializers.Serializer):
    event = id_field()

    def validate_event(self, value: int) -> Event:
        return _event(value)


class SalesOverTimeQuery(OccupancyQuery):
    compare_event = id_field(required=False)

    def validate_compare_event(self, value: int) -> Event:
        return _event(value)


class AccountingQuery(PeriodQuery):
    pass
