"""The published OpenAPI schema builds cleanly and names every public path."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_builds_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(out), "--fail-on-warn", "--validate")
    text = out.read_text()
    for path in (
        "/api/v1/auth/login/",
        "/api/v1/events/{event_id}/availability/",
        "/api/v1/holds/",
        "/api/v1/bookings/",
        "/api/v1/sync/changes/",
        "/api/v1/sync/push/",
        "/api/v1/devices/register/",
    ):
        assert path in text, path
