"""Migration `accounts/0010_superusers_are_admins` brings rows from before the rule in
line: a superuser gets the admin role and group, `is_staff` follows the role."""

from __future__ import annotations

import pytest
from support.migrations import migrate_to

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0009_staff_roles")]
AFTER = [("accounts", "0010_superusers_are_admins")]


def test_superusers_become_administrators_and_is_staff_follows_the_role():
    from enturf_server.accounts.models import User

    try:
        old = migrate_to(BEFORE)
        OldUser = old.get_model("accounts", "User")
        OldUser.objects.create(username="owner", role="customer", is_superuser=True)
        OldUser.objects.create(username="clerk", role="employee", is_staff=True)
        OldUser.objects.create(username="boss", role="admin", is_staff=False)
    finally:
        migrate_to(AFTER)
    flags = {
        u.username: (u.role, u.is_staff, u.is_superuser)
        for u in User.objects.filter(username__in=["owner", "clerk", "boss"])
    }
    assert flags == {
        "owner": ("admin", True, True),
        "clerk": ("employee", False, False),
        "boss": ("admin", True, False),
    }
    owner = User.objects.get(username="owner")
    assert list(owner.groups.values_list("name", flat=True)) == ["admin"]
