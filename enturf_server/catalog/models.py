"""Venues, seat maps (versioned), events and their tickets."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

SEAT_FLAG_FIELDS = ("accessible", "companion", "obstructed", "aisle")


class Venue(models.Model):
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    version = models.PositiveIntegerField(default=1, help_text="counts edits (sync)")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class SeatMap(models.Model):
    """One version of a venue's layout. Immutable once an event uses it: edit a new version.

    Coordinates are in abstract map units (the POS scales them to fit); `stage_x`,
    `stage_y` mark the focal point "best seats" measure from.
    """

    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="seat_maps")
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    stage_x = models.FloatField(default=0)
    stage_y = models.FloatField(default=0)
    width = models.FloatField(default=0)
    height = models.FloatField(default=0)
    revision = models.PositiveIntegerField(
        default=1, help_text="counts edits of this row (sync); `version` is the layout version"
    )
    # what the editor draws besides seats (docs/seat-map.md, "File format"):
    # {"categories": [{"name", "colour"}], "decorations": [{"kind", "points", ...}]}
    drawing = models.JSONField(default=dict, blank=True)
    # the editor's draft this version was published from (`seatmap_publish`): a replay
    # of the op finds it again
    origin = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "name", "version"], name="seatmap_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.venue} / {self.name} v{self.version}"

    @property
    def is_used(self) -> bool:
        return self.events.exists()


class Section(models.Model):
    seat_map = models.ForeignKey(SeatMap, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    # the venue's quality ranking for "best available": 1 is the best section; null
    # leaves it to the default (centre-facing sections first, see enturf_core.seating.best_available)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    # the section's plate, [[x, y], ...]; null: drawn around its seats
    outline = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["seat_map", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["seat_map", "name"], name="section_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Row(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="rows")
    label = models.CharField(max_length=20)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["section", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "label"], name="row_label_unique")
        ]

    def __str__(self) -> str:
        return f"{self.section} row {self.label}"


class Seat(models.Model):
    """A seat. `key` is stable across seat-map versions (e.g. "stalls/A/12")."""

    seat_map = models.ForeignKey(SeatMap, on_delete=models.CASCADE, related_name="seats")
    row = models.ForeignKey(Row, on_delete=models.CASCADE, related_name="seats")
    key = models.CharField(max_length=64)
    label = models.CharField(max_length=20)
    position = models.PositiveIntegerField(default=0, help_text="order within the row")
    x = models.FloatField()
    y = models.FloatField()
    category = models.CharField(max_length=50, default="standard")
    accessible = models.BooleanField(default=False)
    companion = models.BooleanField(default=False)
    obstructed = models.BooleanField(default=False)
    aisle = models.BooleanField(default=False)

    class Meta:
        ordering = ["seat_map", "id"]
        constraints = [models.UniqueConstraint(fields=["seat_map", "key"], name="seat_key_unique")]

    def __str__(self) -> str:
        return self.key

    @property
    def flags(self) -> list[str]:
        return [f for f in SEAT_FLAG_FIELDS if getattr(self, f)]


class Area(models.Model):
    """A general-admission area (standing) with a capacity; sold by quantity."""

    seat_map = models.ForeignKey(SeatMap, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    x = models.FloatField(default=0)
    y = models.FloatField(default=0)
    width = models.FloatField(default=0)
    height = models.FloatField(default=0)
    # the area's shape, [[x, y], ...]; null: its bounding box (x, y, width, height)
    polygon = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seat_map", "name"], name="area_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.capacity})"


class EventState(models.TextChoices):
    DRAFT = "draft", "Draft"
    ON_SALE = "on_sale", "On sale"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class Event(models.Model):
    """A performance of one seat-map version.

    `version` counts edits of the event itself (sync, optimistic concurrency);
    `inventory_version` counts seat and area status changes (availability `?since=`).
    """

    seat_map = models.ForeignKey(SeatMap, on_delete=models.PROTECT, related_name="events")
    name = models.CharField(max_length=200, db_index=True)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    sales_start = models.DateTimeField(null=True, blank=True)
    sales_end = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=EventState.choices, default=EventState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    inventory_version = models.BigIntegerField(default=0)
    origin = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="the id of the `event_create` op that made it (a replay finds it again)",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({timezone.localtime(self.starts_at):%Y-%m-%d %H:%M})"

    @property
    def venue(self) -> Venue:
        return self.seat_map.venue


class Ticket(models.Model):
    """A price for an event: sells seats of one category, or places in one GA area."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tickets")
    name = models.CharField(max_length=100)
    price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(max_length=3, default="EUR")
    tax_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="percent, included in the price",
    )
    category = models.CharField(
        max_length=50, blank=True, default="", help_text="seat category this ticket sells"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    max_per_booking = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    origin = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="the counter's id of the new ticket in its `event_create` / `ticket_create` op",
    )

    class Meta:
        ordering = ["event", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(category="") & models.Q(area__isnull=True)),
                name="ticket_sells_category_or_area",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event.name}: {self.name} {self.price} {self.currency}"
