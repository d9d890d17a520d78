"""Door check-in: the lists that say who a door lets in, and every scan made at a door.

A scan is recorded whatever its verdict (refused ones too), under the id the device gave
it, so a replay of the same scan (a push sent again, a retried request) is the same row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from enturf_core.checkin_verdicts import Verdict
from enturf_server.accounts.models import Device
from enturf_server.catalog.models import Event, Ticket
from enturf_server.sales.models import BookingLine

DEFAULT_LIST_NAME = "All tickets"


class CheckinList(models.Model):
    """Who a door lets in for an event: the tickets it admits (none: all of the event's),
    its gates (none: any), whether exits are scanned and a ticket may come back in, and
    the time window."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checkin_lists")
    name = models.CharField(max_length=100)
    tickets = models.ManyToManyField(Ticket, blank=True, related_name="checkin_lists")
    gates = models.JSONField(default=list, blank=True, help_text="gate names; empty: any gate")
    exits = models.BooleanField(default=False, help_text="entry and exit scanning")
    reentry = models.BooleanField(default=False, help_text="in again after an exit")
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    is_default = models.BooleanField(
        default=False, help_text="made by the server for an event that had no list"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=models.Q(is_default=True),
                name="checkin_one_default_list_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event_id})"


class Kind(models.TextChoices):
    ENTRY = "entry", "Entry"
    EXIT = "exit", "Exit"


VERDICT_CHOICES = [(v.value, v.value.replace("_", " ").capitalize()) for v in Verdict]


class CheckinRecord(models.Model):
    """One scan at a door. `line_ref` is the booking line the code names (set for every
    genuine code, also before a counter's offline sale reached the server: `line` is then
    empty until it does); an unknown code keeps only its SHA-256 `code_digest`."""

    id = models.UUIDField(primary_key=True, help_text="the device's id of the scan")
    checkin_list = models.ForeignKey(CheckinList, on_delete=models.PROTECT, related_name="records")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    line = models.ForeignKey(
        BookingLine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checkins",
        db_constraint=False,  # set when the line arrives; `line_ref` holds it meanwhile
    )
    line_ref = models.UUIDField(null=True, blank=True, db_index=True)
    code_digest = models.CharField(max_length=64, blank=True, default="")
    gate = models.CharField(max_length=100, blank=True, default="")
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.SET_NULL)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.ENTRY)
    scanned_at = models.DateTimeField(help_text="the device's time")
    received_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(
        max_length=20, choices=VERDICT_CHOICES, help_text="what the door did"
    )
    server_verdict = models.CharField(
        max_length=20,
        choices=VERDICT_CHOICES,
        help_text="what the server says of the scan (an offline device may have said otherwise)",
    )
    reason = models.CharField(max_length=300, blank=True, default="", help_text="in plain words")
    offline = models.BooleanField(default=False, help_text="pushed by a device (op checkin)")
    double_entry = models.BooleanField(default=False)
    override_reason = models.CharField(max_length=500, blank=True, default="")
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["scanned_at", "received_at", "id"]
        indexes = [
            models.Index(fields=["checkin_list", "line_ref", "scanned_at"]),
            models.Index(fields=["event", "checkin_list", "gate"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.verdict} at {self.gate or 'any gate'} ({self.scanned_at})"
