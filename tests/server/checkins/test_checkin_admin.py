"""Door scans and lists in the Django admin: listed, read-only."""

from __future__ import annotations

import pytest
from support.door_scans import default_list, paid_lines, scan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_signing_key")]


def test_scans_are_listed_read_only(client, make_user, shop, admin_client):
    root = make_user("root", "admin")
    root.is_superuser = True
    root.save()
    client.force_login(root)
    line = paid_lines(shop, make_user("buyer"), seats=1)[0]
    record = scan(admin_client, default_list(admin_client, shop), line.ticket_code, gate="North")
    listed = client.get("/admin/checkins/checkinrecord/?double_entry__exact=0")
    assert listed.status_code == 200 and b"North" in listed.content
    assert client.get(f"/admin/checkins/checkinrecord/{record['id']}/change/").status_code == 200
    assert client.get("/admin/checkins/checkinrecord/add/").status_code == 403
    assert client.get("/admin/checkins/checkinlist/").status_code == 200
