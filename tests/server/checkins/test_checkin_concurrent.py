"""Two gates scanning one ticket at the same moment (PostgreSQL): the line's row lock makes
one of them wait, so one says admitted and the other already in, never both admitted."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone
from support.databases import requires_postgres
from support.door_scans import default_list, paid_lines, scan
from support.pg_race import first_held_open

pytestmark = [
    requires_postgres,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_signing_key"),
]


def test_two_gates_at_once_admit_one(shop, make_user, employee_client):
    from enturf_server.checkins.models import CheckinList, CheckinRecord
    from enturf_server.checkins.scanning import Scan, record_scan

    line = paid_lines(shop, make_user("buyer"), seats=1)[0]
    list_id = default_list(employee_client, shop)

    def gate_a():
        listing = CheckinList.objects.select_related("event__seat_map__venue").get(pk=list_id)
        scanned = Scan(
            id=uuid.uuid4(),
            code=line.ticket_code,
            checkin_list=listing,
            gate="A",
            kind="entry",
            scanned_at=timezone.now(),
            user=employee_client.user,
            device=None,
        )
        return record_scan(scanned).record.verdict

    with first_held_open(
        gate_a, lambda: scan(employee_client, list_id, line.ticket_code, gate="B")
    ) as race:
        assert not race.second_done.is_set()  # gate B waits for gate A's lock
    assert race.first == "admitted"
    assert (race.second["verdict"], race.second["previous"]["gate"]) == ("already_in", "A")
    assert CheckinRecord.objects.filter(verdict="admitted").count() == 1
