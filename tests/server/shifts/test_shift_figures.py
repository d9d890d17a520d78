"""The server's check of a Z report counts a discounted line at what was paid for it (a
booking line's `price` is after its voucher discount), as the counter does."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from support.counters import allocated, closing, opening, sale_line, sale_payload
from support.counters import push as push_sale
from support.counters import push_ops as push

pytestmark = pytest.mark.django_db


def test_a_discounted_line_counts_at_the_price_paid(admin_client, shop, counter):
    from enturf_server.shifts.models import Shift

    device, pos, key = counter
    start = timezone.now() - timedelta(hours=1)
    shift_id = uuid.uuid4()
    assert push(pos, opening(shift_id, start))[0]["status"] == "applied"
    allocated(admin_client, shop, device, shop.seats[:1])
    line = sale_line(shop, "standard", seat=shop.seats[0], key=key)
    paid = line["price"]
    line["discount"] = "5.00"  # a voucher took 5.00 off; `price` is what was paid
    sold_at = (start + timedelta(minutes=10)).isoformat()
    [sold] = push_sale(pos, sale_payload(shop, [line], created_at=sold_at))
    assert sold["status"] == "applied", sold

    expected = str(Decimal("100.00") + Decimal(paid))
    [closed] = push(
        pos,
        closing(shift_id, timezone.now(), cash=expected, expected_cash=expected, difference="0"),
    )
    assert closed["status"] == "applied", closed
    server = Shift.objects.get(pk=shift_id).z_report["server"]
    assert server["expected"]["cash"] == expected
    assert [(r["count"], r["amount"]) for r in server["sales"]] == [(1, paid)]
