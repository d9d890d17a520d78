"""Billing: vouchers, payments, refunds, stored price breakdowns and processed webhooks.

Payments and refunds are their own objects; a booking is paid when its succeeded
payments cover its total. Card data is never stored beyond gateway ids, brand, last four
digits, expiry month/year and the authorisation code.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper


class VoucherKind(models.TextChoices):
    PERCENT = "percent", "Percentage"
    FIXED = "fixed", "Fixed amount"


class Voucher(models.Model):
    """A discount code. Its uses are counted from its redemptions (see selectors)."""

    code = models.CharField(max_length=40, help_text="unique, case-insensitive")
    kind = models.CharField(max_length=10, choices=VoucherKind.choices)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    currency = models.CharField(max_length=3, blank=True, default="", help_text="fixed only")
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="empty: unlimited")
    events = models.ManyToManyField(
        "catalog.Event", blank=True, related_name="+", help_text="empty: every event"
    )
    tickets = models.ManyToManyField(
        "catalog.Ticket", blank=True, related_name="+", help_text="empty: every ticket"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Upper("code"), name="voucher_code_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.code


class VoucherRedemption(models.Model):
    """One use of a voucher by one booking; counts while the booking is live or paid."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    booking = models.OneToOneField(
        "sales.Booking", on_delete=models.CASCADE, related_name="voucher_redemption"
    )
    discount = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.voucher_id} -> {self.booking_id}"


class BookingBreakdown(models.Model):
    """The `enturf_core.pricing` breakdown of a booking priced with a fee or a voucher.

    Ticket lines carry the booking line id as `key`. Bookings without one are plain: their
    breakdown is rebuilt from their lines (see selectors.booking_breakdown).
    """

    booking = models.OneToOneField(
        "sales.Booking", primary_key=True, on_delete=models.CASCADE, related_name="breakdown"
    )
    data = models.JSONField()

    def __str__(self) -> str:
        return f"breakdown of {self.booking_id}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CARD = "card", "Card"


class PaymentState(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    REFUNDED = "refunded", "Refunded"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"


# payments whose amount counts towards a booking's total
COUNTING_STATES = (
    PaymentState.SUCCEEDED,
    PaymentState.PARTIALLY_REFUNDED,
    PaymentState.REFUNDED,
)


class PaymentChannel(models.TextChoices):
    COUNTER = "counter", "Counter"
    ONLINE = "online", "Online"


class Payment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, help_text="client-supplied")
    booking = models.ForeignKey("sales.Booking", on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    channel = models.CharField(max_length=8, choices=PaymentChannel.choices)
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="applied to the booking"
    )
    tendered = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    change = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    refunded_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3)
    state = models.CharField(
        max_length=20, choices=PaymentState.choices, default=PaymentState.PENDING, db_index=True
    )
    payment_intent = models.CharField(max_length=255, null=True, blank=True, unique=True)
    gateway_status = models.CharField(
        max_length=40, blank=True, default="", help_text="the intent's status when last seen"
    )
    charge_id = models.CharField(max_length=255, blank=True, default="")
    card_brand = models.CharField(max_length=20, blank=True, default="")
    card_last4 = models.CharField(max_length=4, blank=True, default="")
    card_exp_month = models.PositiveSmallIntegerField(null=True, blank=True)
    card_exp_year = models.PositiveSmallIntegerField(null=True, blank=True)
    authorization_code = models.CharField(max_length=40, blank=True, default="")
    failure_code = models.CharField(max_length=60, blank=True, default="")
    request_fingerprint = models.CharField(
        max_length=64, blank=True, default="", help_text="what the first request asked"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # the sales report's payment method of each booking reads only this index
            models.Index(fields=["booking", "state", "method"], name="payment_booking_method")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.amount} {self.currency} ({self.state})"


class RefundState(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class RefundMethod(models.TextChoices):
    CARD = "card", "Card"
    CASH = "cash", "Cash"
    MIXED = "mixed", "Card and cash"
    NONE = "none", "Nothing to pay back"


class Refund(models.Model):
    """Money given back for some or all lines of a paid booking."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    booking = models.ForeignKey("sales.Booking", on_delete=models.PROTECT, related_name="refunds")
    lines = models.ManyToManyField("sales.BookingLine", related_name="refunds")
    whole_booking = models.BooleanField(default=False)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    method = models.CharField(max_length=8, choices=RefundMethod.choices)
    reason = models.CharField(max_length=500, blank=True, default="")
    state = models.CharField(
        max_length=10, choices=RefundState.choices, default=RefundState.PENDING, db_index=True
    )
    failure_message = models.CharField(max_length=300, blank=True, default="")
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"refund {self.amount} {self.currency} of {self.booking_id} ({self.state})"


class RefundPart(models.Model):
    """The share of a refund paid back on one payment (card through the gateway, or cash)."""

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="parts")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refund_parts")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    gateway_refund_id = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.amount} on {self.payment_id}"


class WebhookEvent(models.Model):
    """A gateway event already processed: a replay of its id is refused."""

    id = models.CharField(max_length=255, primary_key=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.id} ({self.type})"
