"""Counter shifts: a drawer opened with a counted float, its cash movements and the Z close.

A shift is recorded at the counter (offline or not) and arrives by push; the server keeps
what the counter computed next to its own figures. Nothing changes once it is closed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ShiftState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ApprovalStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed"
    SIGNED = "signed", "Approved at the counter (signed)"
    AWAITING = "awaiting_admin", "Waiting for an administrator"
    APPROVED_ONLINE = "approved_online", "Approved online by an administrator"


class Shift(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, help_text="the counter's id")
    device = models.ForeignKey(
        "accounts.Device", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(db_index=True)
    opening_float = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    closed_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        max_length=8, choices=ShiftState.choices, default=ShiftState.OPEN, db_index=True
    )
    counted = models.JSONField(default=dict, blank=True, help_text="method -> amount")
    z_report = models.JSONField(
        default=dict, blank=True, help_text="the counter's report and the server's check"
    )
    difference = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="the counter's"
    )
    server_difference = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approval_status = models.CharField(
        max_length=16,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.NOT_NEEDED,
        db_index=True,
        help_text="whether the close's difference was approved, and how",
    )
    approval = models.OneToOneField(
        "accounts.Approval", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at", "id"]

    def __str__(self) -> str:
        return f"shift {timezone.localtime(self.opened_at):%Y-%m-%d %H:%M} ({self.state})"


class MovementKind(models.TextChoices):
    FLOAT = "float", "Opening float"
    CASH_IN = "cash_in", "Cash in"
    CASH_OUT = "cash_out", "Cash out"


class DrawerMovement(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, help_text="the counter's id")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=8, choices=MovementKind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="always positive")
    reason = models.CharField(max_length=300, blank=True, default="")
    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
