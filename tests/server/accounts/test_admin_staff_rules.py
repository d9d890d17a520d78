"""The Django admin's user pages obey the staff API's rules (accounts.staff_guards): nobody
deactivates, demotes or deletes themselves, a refusal is a message on the page (never a
500), a deactivation ends sessions and approval keys, each change is audited as the API's
`staff.*` entries, and the role decides `is_staff` / `is_superuser`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.counters import pos_client, register_counter

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"


@pytest.fixture
def root(make_user):
    return make_user("root", "admin")


@pytest.fixture
def web(client, root):
    client.force_login(root)
    return client


def _form(user, **changes) -> dict:
    """The change page's fields as the browser sends them, with `changes` applied."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "is_active": user.is_active,
        "is_superuser": user.is_superuser,
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        **changes,
    }
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def _staff_actions(user) -> list[str]:
    from enturf_server.audit.models import AuditEntry

    entries = AuditEntry.objects.filter(object_id=str(user.pk), action__startswith="staff.")
    return list(entries.order_by("pk").values_list("action", flat=True))


def _fresh(user):
    user.refresh_from_db()
    return user


def test_admin_refuses_changing_or_deleting_yourself_with_a_message(web, root):
    page = f"{USERS}{root.pk}/change/"
    for change in ({"is_active": False}, {"role": "manager"}):
        r = web.post(page, _form(root, **change))
        assert r.status_code == 200  # the form again, with the reason
        assert b"You cannot deactivate or delete yourself" in r.content
    assert (_fresh(root).is_active, root.role) == (True, "admin")

    r = web.get(f"{USERS}{root.pk}/delete/", follow=True)
    assert r.status_code == 200
    assert b"You cannot deactivate or delete yourself" in r.content
    r = web.post(f"{USERS}{root.pk}/delete/", {"post": "yes"}, follow=True)
    assert b"You cannot deactivate or delete yourself" in r.content

    for action in ("delete_selected", "deactivate_selected"):
        body = {"action": action, "_selected_action": [root.pk], "post": "yes"}
        r = web.post(USERS, body, follow=True)
        assert r.status_code == 200
        assert b"You cannot deactivate or delete yourself" in r.content, action
    assert _fresh(root).is_active
    assert _staff_actions(root) == []  # nothing changed


def test_admin_deactivation_ends_sessions_and_keys_and_is_audited(web, make_user):
    from enturf_core.ticket_codes import SigningKey
    from enturf_server.accounts.models import ApiToken, ApprovalKey
    from enturf_server.sync.models import ChangeLogEntry

    _device, token, _key = register_counter("Door 1")
    sue = make_user("sue", "door_supervisor")
    pos = pos_client(sue, token)
    body = {"public_key": SigningKey.generate().public_key_base64()}
    assert pos.post("/api/v1/auth/approval-keys/", body, format="json").status_code == 201

    r = web.post(f"{USERS}{sue.pk}/change/", _form(sue, is_active=False))
    assert r.status_code == 302, r.content[:3000]
    assert not _fresh(sue).is_active
    assert not ApiToken.objects.filter(user=sue).exists()
    assert ApprovalKey.objects.get(user=sue).revoked_at is not None
    assert pos.get("/api/v1/sync/changes/", {"after": "0"}).status_code == 401
    assert ChangeLogEntry.objects.filter(entity="user", entity_id=str(sue.pk), op="delete")

    r = web.post(f"{USERS}{sue.pk}/change/", _form(sue, is_active=True, role="manager"))
    assert r.status_code == 302, r.content[:3000]
    assert _fresh(sue).role == "manager"
    assert _staff_actions(sue) == [
        "staff.deactivate",
        "staff.role_change",
        "staff.reactivate",
    ]


def test_admin_bulk_actions_deactivate_reactivate_and_delete(web, make_user):
    from enturf_server.accounts.models import User
    from enturf_server.audit.models import AuditEntry

    till = [make_user(f"till-{n}", "employee") for n in range(2)]
    ids = [u.pk for u in till]
    r = web.post(USERS, {"action": "deactivate_selected", "_selected_action": ids}, follow=True)
    assert b"Deactivated 2 user(s)." in r.content
    assert not User.objects.filter(pk__in=ids, is_active=True).exists()
    r = web.post(USERS, {"action": "reactivate_selected", "_selected_action": ids}, follow=True)
    assert b"Reactivated 2 user(s)." in r.content
    assert User.objects.filter(pk__in=ids, is_active=True).count() == 2

    body = {"action": "delete_selected", "_selected_action": ids}
    r = web.post(USERS, body)
    assert r.status_code == 200 and b"Delete multiple objects" in r.content  # Django's confirmation
    r = web.post(USERS, {**body, "post": "yes"}, follow=True)
    assert r.status_code == 200
    assert not User.objects.filter(pk__in=ids).exists()
    deleted = AuditEntry.objects.filter(action="staff.delete").values_list("details", flat=True)
    assert sorted(d["username"] for d in deleted) == ["till-0", "till-1"]


def test_admin_delete_of_one_user_is_audited_and_leaves_the_feed(web, make_user):
    from enturf_server.accounts.models import User
    from enturf_server.sync.models import ChangeLogEntry

    gone = make_user("gone", "employee")
    r = web.post(f"{USERS}{gone.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302, r.content[:2000]
    assert not User.objects.filter(pk=gone.pk).exists()
    assert ChangeLogEntry.objects.filter(entity="user", entity_id=str(gone.pk), op="delete")
    assert _staff_actions(gone) == ["staff.delete"]


def test_role_decides_superuser_and_staff_flags_in_the_admin(web, make_user):
    boss = make_user("boss", "admin")
    r = web.post(f"{USERS}{boss.pk}/change/", _form(boss, is_superuser=True))
    assert r.status_code == 302, r.content[:3000]
    assert (_fresh(boss).is_superuser, boss.is_staff) == (True, True)

    # a superuser with another role is refused, on the field, with what to do
    r = web.post(f"{USERS}{boss.pk}/change/", _form(boss, role="manager"))
    assert r.status_code == 200
    assert b"A superuser is an administrator" in r.content
    # demoting: the role and the superuser status go together
    r = web.post(f"{USERS}{boss.pk}/change/", _form(boss, role="manager", is_superuser=False))
    assert r.status_code == 302, r.content[:3000]
    assert (_fresh(boss).role, boss.is_superuser, boss.is_staff) == ("manager", False, False)
    assert list(boss.groups.values_list("name", flat=True)) == ["manager"]
    assert _staff_actions(boss) == ["staff.role_change"]


def test_admin_password_change_is_a_reset(web, make_user):
    from enturf_server.accounts.models import ApiToken

    anna = make_user("anna", "employee")
    ApiToken.issue(anna, timedelta(hours=1))
    r = web.post(
        f"{USERS}{anna.pk}/password/",
        {"password1": "Fresh-pass-9231", "password2": "Fresh-pass-9231", "usable_password": "true"},
    )
    assert r.status_code == 302, r.content[:3000]
    assert _fresh(anna).check_password("Fresh-pass-9231")
    assert not ApiToken.objects.filter(user=anna).exists()
    assert _staff_actions(anna) == ["staff.password_reset"]


def test_only_administrators_reach_the_admin(client, make_user):
    from support.rights import grant

    grant("manager", "manage_staff")
    client.force_login(make_user("mgr", "manager"))
    r = client.get(USERS)
    assert r.status_code == 302 and "/admin/login/" in r["Location"]


def test_the_last_admin_is_kept_by_a_delete_too(make_user):
    """Two administrators removing each other at once: the second finds the first was the
    last (the admin's delete asks the same rule as the API's deactivate)."""
    from enturf_server.accounts import services
    from enturf_server.api.errors import Conflict

    first, second = make_user("first", "admin"), make_user("second", "admin")
    services.deactivate_user(user=second, actor=first)
    with pytest.raises(Conflict) as refused:
        services.delete_users(users=[first], actor=second)  # its request began before
    assert refused.value.code == "last_admin"
