"""Edits made in the Django admin take the same service path as the API: feed and audit."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from enturf_server.accounts.models import SiteSettings
from enturf_server.audit.models import AuditEntry
from enturf_server.sync.models import ChangeLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_web(client, make_user):
    user = make_user("root", "admin")
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def test_settings_edit_in_admin_reaches_feed_and_audit(admin_web):
    site = SiteSettings.load()
    data = {k: ("" if v is None else v) for k, v in model_to_dict(site).items() if k != "id"}
    data["seller_name"] = "Admin Edited Hall"
    r = admin_web.post(f"/admin/accounts/sitesettings/{site.pk}/change/", data)
    assert r.status_code == 302, r.content[:2000]
    entry = ChangeLogEntry.objects.filter(entity="settings").latest("seq")
    assert entry.data["seller_name"] == "Admin Edited Hall"
    assert AuditEntry.objects.filter(action="settings.update").exists()


def test_staff_added_in_admin_syncs_to_counters(admin_web):
    from enturf_server.accounts.models import User

    r = admin_web.post(
        "/admin/accounts/user/add/",
        {
            "username": "nightcashier",
            "password1": "Zx-long-pass-41",
            "password2": "Zx-long-pass-41",
            "usable_password": "true",
        },
    )
    assert r.status_code == 302, r.content[:2000]
    user = User.objects.get(username="nightcashier")
    user.role = "employee"
    data = {
        "username": user.username,
        "role": "employee",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    r = admin_web.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert r.status_code == 302, r.content[:3000]
    user.refresh_from_db()
    assert user.role == "employee"
    assert user.groups.filter(name="employee").exists()
    assert ChangeLogEntry.objects.filter(
        entity="user", entity_id=str(user.pk), op="upsert"
    ).exists()
