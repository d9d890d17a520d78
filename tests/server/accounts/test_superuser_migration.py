"""Migration `accounts/0010_superusers_are_admins` brings rows from before the rule in
line: a superuser gets the admin role and group, `is_staff` follows the role."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0009_staff_roles")]
AFTER = [("accounts", "0010_superusers_are_admins")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_superusers_become_administrators_and_is_staff_follows_the_role():
    from enturf_server.accounts.models import User

    try:
        old = _migrate(BEFORE)
        OldUser = old.get_model("accounts", "User")
        OldUser.objects.create(username="owner", role="customer", is_superuser=True)
        OldUser.objects.create(username="clerk", role="employee", is_staff=True)
        OldUser.objects.create(username="boss", role="admin", is_staff=False)
    finally:
        _migrate(AFTER)
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
