from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from enturf_server.accounts.roles import ROLE_CHOICES, STAFF_ROLE_CHOICES, Role


class StaffUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` makes an administrator: a superuser always has the admin role
        (accounts.services.set_role)."""
        extra_fields.setdefault("role", Role.ADMIN.value)
        user = super().create_superuser(username, email, password, **extra_fields)
        user.groups.add(Group.objects.get_or_create(name=Role.ADMIN.value)[0])
        return user


class User(AbstractUser):
    """Enturf's user. `role` mirrors membership of the role's group (accounts.roles)."""

    objects = StaffUserManager()

    role = models.CharField(
        max_length=16,
        choices=ROLE_CHOICES,
        default=Role.CUSTOMER.value,
        db_index=True,
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A user's API token. Only its SHA-256 digest is stored; the key is shown once at login."""

    digest = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    def __str__(self) -> str:
        return f"token of {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"

    @classmethod
    def issue(cls, user: User, lifetime: timedelta, device=None) -> tuple[ApiToken, str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            digest=token_digest(key),
            user=user,
            expires_at=timezone.now() + lifetime,
            device=device,
        )
        return token, key


class DeviceDuty(models.TextChoices):
    COUNTER = "counter", "Counter (sells)"
    DOOR = "door", "Door (scans tickets)"


class Device(models.Model):
    """A registered counter (POS). Its token never expires but can be revoked."""

    name = models.CharField(max_length=100)
    setup_code_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    setup_code_expires_at = models.DateTimeField(null=True, blank=True)
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    signing_public_key = models.TextField(blank=True)
    signing_key_id = models.CharField(
        max_length=16, blank=True, default="", db_index=True, help_text="ticket-code key id"
    )
    reader_id = models.CharField(
        max_length=100, blank=True, default="", help_text="card reader at this counter"
    )
    last_seen_at = models.DateTimeField(null=True, blank=True, help_text="last sync (approx.)")
    duty = models.CharField(
        max_length=10,
        choices=DeviceDuty.choices,
        default=DeviceDuty.COUNTER,
        help_text="which window the device opens: the cashier's or the door's",
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="counts changes counters see (sync): registered, renamed, retired"
    )

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.registered_at is not None and self.retired_at is None


def _between(low: int, high: int) -> list:
    return [MinValueValidator(low), MaxValueValidator(high)]


class SiteSettings(models.Model):
    """The venue operator's settings: one row, edited by admins (API or Django admin)."""

    seller_name = models.CharField(max_length=200, default="Enturf Demo Venue")
    seller_address = models.TextField(default="1 Stage Street\nDemo City")
    seller_vat_id = models.CharField(max_length=50, blank=True, default="")
    currency = models.CharField(max_length=3, default="EUR")
    # Bounds keep every setting one that works: a token lifetime of 0 h expires each
    # token at once, one of 2**31 h overflows every login's expiry time.
    token_lifetime_hours = models.PositiveIntegerField(default=12, validators=_between(1, 720))
    offline_login_days = models.PositiveIntegerField(
        default=7, validators=_between(0, 365), help_text="0: no offline login"
    )
    employee_refund_limit = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("100.00")
    )
    hold_ttl_seconds = models.PositiveIntegerField(default=600, validators=_between(10, 86_400))
    hold_max_seconds = models.PositiveIntegerField(
        default=1800, validators=_between(10, 7 * 86_400)
    )
    booking_ttl_seconds = models.PositiveIntegerField(
        default=1800, validators=_between(60, 7 * 86_400)
    )
    shift_difference_threshold = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("5.00")
    )
    # Booking fee (billing): tax-inclusive, per ticket or once per booking; 0 means no fee.
    booking_fee_amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    booking_fee_basis = models.CharField(
        max_length=12,
        choices=[("per_ticket", "Per ticket"), ("per_booking", "Per booking")],
        default="per_ticket",
    )
    booking_fee_tax_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("19.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "settings"
        verbose_name_plural = "settings"

    def __str__(self) -> str:
        return f"Settings of {self.seller_name}"

    SINGLETON_PK = 1  # the one row

    @classmethod
    def load(cls) -> SiteSettings:
        obj, _ = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
        return obj


class ApprovalKey(models.Model):
    """An admin's approval key on one counter: the counter keeps the private half,
    encrypted with a key derived from the admin's password (see accounts.approvals)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="approval_keys")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="approval_keys")
    key_id = models.CharField(max_length=16, unique=True)
    public_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"approval key {self.key_id} of {self.user} on {self.device}"


class Approval(models.Model):
    """An approval whose proof the server verified; each is used once (its nonce)."""

    nonce = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=32)
    subject = models.CharField(max_length=200)
    figures = models.JSONField(default=dict)
    approver = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="+")
    key = models.ForeignKey(ApprovalKey, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(help_text="the counter's time in the statement")
    statement = models.JSONField()
    signature = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} approved by {self.approver}"


class RoleGrant(models.Model):
    """What one staff role may do (`enturf_core.staff_rights`): its rights and refund limit.

    One row per staff role, seeded from `DEFAULT_GRANTS`; edited through `/roles/` by whoever
    holds `manage_staff` (the admin role is locked to every right). `version` counts edits
    (the feed entity `role_rights` orders by it)."""

    role = models.CharField(max_length=16, unique=True, choices=STAFF_ROLE_CHOICES)
    rights = models.JSONField(default=list, help_text="Right values (enturf_core.staff_rights)")
    refund_limit_cents = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="caps one refund per booking; empty: no cap of its own"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"rights of {self.role}"
