"""Staff and role grants through the API (docs/staff-and-rights.md): add, change role,
deactivate, reactivate and reset staff, the guards on yourself and the last administrator,
the audit trail of each change, `/roles/` and the rights in the login answer."""

from __future__ import annotations

import pytest
from support.counters import pos_client, register_counter
from support.rights import grant

pytestmark = pytest.mark.django_db

USERS = "/api/v1/users/"
ROLES = "/api/v1/roles/"


def _actions(user) -> list[str]:
    from enturf_server.audit.models import AuditEntry

    return list(
        AuditEntry.objects.filter(object_id=str(user.pk), action__startswith="staff.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def _error(response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_add_change_role_deactivate_reactivate_and_reset_staff(admin_client, anon_client):
    from enturf_server.accounts.models import ApiToken, User

    r = admin_client.post(
        USERS,
        {
            "username": "dora",
            "password": "door-steward-pw-1",
            "role": "door_steward",
            "first_name": "Dora",
            "last_name": "Gate",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    dora = User.objects.get(username="dora")
    assert (dora.role, dora.first_name) == ("door_steward", "Dora")

    login = anon_client.post(
        "/api/v1/auth/login/", {"username": "dora", "password": "door-steward-pw-1"}, format="json"
    )
    assert login.status_code == 200
    assert login.json()["user"]["rights"] == ["door_scan"]
    assert login.json()["user"]["refund_limit_cents"] == 0
    key = login.json()["token"]

    r = admin_client.patch(f"{USERS}{dora.pk}/", {"role": "door_supervisor"}, format="json")
    assert (r.status_code, r.json()["role"]) == (200, "door_supervisor")

    r = admin_client.post(f"{USERS}{dora.pk}/deactivate/")
    assert (r.status_code, r.json()["is_active"]) == (200, False)
    assert not ApiToken.objects.filter(user=dora).exists()  # her sessions ended
    anon_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert anon_client.get("/api/v1/auth/me/").status_code == 401
    anon_client.credentials()

    r = admin_client.post(f"{USERS}{dora.pk}/reactivate/")
    assert (r.status_code, r.json()["is_active"]) == (200, True)

    r = admin_client.post(
        f"{USERS}{dora.pk}/reset-password/", {"password": "a-new-door-pw-2"}, format="json"
    )
    assert r.status_code == 204, r.content
    old = {"username": "dora", "password": "door-steward-pw-1"}
    new = {"username": "dora", "password": "a-new-door-pw-2"}
    assert anon_client.post("/api/v1/auth/login/", old, format="json").status_code == 401
    assert anon_client.post("/api/v1/auth/login/", new, format="json").status_code == 200
    weak = admin_client.post(f"{USERS}{dora.pk}/reset-password/", {"password": "1"}, format="json")
    assert _error(weak) == (400, "weak_password")

    assert _actions(dora) == [
        "staff.create",
        "staff.role_change",
        "staff.deactivate",
        "staff.reactivate",
        "staff.password_reset",
    ]


def test_deactivating_ends_counter_sessions_and_approval_keys(admin_client, make_user):
    from enturf_core.ticket_codes import SigningKey
    from enturf_server.accounts.models import ApprovalKey

    _device, token, _key = register_counter("Door 1")
    supervisor = make_user("sue", "door_supervisor")
    pos = pos_client(supervisor, token)
    registered = pos.post(
        "/api/v1/auth/approval-keys/",
        {"public_key": SigningKey.generate().public_key_base64()},
        format="json",
    )
    assert registered.status_code == 201, registered.content  # a supervisor may approve
    assert admin_client.post(f"{USERS}{supervisor.pk}/deactivate/").status_code == 200
    assert pos.get("/api/v1/sync/changes/", {"after": "0"}).status_code == 401
    assert ApprovalKey.objects.get(user=supervisor).revoked_at is not None


def test_only_approvers_register_approval_keys(make_user):
    from enturf_core.ticket_codes import SigningKey

    _device, token, _key = register_counter("Counter 9")
    for role, expected in [
        ("manager", 201),
        ("door_supervisor", 201),
        ("employee", 403),  # a capped refunder approves nothing
        ("door_steward", 403),
    ]:
        pos = pos_client(make_user(f"k-{role}", role), token)
        body = {"public_key": SigningKey.generate().public_key_base64()}
        r = pos.post("/api/v1/auth/approval-keys/", body, format="json")
        assert r.status_code == expected, (role, r.content)


def test_nobody_deactivates_or_demotes_themselves_or_the_last_admin(
    admin_client, make_user, client_for
):
    admin = admin_client.user
    me = f"{USERS}{admin.pk}/"
    assert _error(admin_client.post(f"{me}deactivate/")) == (409, "cannot_change_self")
    r = admin_client.patch(me, {"role": "manager"}, format="json")
    assert _error(r) == (409, "cannot_change_self")
    r = admin_client.patch(me, {"is_active": False}, format="json")
    assert _error(r) == (409, "cannot_change_self")
    # changing one's own password or names stays allowed
    assert admin_client.patch(me, {"first_name": "Al"}, format="json").status_code == 200

    # two administrators removing each other: the second finds the first was the last
    from enturf_server.accounts import services
    from enturf_server.api.errors import Conflict

    second = make_user("second-admin", "admin")
    assert admin_client.post(f"{USERS}{second.pk}/deactivate/").status_code == 200
    with pytest.raises(Conflict) as refused:
        services.deactivate_user(user=admin, actor=second)  # its request began before
    assert refused.value.code == "last_admin"
    with pytest.raises(Conflict) as refused:
        services.update_user(user=admin, actor=second, role=services.Role.MANAGER)
    assert refused.value.code == "last_admin"

    # a manager who may manage staff does not touch administrators at all
    grant("manager", "manage_staff")
    boss = client_for(make_user("boss", "manager"))
    assert _error(boss.post(f"{me}deactivate/")) == (403, "permission_denied")
    r = boss.post(
        USERS, {"username": "sneaky", "password": "sneaky-pass-123", "role": "admin"}, format="json"
    )
    assert _error(r) == (403, "permission_denied")
    body = {"username": "new-till", "password": "till-pass-1234", "role": "employee"}
    assert boss.post(USERS, body, format="json").status_code == 201


def test_staff_management_needs_manage_staff(make_user, client_for):
    target = make_user("victim", "employee")
    for role in ("manager", "employee", "door_steward", "door_supervisor", "customer"):
        api = client_for(make_user(f"m-{role}", role))
        assert api.get(USERS).status_code == 403, role
        assert api.post(f"{USERS}{target.pk}/deactivate/").status_code == 403, role
        r = api.post(
            USERS, {"username": f"x-{role}", "password": "pw-long-enough-1", "role": "admin"}
        )
        assert r.status_code == 403, role


def test_roles_api_reads_and_changes_grants(admin_client, make_user, client_for):
    from enturf_server.audit.models import AuditEntry

    everything = admin_client.get(ROLES).json()
    assert [g["role"] for g in everything] == [
        "admin",
        "manager",
        "employee",
        "door_steward",
        "door_supervisor",
    ]
    admin_grant = everything[0]
    assert admin_grant["locked"] is True and "manage_staff" in admin_grant["rights"]

    cashier = client_for(make_user("tilly", "employee"))
    mine = cashier.get(ROLES).json()
    assert [g["role"] for g in mine] == ["employee"]
    assert mine[0]["label"] == "Cashier"
    assert cashier.get(f"{ROLES}employee/").status_code == 200
    assert _error(cashier.get(f"{ROLES}manager/")) == (403, "permission_denied")
    assert _error(cashier.put(f"{ROLES}employee/", {"rights": []}, format="json")) == (
        403,
        "permission_denied",
    )
    assert client_for(make_user("cust", "customer")).get(ROLES).status_code == 403

    r = admin_client.put(f"{ROLES}door_steward/", {"rights": ["door_scan", "fly"]}, format="json")
    assert _error(r) == (400, "unknown_right")
    assert r.json()["error"]["details"]["rights"] == ["fly"]
    r = admin_client.put(f"{ROLES}admin/", {"rights": []}, format="json")
    assert _error(r) == (409, "role_locked")
    r = admin_client.put(f"{ROLES}owner/", {"rights": []}, format="json")
    assert _error(r) == (404, "not_found")
    for bad in ({"rights": "sell"}, {"rights": ["sell"], "refund_limit_cents": -1}, {}):
        r = admin_client.put(f"{ROLES}employee/", bad, format="json")
        assert r.status_code == 400, bad

    before = admin_client.get(f"{ROLES}door_steward/").json()
    r = admin_client.put(
        f"{ROLES}door_steward/",
        {"rights": ["door_scan", "door_override", "door_scan"], "refund_limit_cents": None},
        format="json",
    )
    assert r.status_code == 200, r.content
    after = r.json()
    assert after["rights"] == ["door_override", "door_scan"]
    assert after["version"] == before["version"] + 1
    entry = AuditEntry.objects.get(action="role_rights.change")
    assert entry.details["after"]["rights"] == ["door_override", "door_scan"]
    # the same again changes nothing
    again = admin_client.put(
        f"{ROLES}door_steward/", {"rights": ["door_scan", "door_override"]}, format="json"
    )
    assert again.json()["version"] == after["version"]


def test_the_feed_carries_every_roles_grant(admin_client):
    from enturf_server.accounts.feed import role_rights

    items = {item.id: item.data for item in role_rights(after=None, limit=10)}
    assert sorted(items) == ["admin", "door_steward", "door_supervisor", "employee", "manager"]
    assert items["door_steward"] == {
        "role": "door_steward",
        "rights": ["door_scan"],
        "refund_limit_cents": None,
    }
    assert [i.id for i in role_rights(after="door_supervisor", limit=10)] == [
        "employee",
        "manager",
    ]


def test_demoting_a_superuser_through_the_api_clears_superuser_and_staff(admin_client):
    from django.core.management import call_command

    from enturf_server.accounts.models import User

    call_command("createsuperuser", username="owner", email="o@example.org", interactive=False)
    owner = User.objects.get(username="owner")
    assert (owner.role, owner.is_staff, owner.is_superuser) == ("admin", True, True)
    assert owner.groups.filter(name="admin").exists()

    r = admin_client.patch(f"{USERS}{owner.pk}/", {"role": "manager"}, format="json")
    assert (r.status_code, r.json()["role"]) == (200, "manager")
    owner.refresh_from_db()
    assert (owner.role, owner.is_staff, owner.is_superuser) == ("manager", False, False)
    assert _actions(owner) == ["staff.role_change"]
    from enturf_server.audit.models import AuditEntry

    change = AuditEntry.objects.get(action="staff.role_change", object_id=str(owner.pk))
    assert change.details == {"from": "admin", "to": "manager"}
