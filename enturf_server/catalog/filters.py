"""Query filters of the catalog lists (django-filter; bad values answer 400)."""

from __future__ import annotations

import django_filters

from enturf_server.catalog.models import Event, EventState, SeatMap, Ticket


class EventFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="part of the event's name"
    )
    starts_after = django_filters.IsoDateTimeFilter(
        field_name="starts_at", lookup_expr="gte", help_text="ISO date-time; starts at or after"
    )
    starts_before = django_filters.IsoDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", help_text="ISO date-time; starts before"
    )
    date = django_filters.DateFilter(
        field_name="starts_at",
        lookup_expr="date",
        help_text="YYYY-MM-DD: starts on this day (in the server's time zone, ENTURF_TIME_ZONE)",
    )
    state = django_filters.ChoiceFilter(choices=EventState.choices)
    venue = django_filters.NumberFilter(field_name="seat_map__venue")
    seat_map = django_filters.NumberFilter()

    class Meta:
        model = Event
        fields = ["search", "starts_after", "starts_before", "date", "state", "venue", "seat_map"]


class TicketFilter(django_filters.FilterSet):
    event = django_filters.NumberFilter()
    active = django_filters.BooleanFilter()

    class Meta:
        model = Ticket
        fields = ["event", "active"]


class SeatMapFilter(django_filters.FilterSet):
    venue = django_filters.NumberFilter()
    name = django_filters.CharFilter()

    class Meta:
        model = SeatMap
        fields = ["venue", "name"]
