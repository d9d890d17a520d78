"""Role grants on the counter (defaults, then the feed's) and the unlock PIN, offline:
a local database only."""

from __future__ import annotations

from datetime import UTC, datetime

from support.back_office_feed import apply, entry

from enturf_core.staff_rights import DEFAULT_GRANTS, Right, StaffRole
from enturf_pos.models import LocalUser, RoleRights
from enturf_pos.services.session import counter_key, role_grants, unlock_pin
from enturf_pos.services.session.auth_service import STAFF_ROLES, CurrentUser
from enturf_pos.services.sync import sync_apply


def user(role: str = "employee", user_id: int = 5, **grant) -> CurrentUser:
    return CurrentUser(user_id, f"user{user_id}", role, "Someone", offline=True, **grant)


def add_local_user(ctx, user_id: int = 5, *, logged_in: bool = True, role: str = "employee"):
    with ctx.db.transaction() as s:
        s.add(
            LocalUser(
                id=user_id,
                username=f"user{user_id}",
                role=role,
                password_hash=counter_key.new_hash(ctx, "pw") if logged_in else None,
                last_online_login=datetime.now(UTC) if logged_in else None,
            )
        )


def test_every_staff_role_may_use_a_counter():
    assert set(STAFF_ROLES) == {r.value for r in StaffRole}


def test_a_counter_starts_from_the_default_grants(ctx):
    assert role_grants.all_grants(ctx=ctx) == DEFAULT_GRANTS
    cashier = user(grant=role_grants.grant_for(ctx=ctx, role="employee"))
    assert cashier.can(Right.SELL) and cashier.can(Right.REFUND, 10**9)
    assert not cashier.can(Right.OVERRIDE_PRICE) and not cashier.can(Right.MANAGE_STAFF)
    assert user("customer").can(Right.SELL) is False  # no grant at all
    assert user("door_steward").can(Right.DOOR_SCAN) and not user("door_steward").can(Right.SELL)


def test_the_feed_brings_the_servers_grants_and_the_admin_stays_whole(ctx):
    apply(
        ctx,
        entry(
            "role_rights",
            "employee",
            {"role": "employee", "rights": ["sell", "refund"], "refund_limit_cents": 5000},
            3,
        ),
        entry("role_rights", "admin", {"role": "admin", "rights": ["sell"]}, 2),
        entry(
            "role_rights",
            "manager",
            {"role": "manager", "rights": ["view_reports", "from_the_future"]},
            4,
        ),
    )
    grants = role_grants.all_grants(ctx=ctx)
    cashier = user(grant=grants[StaffRole.CASHIER])
    assert cashier.can(Right.REFUND, 5000) and not cashier.can(Right.REFUND, 5001)
    assert not cashier.can(Right.DISCOUNT)
    assert grants[StaffRole.ADMIN] == DEFAULT_GRANTS[StaffRole.ADMIN]  # locked role
    assert grants[StaffRole.MANAGER].rights == {Right.VIEW_REPORTS}
    assert role_grants.who_may(grants, Right.DISCOUNT) == "Administrator"
    assert role_grants.who_may(grants, Right.REFUND) == "Administrator or Cashier"
    # applying the same page again changes nothing; a delete brings the default back
    apply(
        ctx, {"entity": "role_rights", "id": "employee", "version": 5, "op": "delete", "data": {}}
    )
    assert role_grants.all_grants(ctx=ctx)[StaffRole.CASHIER] == DEFAULT_GRANTS[StaffRole.CASHIER]
    with ctx.db.transaction() as s:
        sync_apply.clear_synced_data(s)
        assert s.query(RoleRights).count() == 0


def test_a_signed_in_users_grant_follows_the_feed_with_the_effective_refund_limit(ctx):
    """As the server's login answer puts it: 0 without `refund`, the cashier role's null
    limit read as the site's `employee_refund_limit`; `follow_grant` says what changed."""
    apply(ctx, entry("settings", "site", {"employee_refund_limit": "100.00"}))
    grant = role_grants.session_grant_for(ctx=ctx, role="employee")
    assert grant.refund_limit_cents == 10000 and Right.REFUND in grant.rights
    cashier = user(grant=grant)
    assert not cashier.follow_grant(role_grants.session_grant_for(ctx=ctx, role="employee"))
    apply(
        ctx,
        entry("role_rights", "employee", {"role": "employee", "rights": ["sell", "cash_out"]}, 2),
        entry("role_rights", "manager", {"role": "manager", "rights": ["refund"]}, 2),
    )
    assert cashier.follow_grant(role_grants.session_grant_for(ctx=ctx, role="employee"))
    assert cashier.can(Right.CASH_OUT) and not cashier.can(Right.REFUND)
    assert cashier.grant.refund_limit_cents == 0
    manager = role_grants.session_grant_for(ctx=ctx, role="manager")
    assert manager.refund_limit_cents is None  # only the cashier role has the site's limit
    admin = role_grants.session_grant_for(ctx=ctx, role="admin")
    assert admin == DEFAULT_GRANTS[StaffRole.ADMIN]
    assert role_grants.session_grant_for(ctx=ctx, role="customer") is None


def test_a_pin_is_set_hashed_and_unlocks_only_its_user(ctx):
    add_local_user(ctx, 5)
    add_local_user(ctx, 6)
    me, other = user(user_id=5), user(user_id=6)
    assert not unlock_pin.set_pin(ctx=ctx, user=me, pin="12a4", again="12a4").ok
    assert not unlock_pin.set_pin(ctx=ctx, user=me, pin="123", again="123").ok
    assert not unlock_pin.set_pin(ctx=ctx, user=me, pin="123456789", again="123456789").ok
    assert (
        unlock_pin.set_pin(ctx=ctx, user=me, pin="4821", again="4812").message
        == unlock_pin.NOT_SAME
    )
    assert unlock_pin.set_pin(ctx=ctx, user=me, pin="4821", again="4821").ok
    with ctx.db.transaction() as s:
        row = s.get(LocalUser, 5)
        assert row.pin_hash.startswith("scrypt-hmac$") and "4821" not in row.pin_hash
        assert row.pin_set_at is not None
    assert unlock_pin.check_pin(ctx=ctx, user=me, pin="4821").ok
    refused = unlock_pin.check_pin(ctx=ctx, user=other, pin="4821")  # no PIN of their own
    assert not refused.ok and refused.message == unlock_pin.NO_PIN


def test_five_wrong_pins_turn_pin_unlock_off_until_the_password(ctx):
    from enturf_pos.services.session import auth_service

    add_local_user(ctx, 5)
    me = user(user_id=5)
    assert unlock_pin.set_pin(ctx=ctx, user=me, pin="246810", again="246810").ok
    for tries_left in (4, 3, 2, 1):
        result = unlock_pin.check_pin(ctx=ctx, user=me, pin="000000")
        assert not result.ok and f"{tries_left} more tr" in result.message
    assert unlock_pin.check_pin(ctx=ctx, user=me, pin="000000").message == unlock_pin.LOCKED_OUT
    # the right PIN no longer helps
    assert unlock_pin.check_pin(ctx=ctx, user=me, pin="246810").message == unlock_pin.LOCKED_OUT
    assert not unlock_pin.pin_state(ctx=ctx, user=me).usable
    assert not auth_service.check_unlock(ctx=ctx, user=me, password="wrong").ok
    assert not unlock_pin.pin_state(ctx=ctx, user=me).usable  # a wrong password resets nothing
    assert auth_service.check_unlock(ctx=ctx, user=me, password="pw").ok
    assert unlock_pin.check_pin(ctx=ctx, user=me, pin="246810").ok


def test_someone_who_never_logged_in_here_cannot_have_a_pin(ctx):
    add_local_user(ctx, 7, logged_in=False)  # synced from the server, never logged in
    me = user(user_id=7)
    assert unlock_pin.set_pin(ctx=ctx, user=me, pin="1234", again="1234").message == (
        unlock_pin.NEVER_HERE
    )
    assert unlock_pin.pin_state(ctx=ctx, user=me).reason == unlock_pin.NO_PIN
    assert not unlock_pin.check_pin(ctx=ctx, user=me, pin="1234").ok


def test_a_deactivated_user_loses_pin_unlock(ctx):
    add_local_user(ctx, 5)
    me = user(user_id=5)
    assert unlock_pin.set_pin(ctx=ctx, user=me, pin="1357", again="1357").ok
    apply(
        ctx,
        entry("user", 5, {"id": 5, "username": "user5", "role": "employee", "is_active": False}, 9),
    )
    assert not unlock_pin.check_pin(ctx=ctx, user=me, pin="1357").ok
