"""Which sales and refunds belong to a shift on the server (the counter's rule): every
sale of the counter in the shift's window, whoever was logged in; refunds in the shift
they happen in, reported per method, a card refund never lowering the card expected (it
does not pass through the terminal). A counter sale outside every shift is kept and
flagged, never refused."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader
from support import billing_fixtures
from support.billing_fixtures import card_on_reader
from support.counters import allocated, closing, opening, sale_line, sale_payload
from support.counters import push as push_sale
from support.counters import push_ops as push

pytestmark = pytest.mark.django_db
gateway = billing_fixtures.gateway


def card_sale(gateway, shop, key, seats, *, at, shift_id):
    booking_id = str(uuid.uuid4())
    amount = f"{25 * len(seats)}.00"
    terminal, handle, outcome = card_on_reader(gateway, booking_id, amount)
    assert outcome.state == "authorised"
    terminal.capture(handle)
    card = {
        "id": str(uuid.uuid4()),
        "method": "card",
        "amount": amount,
        "payment_intent": handle.payment_id,
    }
    return sale_payload(
        shop,
        [sale_line(shop, "standard", seat=s, key=key) for s in seats],
        booking_id=booking_id,
        payments=[card],
        created_at=at.isoformat(),
        shift=str(shift_id),
    )


def test_a_card_refund_of_an_earlier_shifts_sale_never_makes_the_card_expected_negative(
    admin_client, make_user, shop, counter, gateway
):
    from enturf_server.shifts.models import Shift

    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:4])
    start = timezone.now() - timedelta(hours=4)
    yesterday, today = uuid.uuid4(), uuid.uuid4()

    # the first shift: a card sale of two seats (50.00)
    assert push(pos, opening(yesterday, start))[0]["status"] == "applied"
    sale = card_sale(
        gateway, shop, key, shop.seats[:2], at=start + timedelta(minutes=5), shift_id=yesterday
    )
    assert [r["status"] for r in push_sale(pos, sale)] == ["applied"]
    end = start + timedelta(hours=1)
    [closed] = push(
        pos, closing(yesterday, end, cash="100.00", expected_cash="100.00", difference="0")
    )
    assert closed["status"] == "applied", closed

    # the next shift: a cash sale by another login at this counter, then one ticket of
    # yesterday's card sale refunded (25.00 back to the card)
    make_user("eve", "employee")
    assert push(pos, opening(today, end + timedelta(minutes=1)))[0]["status"] == "applied"
    cash = sale_payload(
        shop,
        [sale_line(shop, "standard", seat=shop.seats[2], key=key)],
        seller="eve",
        created_at=(end + timedelta(minutes=10)).isoformat(),
        shift=str(today),
    )
    assert [r["status"] for r in push_sale(pos, cash)] == ["applied"]
    line = sale["lines"][0]["id"]
    refund = pos.post(
        "/api/v1/refunds/", {"booking": sale["booking"]["id"], "lines": [line]}, format="json"
    )
    assert refund.status_code == 201, refund.content
    assert refund.json()["state"] == "succeeded"

    # the counter's figures: cash 100 + 25 ; card 0 sold on the terminal, 25 refunded
    [closed] = push(
        pos,
        (
            "shift_close",
            {
                "shift": str(today),
                "closed_at": timezone.now().isoformat(),
                "counted": {"cash": "125.00", "card": "0.00"},
                "report": {"expected": {"cash": "125.00", "card": "0.00"}},
                "difference": "0.00",
            },
        ),
    )
    assert closed["status"] == "applied", closed
    assert (closed["shift"]["server_difference"], closed["shift"]["notes"]) == ("0.00", [])
    server = Shift.objects.get(pk=today).z_report["server"]
    assert server["expected"] == {"cash": "125.00", "card": "0.00"}
    assert server["takings"] == {
        "cash": {"sales": "25.00", "refunds": "0.00"},
        "card": {"sales": "0.00", "refunds": "25.00"},
    }
    assert [(r["count"], r["amount"]) for r in server["sales"]] == [(1, "25.00")]
    assert [(r["count"], r["amount"]) for r in server["refunds"]] == [(1, "25.00")]
    first = Shift.objects.get(pk=yesterday).z_report["server"]
    assert first["expected"] == {"cash": "100.00", "card": "50.00"}

    pdf = admin_client.get(f"/api/v1/shifts/{today}/z-report.pdf")
    assert pdf.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Method\nSales\nRefunds\nNet" in text
    assert "card\n0.00\n25.00\n-25.00" in text
    assert "cash\n25.00\n0.00\n25.00" in text


def test_a_counter_sale_outside_every_shift_is_kept_and_flagged(admin_client, shop, counter):
    from enturf_server.audit.models import AuditEntry
    from enturf_server.sales.models import Booking

    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:4])
    start = timezone.now() - timedelta(hours=2)
    shift_id = uuid.uuid4()
    push(pos, opening(shift_id, start))

    def sale(seat, **booking):
        return sale_payload(shop, [sale_line(shop, "standard", seat=seat, key=key)], **booking)

    queued_by_an_old_counter = sale(shop.seats[0], created_at=start.isoformat())
    in_shift = sale(
        shop.seats[1], created_at=(start + timedelta(minutes=5)).isoformat(), shift=str(shift_id)
    )
    before_it = sale(
        shop.seats[2], created_at=(start - timedelta(minutes=5)).isoformat(), shift=str(shift_id)
    )
    unknown = sale(
        shop.seats[3],
        created_at=(start + timedelta(minutes=6)).isoformat(),
        shift=str(uuid.uuid4()),
    )
    payloads = [queued_by_an_old_counter, in_shift, before_it, unknown]
    assert [r["status"] for r in push_sale(pos, *payloads)] == ["applied"] * 4
    assert Booking.objects.filter(state="paid").count() == 4  # never lost

    flagged = {
        e.object_id: e.details["reason"]
        for e in AuditEntry.objects.filter(action="counter_sale.outside_shift")
    }
    ids = [p["booking"]["id"] for p in payloads]
    assert set(flagged) == {ids[0], ids[2], ids[3]}
    assert "without an open shift" in flagged[ids[0]]
    assert "outside its shift's window" in flagged[ids[2]]
    assert "not known to the server" in flagged[ids[3]]
    entry = AuditEntry.objects.get(action="counter_sale", object_id=ids[1])
    assert entry.details["shift"] == str(shift_id)


def test_a_buyers_name_and_email_from_the_counter_are_stored_and_checked(
    admin_client, shop, counter
):
    from enturf_server.sales.models import Booking

    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:2])
    good = sale_payload(
        shop,
        [sale_line(shop, "standard", seat=shop.seats[0], key=key)],
        buyer_name="Ada Lovelace",
        buyer_email="ada@example.org",
    )
    bad = sale_payload(
        shop,
        [sale_line(shop, "standard", seat=shop.seats[1], key=key)],
        buyer_email="x" * 250 + "@example.org",
    )
    applied, refused = push_sale(pos, good, bad)
    assert applied["status"] == "applied", applied
    booking = Booking.objects.get(pk=good["booking"]["id"])
    assert (booking.buyer_name, booking.buyer_email) == ("Ada Lovelace", "ada@example.org")
    assert (refused["status"], refused["code"]) == ("rejected", "invalid")
    assert "buyer_email" in str(refused["details"])
