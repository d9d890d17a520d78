"""A stored time's day at the venue, as the database computes it for the reports, is the
day Python's zoneinfo gives, also around daylight-saving changes (SQLite has no zones:
there the offsets become a CASE, see reports.local_day)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("zone_name", ["Europe/Berlin", "America/New_York", "Australia/Sydney"])
def test_the_database_s_local_day_is_zoneinfo_s(shop, zone_name):
    from django.db.models import Max, Min

    from enturf_server.reports.local_day import local_day
    from enturf_server.reports.sales import _day
    from enturf_server.sales.models import Booking

    zone = ZoneInfo(zone_name)
    moments = []
    for start in (datetime(2026, 3, 27, tzinfo=UTC), datetime(2026, 10, 23, tzinfo=UTC)):
        moments += [start + timedelta(minutes=20 * n) for n in range(3 * 24 * 7)]  # 7 days
    Booking.objects.bulk_create(
        Booking(code=f"T{n:06d}", event=shop.event, state="paid") for n in range(len(moments))
    )
    for n, at in enumerate(moments):
        Booking.objects.filter(code=f"T{n:06d}").update(created_at=at)
    rows = Booking.objects.filter(code__startswith="T")
    span = rows.aggregate(first=Min("created_at"), last=Max("created_at"))
    found = dict(
        rows.annotate(day=local_day("created_at", zone, span["first"], span["last"])).values_list(
            "code", "day"
        )
    )
    want = {f"T{n:06d}": at.astimezone(zone).date() for n, at in enumerate(moments)}
    assert {code: _day(day) for code, day in found.items()} == want


def test_offsets_change_at_the_transitions():
    from enturf_server.reports.local_day import offsets

    berlin = ZoneInfo("Europe/Berlin")
    spans = offsets(berlin, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))
    assert spans == [
        (datetime(2026, 3, 29, 1, tzinfo=UTC), 3600),
        (datetime(2026, 10, 25, 1, tzinfo=UTC), 7200),
        (None, 3600),
    ]
