"""What counters need from accounts in the sync feed: settings, staff users and devices.

`settings` (one item, id "site"): the subset a counter uses (seller details for
receipts, currency, offline-login validity, the employee refund limit, hold and booking
times). `user`: staff who may work at a counter (active users of a staff role), without
any password material; a user who stops being active staff is sent as a delete.
`device`: the registered counter devices (retired ones with `active` false), for a
manager to allocate seats to: id, name, active and version, never a token or key.
`role_rights`: each staff role's grant (id: the role; docs/staff-and-rights.md).

The change-log entries, and the snapshot providers (registered by `AccountsConfig.ready()`)
that give the same shapes to a counter starting from nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from enturf_core.staff_rights import StaffRole
from enturf_core.wire import feed
from enturf_server.accounts.models import Device, RoleGrant, SiteSettings, User
from enturf_server.accounts.rights import effective_refund_limit_cents, grant_of_role
from enturf_server.accounts.roles import STAFF_ROLES, role_of
from enturf_server.sync.changes import emit
from enturf_server.sync.snapshot_registry import SnapshotItem, after_id, snapshot_provider

SETTINGS_ID = feed.SETTINGS_ID


def settings_data(site: SiteSettings) -> dict[str, Any]:
    return feed.SiteSettings(
        seller_name=site.seller_name,
        seller_address=site.seller_address,
        seller_vat_id=site.seller_vat_id,
        currency=site.currency,
        offline_login_days=site.offline_login_days,
        employee_refund_limit=site.employee_refund_limit,
        hold_ttl_seconds=site.hold_ttl_seconds,
        hold_max_seconds=site.hold_max_seconds,
        booking_ttl_seconds=site.booking_ttl_seconds,
        shift_difference_threshold=site.shift_difference_threshold,
        booking_fee_amount=site.booking_fee_amount,
        booking_fee_basis=site.booking_fee_basis,
        booking_fee_tax_rate=site.booking_fee_tax_rate,
        updated_at=site.updated_at,
    ).to_wire()


def settings_version(site: SiteSettings) -> int:
    """Settings have no edit counter; their last change time in milliseconds orders them."""
    return int(site.updated_at.timestamp() * 1000) if site.updated_at else 0


def emit_site_settings(site: SiteSettings) -> None:
    """Call inside `changes.atomic()` after saving the settings."""
    emit(feed.SETTINGS, SETTINGS_ID, version=settings_version(site), data=settings_data(site))


def is_counter_user(user: User) -> bool:
    return user.is_active and role_of(user) in STAFF_ROLES


def user_data(user: User) -> dict[str, Any]:
    return feed.StaffUser(
        id=user.pk,
        username=user.username,
        first_name=user.first_name,
        last_name=user.last_name,
        role=str(role_of(user)),
        is_active=user.is_active,
    ).to_wire()


def emit_user(user: User, *, was_counter_user: bool = False) -> None:
    """Call inside `changes.atomic()` after a user was created or changed; customers are
    not synced (a delete goes out only for someone who was counter staff before)."""
    if is_counter_user(user):
        emit(feed.USER, user.pk, version=0, data=user_data(user))
    elif was_counter_user:
        emit(feed.USER, user.pk, op=feed.DELETE, version=0)


def emit_user_removed(user: User) -> None:
    """Call inside `changes.atomic()` before a counter user's row is deleted."""
    emit(feed.USER, user.pk, op=feed.DELETE, version=0)


def device_data(device: Device) -> dict[str, Any]:
    return feed.Device(
        id=device.pk,
        name=device.name,
        active=device.is_active,
        version=device.version,
        duty=device.duty,
    ).to_wire()


def emit_device(device: Device) -> None:
    """Call inside `changes.atomic()` after a registered device was saved with a new
    `version` (registered, renamed, retired)."""
    emit(feed.DEVICE, device.pk, version=device.version, data=device_data(device))


# -- snapshot ------------------------------------------------------------------------------------


@snapshot_provider(feed.SETTINGS, order=10, int_ids=False)
def site_settings(*, after: str | None, limit: int) -> list[SnapshotItem]:
    if after is not None or limit < 1:
        return []
    site = SiteSettings.load()
    return [SnapshotItem(SETTINGS_ID, settings_version(site), settings_data(site))]


@snapshot_provider(feed.USER, order=20)
def counter_users(*, after: str | None, limit: int) -> list[SnapshotItem]:
    staff = Q(role__in=[r.value for r in STAFF_ROLES]) | Q(is_superuser=True)
    users = User.objects.filter(staff, is_active=True, pk__gt=after_id(after)).order_by("pk")
    return [SnapshotItem(u.pk, 0, user_data(u)) for u in users[:limit]]


@snapshot_provider(feed.DEVICE, order=25)
def registered_devices(*, after: str | None, limit: int) -> list[SnapshotItem]:
    devices = Device.objects.filter(registered_at__isnull=False, pk__gt=after_id(after))
    return [SnapshotItem(d.pk, d.version, device_data(d)) for d in devices.order_by("pk")[:limit]]


# -- role rights (issue 16) ----------------------------------------------------------------------


def role_rights_data(row: RoleGrant) -> dict[str, Any]:
    """A role's grant as counters read it: the locked admin role lists every right, the
    refund limit is the one the server enforces (the cashier's from the settings when its
    grant sets none)."""
    grant = grant_of_role(StaffRole(row.role))
    return feed.RoleRights(
        role=row.role,
        rights=tuple(sorted(r.value for r in grant.rights)),
        refund_limit_cents=effective_refund_limit_cents(grant),
    ).to_wire()


def emit_role_rights(row: RoleGrant) -> None:
    """Call inside `changes.atomic()` after a grant was saved with a new `version`."""
    emit(feed.ROLE_RIGHTS, row.role, version=row.version, data=role_rights_data(row))


@snapshot_provider(feed.ROLE_RIGHTS, order=15, int_ids=False)
def role_rights(*, after: str | None, limit: int) -> list[SnapshotItem]:
    rows = RoleGrant.objects.order_by("role")
    if after is not None:
        rows = rows.filter(role__gt=after)
    return [SnapshotItem(r.role, r.version, role_rights_data(r)) for r in rows[: max(limit, 0)]]
