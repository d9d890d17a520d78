"""Seat inventory, holds and bookings.

Inventory is one row per seat per event plus one counter row per GA area per event.
An expired hold frees its seats lazily: every status check treats `held_until` in the
past as free, and the service layer releases expired holds when it touches an event.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from enturf_core.wire.ops import BLOCK_REASONS


class SeatStatus(models.TextChoices):
    AVAILABLE = "available", "Available"
    HELD = "held", "Held"
    SOLD = "sold", "Sold"
    BLOCKED = "blocked", "Blocked"


class SeatInventory(models.Model):
    event = models.ForeignKey(
        "catalog.Event", on_delete=models.CASCADE, related_name="seat_inventory"
    )
    seat = models.ForeignKey("catalog.Seat", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=SeatStatus.choices, default=SeatStatus.AVAILABLE
    )
    hold = models.ForeignKey(
        "sales.Hold", null=True, blank=True, on_delete=models.SET_NULL, related_name="seat_rows"
    )
    held_until = models.DateTimeField(null=True, blank=True)
    booking = models.ForeignKey(
        "sales.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="seat_rows"
    )
    allocated_to = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.BigIntegerField(
        default=0, help_text="event.inventory_version of the last change"
    )
    block_reason = models.CharField(
        max_length=16,
        blank=True,
        default="",
        db_default="",  # the event's inventory is inserted by INSERT ... SELECT
        choices=[(code, words) for code, words in BLOCK_REASONS.items()],
        help_text="why a blocked seat is blocked (enturf_core.wire.ops.BLOCK_REASONS)",
    )
    block_note = models.CharField(max_length=200, blank=True, default="", db_default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "seat"], name="seat_inventory_unique")
        ]
        indexes = [models.Index(fields=["event", "version"], name="seat_inventory_event_version")]
        verbose_name_plural = "seat inventory"

    def __str__(self) -> str:
        return f"{self.event_id}/{self.seat_id}: {self.status}"


class AreaInventory(models.Model):
    event = models.ForeignKey(
        "catalog.Event", on_delete=models.CASCADE, related_name="area_inventory"
    )
    area = models.ForeignKey("catalog.Area", on_delete=models.PROTECT, related_name="+")
    capacity = models.PositiveIntegerField()
    sold = models.PositiveIntegerField(default=0)
    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "area"], name="area_inventory_unique"),
            models.CheckConstraint(
                condition=models.Q(sold__lte=models.F("capacity")), name="area_not_oversold"
            ),
        ]
        verbose_name_plural = "area inventory"

    def __str__(self) -> str:
        return f"{self.event_id}/{self.area_id}: {self.sold}/{self.capacity}"


class HoldState(models.TextChoices):
    ACTIVE = "active", "Active"
    RELEASED = "released", "Released or booked"
    EXPIRED = "expired", "Expired"


class Hold(models.Model):
    """A cart's seats and GA places, reserved until `expires_at`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey("catalog.Event", on_delete=models.CASCADE, related_name="holds")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="holds",
    )
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # the lazy expiry path looks for unreleased holds of an event past their expiry
            models.Index(
                fields=["event", "expires_at"],
                name="hold_open_expiry",
                condition=models.Q(released_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"hold {self.id} until {timezone.localtime(self.expires_at):%H:%M:%S}"

    def state_at(self, now) -> HoldState:
        """Released before its expiry (by its owner or by booking it), expired, or active."""
        if self.released_at is not None and self.released_at < self.expires_at:
            return HoldState.RELEASED
        if self.expires_at <= now:
            return HoldState.EXPIRED
        return HoldState.ACTIVE


class HoldArea(models.Model):
    hold = models.ForeignKey(Hold, on_delete=models.CASCADE, related_name="areas")
    area = models.ForeignKey("catalog.Area", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hold", "area"], name="hold_area_unique")]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.area_id}"


class BookingState(models.TextChoices):
    PENDING = "pending", "Pending payment"
    PAID = "paid", "Paid"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"
    # a counter sale at prices the server did not agree to: kept (seats sold, payments
    # recorded), not invoiced, until a manager accepts or rejects it (counters.sale_review)
    REVIEW = "review", "Held for a manager's review"


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    COUNTER = "counter", "Counter"


class Booking(models.Model):
    """A sale. Its id may come from the client (offline sales keep their identity)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    code = models.CharField(max_length=12, unique=True, help_text="short human code")
    event = models.ForeignKey("catalog.Event", on_delete=models.PROTECT, related_name="bookings")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
        help_text="the customer who booked online; empty for counter sales",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    buyer_name = models.CharField(max_length=200, blank=True, db_index=True)
    buyer_email = models.EmailField(blank=True, db_index=True)
    state = models.CharField(
        max_length=20, choices=BookingState.choices, default=BookingState.PENDING, db_index=True
    )
    currency = models.CharField(max_length=3, default="EUR")
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    price_mismatch = models.BooleanField(
        default=False,
        help_text="an offline sale recorded at a price that differs from the server's",
    )
    claimed_seller = models.CharField(
        max_length=150,
        blank=True,
        default="",
        help_text="the seller a counter named when it was not the user who pushed the sale: "
        "an unverified note, never the actor (created_by is who the server authenticated)",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # the lazy expiry path looks for pending bookings of an event past their expiry
            models.Index(
                fields=["event", "expires_at"],
                name="booking_pending_expiry",
                condition=models.Q(state="pending"),
            )
        ]

    def __str__(self) -> str:
        return self.code


class LineState(models.TextChoices):
    VALID = "valid", "Valid"
    REFUNDED = "refunded", "Refunded"
    CANCELLED = "cancelled", "Cancelled"


class BookingLine(models.Model):
    """One ticket of a booking: a seat, or one place in a GA area."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="lines")
    ticket = models.ForeignKey("catalog.Ticket", on_delete=models.PROTECT, related_name="+")
    seat = models.ForeignKey(
        "catalog.Seat", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "catalog.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    price = models.DecimalField(max_digits=12, decimal_places=2, help_text="tax-inclusive")
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2)
    tax_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    server_price = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="the server's price when a counter recorded another one (else empty)",
    )
    secret = models.CharField(max_length=43, unique=True, help_text="per-line random secret")
    ticket_code = models.TextField(blank=True, help_text="signed code for the QR, once paid")
    state = models.CharField(max_length=10, choices=LineState.choices, default=LineState.VALID)

    class Meta:
        ordering = ["booking", "id"]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.ticket_id} {self.seat_id or self.area_id}"


class Allocation(models.Model):
    """Seats and GA places of an event set aside for one counter device (offline selling).

    The seats themselves are `SeatInventory.allocated_to` (the source of truth); this row
    carries the GA quota (`areas`), the version counters sync, and what waits to be
    released: a shrink takes effect only after the device's next push
    (`counters.allocations.apply_pending_releases`), so sales it made offline from those
    seats before it heard of the shrink are still accepted.
    """

    event = models.ForeignKey("catalog.Event", on_delete=models.CASCADE, related_name="allocations")
    device = models.ForeignKey("accounts.Device", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    pending_seats = models.JSONField(
        default=list, blank=True, help_text="seat ids released after the device's next push"
    )
    release_requested_at = models.DateTimeField(
        null=True, blank=True, help_text="the latest shrink; a push that starts later applies it"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "device"], name="allocation_unique")
        ]

    def __str__(self) -> str:
        return f"allocation {self.pk}: event {self.event_id} -> device {self.device_id}"


class AllocationArea(models.Model):
    """A device's GA quota in one area: `quantity` places set aside, of which
    `sold_by_device` it has sold; the rest (`quantity - sold_by_device`) nobody else gets."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="areas")
    area = models.ForeignKey("catalog.Area", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    sold_by_device = models.PositiveIntegerField(default=0)
    pending_quantity = models.PositiveIntegerField(
        null=True, blank=True, help_text="the quota after the device's next push (a shrink)"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["allocation", "area"], name="allocation_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.area_id} ({self.sold_by_device} sold)"

    @property
    def reserved(self) -> int:
        """Places still set aside for the device (not sold yet)."""
        return max(0, self.quantity - self.sold_by_device)
