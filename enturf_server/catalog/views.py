"""Catalog API: venues, seat maps, events, tickets. Thin: input -> service -> output."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response

from enturf_core.seatmap_editing.file_format import SeatMapFileError
from enturf_core.seatmap_editing.pretix_format import to_pretix
from enturf_core.staff_rights import Right
from enturf_server.accounts.rights import ANYONE, HasRight
from enturf_server.api.errors import ServiceError
from enturf_server.api.inputs import validated
from enturf_server.catalog import selectors, services
from enturf_server.catalog.filters import EventFilter, SeatMapFilter, TicketFilter
from enturf_server.catalog.models import Area, Event, SeatMap, Ticket, Venue
from enturf_server.catalog.seatmap_export import export_filename, seat_map_file
from enturf_server.catalog.seatmap_layout import parse_layout
from enturf_server.catalog.serializers import (
    AreaDetailOutput,
    EventDetailOutput,
    EventDuplicateInput,
    EventInput,
    EventOutput,
    EventUpdateInput,
    SeatMapDetailOutput,
    SeatMapFieldsInput,
    SeatMapImportInput,
    SeatMapLayoutInput,
    SeatMapOutput,
    TicketInput,
    TicketOutput,
    TicketRemovalOutput,
    TicketUpdateInput,
    VenueInput,
    VenueOutput,
)

EXPORT_FORMATS = ("enturf", "pretix")
CONFLICT = OpenApiResponse(description="refused: the object is in use (error shape)")


def _referenced(model: type[Model], pk: int, field: str) -> Model:
    """An object named by id in a request body: a missing one is bad input (400), not 404."""
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ServiceError(
            f"There is no {model._meta.verbose_name} with id {pk}.",
            code="invalid_reference",
            details={"field": field},
        )
    return obj


def _json_object(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise ServiceError("The request body must be a JSON object.", code="invalid")
    return request.data


class FormatParamIsTheFiles(DefaultContentNegotiation):
    """`?format=` of the export names the file's format, not DRF's renderer: JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class VenueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Venues: staff read; `edit_seat_maps` writes."""

    permission_classes = [HasRight(Right.EDIT_SEAT_MAPS, read=True)]
    serializer_class = VenueOutput
    queryset = Venue.objects.order_by("name", "id")
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @extend_schema(request=VenueInput, responses={201: VenueOutput})
    def create(self, request):
        venue = services.create_venue(actor=request.user, **validated(VenueInput, request.data))
        return Response(VenueOutput(venue).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VenueInput(partial=True), responses=VenueOutput)
    def partial_update(self, request, pk=None):
        fields = validated(VenueInput, request.data, partial=True)
        venue = services.update_venue(actor=request.user, venue=self.get_object(), **fields)
        return Response(VenueOutput(venue).data)

    @extend_schema(responses={204: None, 409: CONFLICT})
    def destroy(self, request, pk=None):
        services.delete_venue(actor=request.user, venue=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class SeatMapViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Seat maps: staff read; `edit_seat_maps` imports and edits. Immutable once an event
    uses them."""

    permission_classes = [HasRight(Right.EDIT_SEAT_MAPS, read=True)]
    serializer_class = SeatMapOutput
    filterset_class = SeatMapFilter

    def get_queryset(self):
        return selectors.seat_map_list()

    @extend_schema(
        responses=SeatMapDetailOutput,
        description="The whole layout in one call: sections -> rows -> seats, and GA areas.",
    )
    def retrieve(self, request, pk=None):
        seat_map = self.get_object()
        data = dict(SeatMapOutput(seat_map).data)
        data["areas"] = AreaDetailOutput(seat_map.areas.all(), many=True).data
        data["sections"] = selectors.seat_map_sections(seat_map=seat_map)
        return Response(data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=list(EXPORT_FORMATS),
                description="enturf (default): Enturf's seat-map file; pretix: pretix's "
                "seating plan",
            )
        ],
        responses={200: OpenApiResponse(description="the seat-map file (JSON)")},
        description='The seat map as a file (docs/seat-map.md, "File format"): the editor '
        "opens it and `POST /seatmaps/` (with `venue`) imports it.",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="export",
        content_negotiation_class=FormatParamIsTheFiles,
    )
    def export(self, request, pk=None):
        kind = request.query_params.get("format", "enturf")
        if kind not in EXPORT_FORMATS:
            raise ServiceError(
                f"Unknown export format {kind!r:.40}; use {' or '.join(EXPORT_FORMATS)}.",
                code="invalid_format",
                details={"format": list(EXPORT_FORMATS)},
            )
        seat_map = self.get_object()
        body = seat_map_file(seat_map)
        if kind == "pretix":
            try:
                body = to_pretix(body)
            except SeatMapFileError as error:  # a map stored before today's checks
                raise ServiceError(
                    f"This seat map cannot be written as a pretix plan: {error.message}",
                    code="export_failed",
                    details=error.details,
                ) from None
        filename = export_filename(seat_map, pretix=kind == "pretix")
        return Response(body, headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @extend_schema(
        request=SeatMapImportInput,
        responses={201: SeatMapOutput},
        description="Import a whole seat map (up to 100,000 seats). The same venue and name "
        "again creates the next version.",
    )
    def create(self, request):
        data = _json_object(request)
        fields = validated(SeatMapImportInput, _scalars(data))
        layout = parse_layout(data)
        venue = _referenced(Venue, fields.pop("venue"), "venue")
        seat_map = services.import_seat_map(
            actor=request.user, venue=venue, layout=layout, **fields
        )
        return Response(SeatMapOutput(seat_map).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SeatMapLayoutInput,
        responses={200: SeatMapOutput, 409: CONFLICT},
        description="Replace the layout of a seat map that no event uses yet.",
    )
    def update(self, request, pk=None):
        data = _json_object(request)
        fields = validated(SeatMapLayoutInput, _scalars(data))
        layout = parse_layout(data)
        seat_map = services.replace_seat_map_layout(
            actor=request.user, seat_map=self.get_object(), layout=layout, **fields
        )
        return Response(SeatMapOutput(seat_map).data)

    @extend_schema(
        request=SeatMapFieldsInput,
        responses={200: SeatMapOutput, 409: CONFLICT},
        description="Rename, move the stage focal point or resize a seat map no event uses yet.",
    )
    def partial_update(self, request, pk=None):
        fields = validated(SeatMapFieldsInput, request.data)
        seat_map = services.update_seat_map(
            actor=request.user, seat_map=self.get_object(), **fields
        )
        return Response(SeatMapOutput(seat_map).data)

    @extend_schema(responses={204: None, 409: CONFLICT})
    def destroy(self, request, pk=None):
        services.delete_seat_map(actor=request.user, seat_map=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=SeatMapLayoutInput,
        responses={201: SeatMapOutput},
        description="Create version N+1 of this seat map (same venue and name): with the "
        "layout in the body, or, with no sections and areas, as a copy of this version. "
        "Seat keys stay stable.",
    )
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        data = _json_object(request)
        fields = validated(SeatMapLayoutInput, _scalars(data))
        fields.pop("name", None)  # a version keeps its name; rename with PATCH
        has_layout = any(k in data for k in SeatMapLayoutInput.LAYOUT_FIELDS)
        seat_map = services.create_seat_map_version(
            actor=request.user,
            seat_map=self.get_object(),
            layout=parse_layout(data) if has_layout else None,
            **fields,
        )
        return Response(SeatMapOutput(seat_map).data, status=status.HTTP_201_CREATED)


def _scalars(data: dict[str, Any]) -> dict[str, Any]:
    """The seat map's own fields; sections and areas go to `parse_layout`."""
    return {k: v for k, v in data.items() if k not in SeatMapLayoutInput.LAYOUT_FIELDS}


@extend_schema_view(
    list=extend_schema(
        description="Events, soonest first. Customers and visitors see on-sale and closed "
        "events; staff see all."
    )
)
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRight(Right.EDIT_EVENTS, read=ANYONE)]
    serializer_class = EventOutput
    filterset_class = EventFilter
    filter_backends = [*viewsets.GenericViewSet.filter_backends, OrderingFilter]
    ordering_fields = ["starts_at", "name"]
    ordering = ["starts_at", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.event_list(user=self.request.user)

    @extend_schema(responses=EventDetailOutput)
    def retrieve(self, request, pk=None):
        event = self.get_object()
        tickets = selectors.event_tickets(event=event, user=request.user)
        return Response(EventDetailOutput(event, context={"tickets": tickets}).data)

    @extend_schema(request=EventInput, responses={201: EventDetailOutput})
    def create(self, request):
        fields = validated(EventInput, request.data)
        seat_map = _referenced(SeatMap, fields.pop("seat_map"), "seat_map")
        event = services.create_event(actor=request.user, seat_map=seat_map, **fields)
        return Response(EventDetailOutput(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=EventDuplicateInput,
        responses={201: EventDetailOutput(many=True)},
        description="Draft copies of the event at each start time (a duplicate, or a series "
        "of up to 52 dates), with its active tickets; the end and the sales window move by "
        "the same offset as the start.",
    )
    @action(detail=True, methods=["post"], pagination_class=None)  # a bare list, not a page
    def duplicate(self, request, pk=None):
        data = validated(EventDuplicateInput, request.data)
        copies = services.duplicate_event(
            actor=request.user, event=self.get_object(), starts_at=data["starts_at"]
        )
        return Response(
            [EventDetailOutput(copy).data for copy in copies], status=status.HTTP_201_CREATED
        )

    @extend_schema(request=EventUpdateInput, responses={200: EventDetailOutput, 409: CONFLICT})
    def partial_update(self, request, pk=None):
        fields = validated(EventUpdateInput, request.data)
        event = services.update_event(actor=request.user, event=self.get_object(), **fields)
        return Response(EventDetailOutput(event).data)

    @extend_schema(responses={204: None, 409: CONFLICT})
    def destroy(self, request, pk=None):
        services.delete_event(actor=request.user, event=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """An event's prices. Same rule as events: anyone reads, `edit_events` writes."""

    permission_classes = [HasRight(Right.EDIT_EVENTS, read=ANYONE)]
    serializer_class = TicketOutput
    filterset_class = TicketFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.ticket_list(user=self.request.user).order_by("event_id", "position", "id")

    @extend_schema(request=TicketInput, responses={201: TicketOutput})
    def create(self, request):
        fields = validated(TicketInput, request.data)
        event = _referenced(Event, fields.pop("event"), "event")
        if fields.get("area") is not None:
            fields["area"] = _referenced(Area, fields["area"], "area")
        ticket = services.create_ticket(actor=request.user, event=event, **fields)
        return Response(TicketOutput(ticket).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TicketUpdateInput, responses={200: TicketOutput, 409: CONFLICT})
    def partial_update(self, request, pk=None):
        fields = validated(TicketUpdateInput, request.data)
        if fields.get("area") is not None:
            fields["area"] = _referenced(Area, fields["area"], "area")
        ticket: Ticket = self.get_object()
        ticket = services.update_ticket(actor=request.user, ticket=ticket, **fields)
        return Response(TicketOutput(ticket).data)

    @extend_schema(
        responses={
            200: TicketRemovalOutput,
            409: OpenApiResponse(
                description="refused: `event_cancelled` (a sold ticket of a cancelled event "
                "cannot be retired) (error shape)"
            ),
        }
    )
    def destroy(self, request, pk=None):
        """Remove a ticket as the counter's `ticket_remove` op does: deleted if it was never
        sold, else retired (`active` false, kept for its bookings)."""
        ticket: Ticket = self.get_object()
        outcome = services.remove_ticket(actor=request.user, ticket=ticket)
        kept = Ticket.objects.get(pk=ticket.pk) if outcome == "retired" else None
        return Response(TicketRemovalOutput({"outcome": outcome, "ticket": kept}).data)
