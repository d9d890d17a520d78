"""Catalog serializers: small input serializers per operation, and the read shapes.

The read shapes (`*Output`) are also what the services emit into the sync change log,
so a counter sees the same dict as an API client.
"""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enturf_core.seatmap_editing import file_format as fmt
from enturf_server.api.inputs import id_field, model_int_field
from enturf_server.catalog.models import Area, Event, EventState, SeatMap, Ticket, Venue
from enturf_server.catalog.selectors import seat_map_drawing

# ---- venues -------------------------------------------------------------------------


class VenueOutput(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = ["id", "name", "address", "timezone", "version", "created_at", "updated_at"]
        read_only_fields = fields


class VenueInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    timezone = serializers.CharField(required=False, max_length=64)


# ---- seat maps ----------------------------------------------------------------------


class AreaOutput(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name", "capacity", "x", "y", "width", "height"]
        read_only_fields = fields


class CategoryColour(serializers.Serializer):
    name = serializers.CharField()
    colour = serializers.CharField(help_text="#RRGGBB")


class Decoration(serializers.Serializer):
    kind = serializers.CharField(help_text="stage, label, rect, ellipse, polygon or line")
    points = serializers.ListField(child=serializers.ListField(child=serializers.FloatField()))
    text = serializers.CharField(required=False, max_length=200)
    rotation = serializers.FloatField(required=False, help_text="degrees")


def _polygon(**kwargs) -> serializers.ListField:
    """A polygon [[x, y], ...] (schema)."""
    kwargs.setdefault("help_text", "[[x, y], ...], 3-1,000 points")
    return serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        **kwargs,
    )


class DrawingOutput(serializers.Serializer):
    """Schema only: what the editor draws besides seats (`selectors.seat_map_drawing`)."""

    categories = CategoryColour(many=True)
    outlines = serializers.DictField(child=_polygon(), help_text="section name -> polygon")
    area_polygons = serializers.DictField(child=_polygon(), help_text="area name -> polygon")
    decorations = Decoration(many=True)


class SeatMapOutput(serializers.ModelSerializer):
    """A seat map without its seats (list, sync): counts, categories, GA areas and the
    drawing (category colours, outlines, area polygons, decorations)."""

    venue_name = serializers.CharField(source="venue.name", read_only=True)
    seat_count = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()
    in_use = serializers.SerializerMethodField()
    areas = AreaOutput(many=True, read_only=True)
    drawing = serializers.SerializerMethodField()

    class Meta:
        model = SeatMap
        fields = [
            "id",
            "venue",
            "venue_name",
            "name",
            "version",
            "revision",
            "stage_x",
            "stage_y",
            "width",
            "height",
            "seat_count",
            "categories",
            "areas",
            "in_use",
            "created_at",
            "drawing",
        ]
        read_only_fields = fields

    @extend_schema_field(DrawingOutput)
    def get_drawing(self, obj: SeatMap) -> dict:
        return seat_map_drawing(obj)

    def get_seat_count(self, obj: SeatMap) -> int:
        annotated = getattr(obj, "seat_count", None)
        return annotated if annotated is not None else obj.seats.count()

    def get_categories(self, obj: SeatMap) -> list[str]:
        return sorted(set(obj.seats.values_list("category", flat=True).distinct()))

    def get_in_use(self, obj: SeatMap) -> bool:
        annotated = getattr(obj, "in_use", None)
        return bool(annotated) if annotated is not None else obj.is_used


class SeatOutput(serializers.Serializer):
    """Schema only: seat map detail is built from `.values()` (see selectors)."""

    id = serializers.IntegerField()
    key = serializers.CharField()
    label = serializers.CharField()
    x = serializers.FloatField()
    y = serializers.FloatField()
    category = serializers.CharField()
    accessible = serializers.BooleanField()
    companion = serializers.BooleanField()
    obstructed = serializers.BooleanField()
    aisle = serializers.BooleanField()


class RowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    seats = SeatOutput(many=True)


class SectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True, help_text="1 is the venue's best section")
    outline = _polygon(allow_null=True)
    rows = RowOutput(many=True)


class AreaDetailOutput(AreaOutput):
    class Meta(AreaOutput.Meta):
        fields = [*AreaOutput.Meta.fields, "polygon"]
        read_only_fields = fields


class SeatMapDetailOutput(SeatMapOutput):
    """Schema only: the detail is built from `.values()` (see views)."""

    areas = AreaDetailOutput(many=True, read_only=True)
    sections = SectionOutput(many=True, read_only=True)

    class Meta(SeatMapOutput.Meta):
        fields = [*SeatMapOutput.Meta.fields, "sections"]
        read_only_fields = fields


class SeatInput(serializers.Serializer):
    key = serializers.CharField(
        required=False,
        max_length=fmt.SEAT_KEY_MAX,
        help_text='stable across versions; default "<section>/<row>/<label>"',
    )
    label = serializers.CharField(max_length=fmt.SEAT_LABEL_MAX)
    x = serializers.FloatField()
    y = serializers.FloatField()
    category = serializers.CharField(
        required=False, max_length=fmt.CATEGORY_MAX, default=fmt.DEFAULT_CATEGORY
    )
    accessible = serializers.BooleanField(required=False, default=False)
    companion = serializers.BooleanField(required=False, default=False)
    obstructed = serializers.BooleanField(required=False, default=False)
    aisle = serializers.BooleanField(required=False, default=False)


class RowInput(serializers.Serializer):
    label = serializers.CharField(max_length=fmt.ROW_LABEL_MAX)
    seats = SeatInput(many=True)


class SectionInput(serializers.Serializer):
    name = serializers.CharField(max_length=fmt.SECTION_NAME_MAX)
    rank = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=fmt.MAX_SECTION_RANK,
        help_text='the venue\'s quality rank for "best available": 1 is the best section',
    )
    outline = _polygon(
        required=False,
        allow_null=True,
        help_text="the section's plate, 3-1,000 points [x, y]; default: around its seats",
    )
    rows = RowInput(many=True)


class AreaInput(serializers.Serializer):
    name = serializers.CharField(max_length=fmt.AREA_NAME_MAX)
    capacity = serializers.IntegerField(min_value=1, max_value=fmt.MAX_AREA_CAPACITY)
    x = serializers.FloatField(required=False, default=0)
    y = serializers.FloatField(required=False, default=0)
    width = serializers.FloatField(required=False, default=0, min_value=0)
    height = serializers.FloatField(required=False, default=0, min_value=0)
    polygon = _polygon(
        required=False, allow_null=True, help_text="the area's shape, 3-1,000 points [x, y]"
    )


class SeatMapFieldsInput(serializers.Serializer):
    """The seat map's own fields (PATCH of an unused seat map)."""

    name = serializers.CharField(max_length=fmt.SEAT_MAP_NAME_MAX, required=False)
    stage_x = serializers.FloatField(required=False)
    stage_y = serializers.FloatField(required=False)
    width = serializers.FloatField(required=False, min_value=0, help_text="default: fit the seats")
    height = serializers.FloatField(required=False, min_value=0)


class SeatMapLayoutInput(SeatMapFieldsInput):
    """A layout without venue: PUT of an unused seat map, or `new-version/`.

    At run time only the scalar fields go through this serializer; `sections` and
    `areas` (up to 100,000 seats) are checked by `file_format.parse_layout`, which
    is many times faster than nested serializers. The nested fields are here so the
    OpenAPI schema shows the whole format.
    """

    format = serializers.CharField(required=False, help_text='"enturf-seatmap/1"')
    categories = CategoryColour(many=True, required=False)
    sections = SectionInput(many=True, required=False)
    areas = AreaInput(many=True, required=False)
    decorations = Decoration(many=True, required=False)

    # checked by `parse_layout`, not by this serializer
    LAYOUT_FIELDS = ("format", "categories", "sections", "areas", "decorations")


class SeatMapImportInput(SeatMapLayoutInput):
    venue = id_field()
    name = serializers.CharField(max_length=fmt.SEAT_MAP_NAME_MAX)


# ---- events and tickets ---------------------------------------------------------------


class TicketOutput(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = [
            "id",
            "event",
            "name",
            "price",
            "currency",
            "tax_rate",
            "category",
            "area",
            "max_per_booking",
            "position",
            "active",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Ticket) -> dict:
        # The Meta above documents the shape (OpenAPI); building it directly is several
        # times cheaper than DRF's field machinery, and tickets are serialised on every
        # edit for the change log (a push of 1,000 edits).
        return ticket_data(instance)


class TicketRemovalOutput(serializers.Serializer):
    """What `DELETE /tickets/{id}/` did (the push op `ticket_remove`'s outcome): `deleted`
    (never sold; `ticket` null) or `retired` (sold: kept, `active` false; `ticket` as now)."""

    outcome = serializers.ChoiceField(choices=["deleted", "retired"])
    ticket = TicketOutput(allow_null=True)


_PRICE = serializers.DecimalField(max_digits=12, decimal_places=2)
_RATE = serializers.DecimalField(max_digits=5, decimal_places=2)
_WHEN = serializers.DateTimeField()


def ticket_data(ticket: Ticket) -> dict:
    """A ticket as the API and the change log show it (same values as a ModelSerializer)."""
    return {
        "id": ticket.pk,
        "event": ticket.event_id,
        "name": ticket.name,
        "price": _PRICE.to_representation(ticket.price),
        "currency": ticket.currency,
        "tax_rate": _RATE.to_representation(ticket.tax_rate),
        "category": ticket.category,
        "area": ticket.area_id,
        "max_per_booking": ticket.max_per_booking,
        "position": ticket.position,
        "active": ticket.active,
        "version": ticket.version,
        "updated_at": _WHEN.to_representation(ticket.updated_at) if ticket.updated_at else None,
    }


class TicketInput(serializers.Serializer):
    event = id_field()
    name = serializers.CharField(max_length=100)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"))
    currency = serializers.CharField(
        max_length=3, required=False, help_text="must be the site's currency (default)"
    )
    tax_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
        help_text="percent, included in the price",
    )
    category = serializers.CharField(
        max_length=fmt.CATEGORY_MAX, required=False, allow_blank=True, default=""
    )
    area = id_field(required=False, allow_null=True, default=None)
    max_per_booking = model_int_field(
        Ticket, "max_per_booking", min_value=1, required=False, allow_null=True
    )
    position = model_int_field(Ticket, "position", required=False)
    active = serializers.BooleanField(required=False)


class TicketUpdateInput(TicketInput):
    event = None
    name = serializers.CharField(max_length=100, required=False)
    price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False
    )
    category = serializers.CharField(max_length=fmt.CATEGORY_MAX, required=False, allow_blank=True)
    area = id_field(required=False, allow_null=True)


class EventOutput(serializers.ModelSerializer):
    venue = serializers.IntegerField(source="seat_map.venue_id", read_only=True)
    venue_name = serializers.CharField(source="seat_map.venue.name", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "name",
            "description",
            "venue",
            "venue_name",
            "seat_map",
            "starts_at",
            "ends_at",
            "sales_start",
            "sales_end",
            "state",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EventDetailOutput(EventOutput):
    tickets = serializers.SerializerMethodField()

    class Meta(EventOutput.Meta):
        fields = [*EventOutput.Meta.fields, "tickets"]
        read_only_fields = fields

    @extend_schema_field(TicketOutput(many=True))
    def get_tickets(self, obj: Event) -> list[dict]:
        tickets = self.context.get("tickets")
        if tickets is None:
            tickets = obj.tickets.all()
        return TicketOutput(tickets, many=True).data


class EventInput(serializers.Serializer):
    seat_map = id_field()
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    sales_start = serializers.DateTimeField(required=False, allow_null=True)
    sales_end = serializers.DateTimeField(required=False, allow_null=True)
    state = serializers.ChoiceField(
        choices=EventState.choices,
        required=False,
        default=EventState.DRAFT,
        help_text="a new event is draft (default) or on_sale",
    )


class EventDuplicateInput(serializers.Serializer):
    starts_at = serializers.ListField(
        child=serializers.DateTimeField(),
        min_length=1,
        max_length=52,
        help_text="the start of each copy: one for a duplicate, several for a series",
    )


class EventUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    sales_start = serializers.DateTimeField(required=False, allow_null=True)
    sales_end = serializers.DateTimeField(required=False, allow_null=True)
    state = serializers.ChoiceField(
        choices=EventState.choices,
        required=False,
        help_text="draft -> on_sale -> closed (and back to on_sale); any but cancelled -> cancelled",
    )
