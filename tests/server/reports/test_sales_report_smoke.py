"""The sales report answers every grouping with figures that add up (first cut)."""

from __future__ import annotations

import pytest
from support.counters import allocated, push, sale_line, sale_payload

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/sales/"


@pytest.mark.parametrize(
    "group_by",
    ["day", "event", "ticket", "category", "channel", "counter", "cashier", "payment_method"],
)
def test_every_grouping_adds_up(admin_client, shop, counter, group_by):
    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:3])
    lines = [sale_line(shop, "standard", seat=s, key=key) for s in shop.seats[:2]]
    assert push(pos, sale_payload(shop, lines))[0]["status"] == "applied"
    r = admin_client.get(URL, {"group_by": group_by})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["totals"]["tickets"] == 2
    assert body["totals"]["gross_cents"] == 5000
    assert sum(row["gross_cents"] for row in body["rows"]) == 5000
