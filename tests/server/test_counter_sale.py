"""The `counter_sale` push op: offline and online counter sales become paid, invoiced
bookings with the counter's ids and ticket codes; replays, prices held for review,
refusals, vouchers (redeemed once, or refused at push time without refusing the sale)."""

from __future__ import annotations

import io
import socket
import uuid
from decimal import Decimal

import billing_fixtures
import pytest
from billing_fixtures import card_on_reader
from counters import (
    allocated,
    push,
    sale_line,
    sale_payload,
    statuses,
)
from pypdf import PdfReader

from enturf_core.money import Money
from enturf_core.pricing.breakdown import compute_breakdown
from enturf_core.pricing.terms import LineInput, Voucher
from enturf_core.ticket_codes import SigningKey

pytestmark = pytest.mark.django_db
gateway = billing_fixtures.gateway


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _stored():
    from enturf_server.billing.models import Payment
    from enturf_server.invoicing.models import Invoice
    from enturf_server.sales.models import Booking, BookingLine

    return (
        Booking.objects.count(),
        BookingLine.objects.count(),
        Payment.objects.count(),
        Invoice.objects.count(),
    )


def test_offline_cash_sale_becomes_a_paid_invoiced_booking_with_the_counters_codes(
    admin_client, employee_client, customer_client, shop, counter
):
    from enturf_server.invoicing.models import Invoice
    from enturf_server.sales.models import Booking

    device, pos, key = counter
    s, floor = shop.seats, shop.areas["Floor"]
    allocated(admin_client, shop, device, s[:3], [(floor, 5)])
    lines = [
        sale_line(shop, "standard", seat=s[0], key=key),
        sale_line(shop, "standard", seat=s[1], key=key),
        sale_line(shop, "floor", area=floor, key=key),
    ]  # 25.00 + 25.00 + 19.99
    payload = sale_payload(
        shop,
        lines,
        code="QX7K2MP",
        buyer_name="Ola Nordmann",
        payments=[
            {
                "id": str(uuid.uuid4()),
                "method": "cash",
                "amount": "69.99",
                "tendered": "100.00",
                "change": "30.01",
            }
        ],
    )
    [result] = push(pos, payload)
    assert result["status"] == "applied", result
    sale = result["booking"]
    assert (sale["id"], sale["code"], sale["state"], sale["total"]) == (
        payload["booking"]["id"],
        "QX7K2MP",
        "paid",
        "69.99",
    )
    assert sale["price_mismatch"] is False and sale["invoice"].startswith("INV-")
    assert {line["id"]: line["ticket_code"] for line in sale["lines"]} == {
        line["id"]: line["ticket_code"] for line in lines
    }

    booking = Booking.objects.get(pk=payload["booking"]["id"])
    assert (booking.channel, booking.device_id, booking.created_by.username) == (
        "counter",
        device.pk,
        "cashier",
    )
    assert booking.created_at.isoformat() == "2026-01-02T19:05:00+00:00"
    invoice = Invoice.objects.get(booking=booking, kind="invoice")
    assert invoice.total_gross == Decimal("69.99")
    payments = employee_client.get(f"/api/v1/bookings/{booking.pk}/payments/").json()
    assert [(p["method"], p["amount"], p["tendered"], p["change"]) for p in payments] == [
        ("cash", "69.99", "100.00", "30.01")
    ]
    shown = statuses(customer_client, shop)
    assert (shown[s[0]], shown[s[1]], shown[s[2]]) == ("sold", "sold", "allocated")

    for line in lines:  # the counter's codes verify on the server, signed by the counter
        r = employee_client.post(
            "/api/v1/tickets/verify/", {"code": line["ticket_code"]}, format="json"
        )
        assert r.status_code == 200
        assert r.json()["valid"] is True, r.json()
        assert r.json()["signed_by"] == f"device:{device.pk}"
        assert r.json()["line"]["id"] == line["id"]


def test_a_replayed_sale_is_a_duplicate_and_applies_once(admin_client, shop, counter):
    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:2])
    payload = sale_payload(shop, [sale_line(shop, "standard", seat=shop.seats[0], key=key)])
    op_id = uuid.uuid4()
    [first] = push(pos, payload, op_ids=[op_id])
    assert first["status"] == "applied"
    stored = _stored()
    [again] = push(pos, payload, op_ids=[op_id])  # the answer was lost: same op id
    assert (again["status"], again["first_status"]) == ("duplicate", "applied")
    [other_op] = push(pos, payload)  # same sale under a new op id
    assert other_op["status"] == "duplicate"
    assert other_op["booking"]["id"] == first["booking"]["id"]
    assert _stored() == stored == (1, 1, 1, 1)


def test_a_recorded_price_is_kept_flagged_and_held_for_review_when_it_differs(
    admin_client, shop, counter
):
    from enturf_server.sales.models import Booking

    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:2])
    lines = [
        sale_line(shop, "standard", seat=shop.seats[0], key=key, price="20.00"),
        sale_line(shop, "standard", seat=shop.seats[1], key=key),
    ]
    [result] = push(pos, sale_payload(shop, lines))
    assert result["status"] == "applied", result
    assert result["booking"]["total"] == "45.00"
    assert result["booking"]["price_mismatch"] is True
    assert result["booking"]["server_prices"] == {lines[0]["id"]: "25.00"}
    assert (result["booking"]["state"], result["booking"]["invoice"]) == ("review", None)
    booking = Booking.objects.get(pk=result["booking"]["id"])
    assert booking.price_mismatch and booking.total == Decimal("45.00")
    assert booking.lines.get(pk=lines[0]["id"]).server_price == Decimal("25.00")
    assert booking.lines.get(pk=lines[0]["id"]).tax_amount == Decimal(lines[0]["tax_amount"])


def test_a_seat_sold_elsewhere_refuses_the_sale_with_what_to_refund(customer_client, shop, counter):
    _device, pos, key = counter
    s = shop.seats
    r = customer_client.post(
        "/api/v1/bookings/",
        {"event": shop.event.pk, "lines": [{"seat": s[0], "ticket": shop.tickets["standard"].pk}]},
        format="json",
    )
    assert r.status_code == 201
    before = _stored()
    payload = sale_payload(
        shop,
        [
            sale_line(shop, "standard", seat=s[0], key=key),
            sale_line(shop, "standard", seat=s[1], key=key),
        ],
    )
    [result] = push(pos, payload)
    assert (result["status"], result["code"]) == ("rejected", "sold_elsewhere")
    assert "50.00 EUR" in result["reason"]
    details = result["details"]
    assert details["unavailable_seats"] == [s[0]]
    assert details["refund"]["amount"] == "50.00"
    assert details["refund"]["payments"][0]["id"] == payload["payments"][0]["id"]
    assert _stored() == before
    assert statuses(customer_client, shop)[s[1]] == "available"


def test_online_sale_confirms_the_counters_hold_and_the_server_signs(
    employee_client, customer_client, shop, counter
):
    _device, pos, _key = counter
    s = shop.seats
    hold = pos.post("/api/v1/holds/", {"event": shop.event.pk, "seats": s[:3]}, format="json")
    assert hold.status_code == 201
    lines = [sale_line(shop, "standard", seat=x) for x in s[:2]]  # no codes: the server signs
    payload = sale_payload(shop, lines)
    payload["hold"] = hold.json()["id"]
    [result] = push(pos, payload)
    assert result["status"] == "applied", result
    codes = [line["ticket_code"] for line in result["booking"]["lines"]]
    assert all(code.startswith("v1.") for code in codes)
    r = employee_client.post("/api/v1/tickets/verify/", {"code": codes[0]}, format="json").json()
    assert r["valid"] and r["signed_by"] == "server"
    shown = statuses(customer_client, shop)
    assert [shown[x] for x in s[:3]] == ["sold", "sold", "available"]  # the rest of the hold
    assert pos.get(f"/api/v1/holds/{hold.json()['id']}/").json()["state"] == "released"


def test_card_sale_is_verified_at_the_gateway(admin_client, shop, counter, gateway):
    from enturf_server.billing.models import Payment

    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:2])
    booking_id = str(uuid.uuid4())
    _terminal, handle, outcome = card_on_reader(gateway, booking_id, "25.00")
    assert outcome.state == "authorised"
    card = {
        "id": str(uuid.uuid4()),
        "method": "card",
        "amount": "25.00",
        "payment_intent": handle.payment_id,
    }
    payload = sale_payload(
        shop,
        [sale_line(shop, "standard", seat=shop.seats[0], key=key)],
        booking_id=booking_id,
        payments=[card],
    )
    [result] = push(pos, payload)
    assert result["status"] == "applied", result
    payment = Payment.objects.get(pk=card["id"])
    assert (payment.card_brand, payment.card_last4, payment.gateway_status) == (
        "visa",
        "4242",
        "requires_capture",
    )

    # an intent for another amount is refused, nothing stored
    other_id = str(uuid.uuid4())
    _t, handle, _o = card_on_reader(gateway, other_id, "20.00")
    bad = sale_payload(
        shop,
        [sale_line(shop, "standard", seat=shop.seats[1], key=key)],
        booking_id=other_id,
        payments=[{**card, "id": str(uuid.uuid4()), "payment_intent": handle.payment_id}],
    )
    [result] = push(pos, bad)
    assert (result["status"], result["code"]) == ("rejected", "amount_mismatch")


def test_card_sale_while_the_gateway_is_unreachable_is_sent_again_later(
    admin_client, shop, counter, settings
):
    device, pos, key = counter
    allocated(admin_client, shop, device, shop.seats[:1])
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        settings.ENTURF_GATEWAY_URL = f"http://127.0.0.1:{probe.getsockname()[1]}"
    card = {"id": str(uuid.uuid4()), "method": "card", "amount": "25.00", "payment_intent": "pi_1"}
    payload = sale_payload(
        shop, [sale_line(shop, "standard", seat=shop.seats[0], key=key)], payments=[card]
    )
    op_id = uuid.uuid4()
    [result] = push(pos, payload, op_ids=[op_id])
    assert (result["status"], result["retry"]) == ("rejected", True), result
    assert result["code"] == "gateway_unreachable"
    from enturf_server.sync.models import ProcessedOp

    assert not ProcessedOp.objects.filter(pk=op_id).exists()
    assert _stored() == (0, 0, 0, 0)


def test_bad_sales_are_rejected_per_op_with_reasons(admin_client, shop, counter, make_user):
    device, pos, key = counter
    s, floor = shop.seats, shop.areas["Floor"]
    allocated(admin_client, shop, device, s[:6])
    make_user("carla", "customer")
    stranger = SigningKey.generate()

    def one(seat=s[0], **kw):
        return [sale_line(shop, "standard", seat=seat, key=key, **kw)]

    wrong_claims = one()
    wrong_claims[0]["ticket_code"] = one(seat=s[1])[0]["ticket_code"]  # another line's code
    bad_tax = one()
    bad_tax[0]["tax_amount"] = "1.00"
    twice = one() + one()
    cases = [
        ({"lines": []}, "invalid"),
        (
            sale_payload(shop, [sale_line(shop, "standard", seat=s[0], key=stranger)]),
            "bad_ticket_code",
        ),
        (sale_payload(shop, wrong_claims), "bad_ticket_code"),
        (sale_payload(shop, bad_tax), "tax_mismatch"),
        (sale_payload(shop, twice), "duplicate_seats"),
        (sale_payload(shop, one(), payments=[]), "payments_do_not_match_total"),
        (
            sale_payload(
                shop,
                one(),
                payments=[{"id": str(uuid.uuid4()), "method": "card", "amount": "25.00"}],
            ),
            "payment_intent_required",
        ),
        (sale_payload(shop, [sale_line(shop, "premium", seat=s[0], key=key)]), "ticket_mismatch"),
        (sale_payload(shop, [sale_line(shop, "floor", seat=s[0], key=key)]), "ticket_mismatch"),
        (sale_payload(shop, [sale_line(shop, "standard", area=floor, key=key)]), "ticket_mismatch"),
        (sale_payload(shop, one(seat=2_000_000)), "unknown_seats"),
        ({**sale_payload(shop, one()), "booking": {"id": "x"}}, "invalid"),
    ]
    before = _stored()
    results = push(pos, *[payload for payload, _code in cases])
    for (_payload, code), result in zip(cases, results, strict=True):
        assert result["status"] == "rejected", (code, result)
        assert result["code"] == code, (code, result)
        assert result["reason"]
    assert _stored() == before

    from enturf_server.catalog.models import Event

    Event.objects.filter(pk=shop.event.pk).update(state="cancelled")
    [result] = push(pos, sale_payload(shop, one()))
    assert result["code"] == "event_not_on_sale"


# -- vouchers ------------------------------------------------------------------------------------


def _voucher(admin_client, **fields) -> dict:
    body = {"code": "TEN", "kind": "percent", "percent": "10", **fields}
    r = admin_client.post("/api/v1/vouchers/", body, format="json")
    assert r.status_code == 201, r.content
    return r.json()


def _used(admin_client, voucher) -> int:
    return admin_client.get(f"/api/v1/vouchers/{voucher['id']}/").json()["used"]


def _with_voucher(shop, lines, voucher: Voucher) -> list[dict]:
    """The lines as the POS prices them with `voucher` (enturf_core.pricing, as the cart):
    `price` paid after the discount, its tax, and the `discount`."""
    tickets = {t.pk: t for t in shop.tickets.values()}
    inputs = [
        LineInput(
            unit_price=Money(tickets[line["ticket"]].price, "EUR"),
            tax_rate=tickets[line["ticket"]].tax_rate,
            ticket_id=str(line["ticket"]),
        )
        for line in lines
    ]
    priced = compute_breakdown(inputs, currency="EUR", voucher=voucher).ticket_lines()
    return [
        {
            **line,
            "price": p.gross.amount_text(),
            "tax_amount": p.tax.amount_text(),
            "discount": p.discount.amount_text(),
        }
        for line, p in zip(lines, priced, strict=True)
    ]


def test_a_voucher_sale_is_paid_unflagged_counts_one_use_and_the_invoice_shows_the_discount(
    admin_client, employee_client, shop, counter
):
    from enturf_server.billing.models import BookingBreakdown, VoucherRedemption
    from enturf_server.invoicing.models import Invoice
    from enturf_server.sales.models import Booking

    device, pos, key = counter
    s, floor = shop.seats, shop.areas["Floor"]
    allocated(admin_client, shop, device, s[:2], [(floor, 2)])
    voucher = _voucher(admin_client, max_uses=5)
    lines = _with_voucher(
        shop,
        [
            sale_line(shop, "standard", seat=s[0], key=key),
            sale_line(shop, "standard", seat=s[1], key=key),
            sale_line(shop, "floor", area=floor, key=key),
        ],
        Voucher.percentage("TEN", Decimal("10")),
    )
    assert [(line["price"], line["discount"]) for line in lines][:2] == [("22.50", "2.50")] * 2
    payload = sale_payload(shop, lines, voucher="ten")  # codes are case-insensitive
    op_id = uuid.uuid4()
    [result] = push(pos, payload, op_ids=[op_id])
    assert result["status"] == "applied", result
    sale = result["booking"]
    total = sum(Decimal(line["price"]) for line in lines)
    assert (sale["state"], Decimal(sale["total"])) == ("paid", total)
    assert (sale["price_mismatch"], sale["server_prices"]) == (False, {})
    assert _used(admin_client, voucher) == 1
    booking = Booking.objects.get(pk=sale["id"])
    discount = sum(Decimal(line["discount"]) for line in lines)
    assert VoucherRedemption.objects.get(booking=booking).discount == discount
    assert BookingBreakdown.objects.filter(booking=booking).exists()
    assert {str(line.pk): line.discount for line in booking.lines.all()} == {
        line["id"]: Decimal(line["discount"]) for line in lines
    }

    invoice = Invoice.objects.get(booking=booking, kind="invoice")
    shown = employee_client.get(f"/api/v1/invoices/{invoice.pk}/").json()
    assert Decimal(shown["total_gross"]) == total
    assert sorted(Decimal(line["discount"]) for line in shown["lines"]) == sorted(
        Decimal(line["discount"]) for line in lines
    )
    text = _pdf_text(employee_client.get(f"/api/v1/invoices/{invoice.pk}/pdf/").content)
    assert "Discount" in text and "€2.50" in text and f"€{total}" in text

    # replays answer the first result and count no second use
    [again] = push(pos, payload, op_ids=[op_id])
    [other_op] = push(pos, payload)
    assert (again["status"], other_op["status"]) == ("duplicate", "duplicate")
    assert other_op["booking"]["id"] == sale["id"]
    assert _used(admin_client, voucher) == 1
    assert VoucherRedemption.objects.count() == 1


def test_a_voucher_refused_at_push_time_keeps_the_sale_for_review_and_audits_it(
    admin_client, customer_client, shop, counter
):
    from enturf_server.audit.models import AuditEntry
    from enturf_server.billing.models import BookingBreakdown, VoucherRedemption
    from enturf_server.invoicing.models import Invoice
    from enturf_server.sales.models import Booking

    device, pos, key = counter
    s = shop.seats
    allocated(admin_client, shop, device, s[:3])
    last = _voucher(admin_client, code="LAST", max_uses=1)
    gone = _voucher(admin_client, code="GONE")
    # the last use goes online while the counter is offline; GONE expires meanwhile
    r = customer_client.post(
        "/api/v1/bookings/",
        {
            "event": shop.event.pk,
            "lines": [{"seat": s[5], "ticket": shop.tickets["standard"].pk}],
            "voucher": "LAST",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    r = admin_client.patch(
        f"/api/v1/vouchers/{gone['id']}/",
        {"valid_until": "2020-01-01T00:00:00Z"},
        format="json",
    )
    assert r.status_code == 200, r.content

    cases = [("LAST", s[0], "voucher_used_up"), ("GONE", s[1], "voucher_expired")]
    cases.append(("NOSUCH", s[2], "voucher_invalid"))
    for code, seat, reason in cases:
        lines = _with_voucher(
            shop,
            [sale_line(shop, "standard", seat=seat, key=key)],
            Voucher.percentage(code, Decimal("10")),
        )
        [result] = push(pos, sale_payload(shop, lines, voucher=code))
        assert result["status"] == "applied", (code, result)
        sale = result["booking"]
        # priced below the server's (no voucher now): kept, held for a manager's review
        assert (sale["state"], sale["total"], sale["price_mismatch"]) == ("review", "22.50", True)
        assert sale["server_prices"] == {lines[0]["id"]: "25.00"}  # list price: no voucher
        booking = Booking.objects.get(pk=sale["id"])
        assert booking.price_mismatch
        assert not VoucherRedemption.objects.filter(booking=booking).exists()
        assert not BookingBreakdown.objects.filter(booking=booking).exists()
        [entry] = AuditEntry.objects.filter(
            action="counter_sale.voucher_refused", object_id=str(booking.pk)
        )
        assert (entry.details["voucher"], entry.details["reason"]) == (code, reason)
        assert entry.device_id == device.pk
        assert not Invoice.objects.filter(booking=booking).exists()
        assert booking.lines.get().discount == Decimal("2.50")  # what the counter gave
    assert _used(admin_client, last) == 1  # the online booking's; none beyond the limit
    assert _used(admin_client, gone) == 0
