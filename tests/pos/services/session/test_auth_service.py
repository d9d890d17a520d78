"""Online and offline login, logout and unlock against the real server, through the proxy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import select
from support.server_process import USERS

from enturf_pos.models import LocalUser, SiteSettings
from enturf_pos.services.session import auth_service, counter_key, device_service
from enturf_pos.services.session.local_password import key_id
from enturf_pos.services.session.secret_store import Secret


def password(username: str) -> str:
    return USERS[username][1]


def me(server, token: str, device_token: str | None = None) -> int:
    headers = {"Authorization": f"Token {token}"}
    if device_token:
        headers["X-Enturf-Device"] = device_token
    return requests.get(
        f"{server.base_url}/api/v1/auth/me/", headers=headers, timeout=10
    ).status_code


def local_user(ctx, username: str) -> LocalUser | None:
    with ctx.db.transaction() as s:
        return s.scalar(select(LocalUser).where(LocalUser.username == username))


def test_online_login_keeps_the_token_in_the_keyring_and_a_local_hash(registered, server):
    ctx = registered
    result = auth_service.login(ctx=ctx, username="cashier", password=password("cashier"))
    assert result.ok, result.message
    assert result.user.role == "employee" and not result.user.offline
    token = ctx.secrets.get(Secret.USER_TOKEN)
    assert me(server, token, ctx.secrets.get(Secret.DEVICE_TOKEN)) == 200

    row = local_user(ctx, "cashier")
    key = counter_key.current(ctx)  # the counter key of the hash, in the keyring
    assert key is not None and row.password_hash.startswith(f"scrypt-hmac${key_id(key)}$")
    assert password("cashier") not in row.password_hash
    assert datetime.now(UTC) - row.last_online_login < timedelta(minutes=5)
    first_hash = row.password_hash
    assert auth_service.login(ctx=ctx, username="cashier", password=password("cashier")).ok
    assert local_user(ctx, "cashier").password_hash != first_hash  # fresh salt every time


def test_wrong_password_and_unknown_user_get_the_same_clear_message(registered):
    for username, pw in (("cashier", "not-the-password"), ("nobody", "whatever-pw")):
        result = auth_service.login(ctx=registered, username=username, password=pw)
        assert not result.ok and result.message == "Wrong username or password."
        assert not result.offline_possible
    assert registered.secrets.get(Secret.USER_TOKEN) is None


def test_customers_cannot_log_in_at_a_counter(registered):
    result = auth_service.login(ctx=registered, username="customer", password=password("customer"))
    assert not result.ok and "only staff members" in result.message
    assert local_user(registered, "customer") is None
    assert registered.secrets.get(Secret.USER_TOKEN) is None


def test_server_unreachable_offers_offline_login_to_a_known_user_only(registered, proxy):
    ctx = registered
    assert auth_service.login(ctx=ctx, username="cashier", password=password("cashier")).ok
    proxy.down()

    known = auth_service.login(ctx=ctx, username="cashier", password=password("cashier"))
    assert not known.ok and known.offline_possible
    assert "cannot be reached" in known.message and "offline" in known.message

    offline = auth_service.login_offline(ctx=ctx, username="cashier", password=password("cashier"))
    assert offline.ok and offline.user.offline and offline.user.role == "employee"

    wrong = auth_service.login_offline(ctx=ctx, username="cashier", password="guess-guess")
    assert not wrong.ok and wrong.message == "Wrong username or password."

    unknown = auth_service.login(ctx=ctx, username="admin", password=password("admin"))
    assert not unknown.ok and not unknown.offline_possible
    assert "logged in on this counter while it was online" in unknown.message
    refused = auth_service.login_offline(ctx=ctx, username="admin", password=password("admin"))
    assert not refused.ok


def test_offline_login_needs_the_counter_key_and_an_online_login_brings_it_back(registered, proxy):
    ctx = registered
    assert auth_service.login(ctx=ctx, username="cashier", password=password("cashier")).ok
    ctx.secrets.delete(Secret.LOCAL_HASH_KEY)  # the keyring was reset
    proxy.down()
    unreachable = auth_service.login(ctx=ctx, username="cashier", password=password("cashier"))
    assert not unreachable.ok and not unreachable.offline_possible
    assert unreachable.message.endswith(counter_key.MISSING)
    refused = auth_service.login_offline(ctx=ctx, username="cashier", password=password("cashier"))
    assert not refused.ok and refused.message == counter_key.MISSING
    proxy.up()
    assert auth_service.login(ctx=ctx, username="cashier", password=password("cashier")).ok
    proxy.down()
    assert auth_service.login_offline(ctx=ctx, username="cashier", password=password("cashier")).ok


def test_offline_login_expires_after_the_synced_number_of_days(registered, proxy):
    ctx = registered
    assert auth_service.login(ctx=ctx, username="cashier", password=password("cashier")).ok
    with ctx.db.transaction() as s:
        row = s.scalar(select(LocalUser).where(LocalUser.username == "cashier"))
        row.last_online_login = datetime.now(UTC) - timedelta(days=8)
    proxy.down()
    expired = auth_service.login_offline(ctx=ctx, username="cashier", password=password("cashier"))
    assert not expired.ok and "7 days" in expired.message
    with ctx.db.transaction() as s:  # as the settings entity of the change feed sets it
        s.add(SiteSettings(id=1, data={"offline_login_days": 10}, version=2))
    assert auth_service.login_offline(ctx=ctx, username="cashier", password=password("cashier")).ok


def test_a_disabled_account_is_refused_online_and_offline(registered, server, proxy):
    ctx = registered
    assert auth_service.login(ctx=ctx, username="retired", password=password("retired")).ok
    user_id = local_user(ctx, "retired").id
    answer = requests.patch(
        f"{server.base_url}/api/v1/users/{user_id}/",
        json={"is_active": False},
        headers={"Authorization": f"Token {server.login('admin')}"},
        timeout=10,
    )
    assert answer.status_code == 200
    try:
        result = auth_service.login(ctx=ctx, username="retired", password=password("retired"))
        assert not result.ok and "disabled" in result.message
        proxy.down()
        offline = auth_service.login_offline(
            ctx=ctx, username="retired", password=password("retired")
        )
        assert not offline.ok and "disabled" in offline.message
    finally:
        requests.patch(
            f"{server.base_url}/api/v1/users/{user_id}/",
            json={"is_active": True},
            headers={"Authorization": f"Token {server.login('admin')}"},
            timeout=10,
        )


def test_a_revoked_device_is_told_so_and_cannot_log_in_offline(registered, server, proxy):
    ctx = registered
    assert auth_service.login(ctx=ctx, username="cashier", password=password("cashier")).ok
    server.retire_device(device_service.current_device(ctx=ctx).device_id)
    result = auth_service.login(ctx=ctx, username="cashier", password=password("cashier"))
    assert not result.ok and result.code == "device_revoked"
    assert "register the counter again" in result.message
    assert device_service.current_device(ctx=ctx).revoked
    proxy.down()
    offline = auth_service.login_offline(ctx=ctx, username="cashier", password=password("cashier"))
    assert not offline.ok and offline.code == "device_revoked"


def test_logout_revokes_the_token_on_the_server_and_forgets_it(registered, server):
    ctx = registered
    assert auth_service.login(ctx=ctx, username="admin", password=password("admin")).ok
    token = ctx.secrets.get(Secret.USER_TOKEN)
    result = auth_service.logout(ctx=ctx)
    assert result.ok and result.revoked and result.message == "Logged out."
    assert ctx.secrets.get(Secret.USER_TOKEN) is None
    assert me(server, token) == 401


def test_logout_while_offline_forgets_the_token_and_says_so(registered, server, proxy):
    ctx = registered
    assert auth_service.login(ctx=ctx, username="admin", password=password("admin")).ok
    token = ctx.secrets.get(Secret.USER_TOKEN)
    proxy.down()
    result = auth_service.logout(ctx=ctx)
    assert result.ok and not result.revoked and "could not be told" in result.message
    assert ctx.secrets.get(Secret.USER_TOKEN) is None
    device = ctx.secrets.get(Secret.DEVICE_TOKEN)
    assert me(server, token, device) == 200  # still valid there until it expires
    assert me(server, token) == 403  # a counter's session needs its counter's header


def test_unlock_checks_the_same_users_password_locally(registered, proxy):
    ctx = registered
    user = auth_service.login(ctx=ctx, username="cashier", password=password("cashier")).user
    proxy.down()  # unlocking never needs the server
    assert not auth_service.check_unlock(ctx=ctx, user=user, password="wrong-wrong").ok
    assert auth_service.check_unlock(ctx=ctx, user=user, password=password("cashier")).ok


def test_an_admins_online_login_prepares_a_sealed_approval_key_renewed_after_a_new_password(
    registered, api
):
    """Issue 11, item 4: an admin who logs in online on a counter gets an approval key
    (sealed with their password, registered for this counter); a changed password
    revokes it on the server and the next online login makes a new one."""
    import uuid

    from enturf_pos.models import ApprovalKey

    ctx = registered
    name, first, second = f"boss{uuid.uuid4().hex[:6]}", "Boss-first-pass-31", "Boss-next-pass-47"
    boss = api.post("users/", {"username": name, "password": first, "role": "admin"})

    def key() -> ApprovalKey | None:
        with ctx.db.transaction() as s:
            row = s.get(ApprovalKey, boss["id"])
            if row is not None:
                s.expunge(row)
            return row

    assert auth_service.login(ctx=ctx, username=name, password=first).ok
    sealed = key()
    assert sealed is not None and sealed.registered_at is not None
    assert first not in sealed.sealed and sealed.public_key not in sealed.sealed

    api.patch(f"users/{boss['id']}/", {"password": second})
    assert auth_service.login(ctx=ctx, username=name, password=second).ok
    renewed = key()
    assert renewed.key_id != sealed.key_id and renewed.registered_at is not None
    # a cashier gets none
    cashier = auth_service.login(ctx=ctx, username="cashier", password=password("cashier")).user
    with ctx.db.transaction() as s:
        assert s.get(ApprovalKey, cashier.id) is None
