"""A supervisor's price override at the counter (issue 12 item 11): a counter sale whose
line is priced below (or above) the server's stands at the counter's price when the line
carries an administrator's approval the server verifies; otherwise it is held for review
as before, with why the approval did not count."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from support.counters import allocated, pos_client, push, register_counter, sale_line, sale_payload

from enturf_core.approvals import ApprovalStatement, sign_statement
from enturf_core.ticket_codes import SigningKey

pytestmark = pytest.mark.django_db

KEYS = "/api/v1/auth/approval-keys/"


def _register_key(admin, token) -> SigningKey:
    key = SigningKey.generate()
    answer = pos_client(admin, token).post(
        KEYS, {"public_key": key.public_key_base64()}, format="json"
    )
    assert answer.status_code == 201, answer.content
    return key


@pytest.fixture
def desk(make_user, admin_client, shop):
    """Counter 1 (two seats allocated) with a cashier on it, and an admin whose approval
    key is registered there."""
    device, token, ticket_key = register_counter("Counter 1")
    cashier = pos_client(make_user("cashier", "employee"), token)
    admin = make_user("boss", "admin")
    allocated(admin_client, shop, device, shop.seats[:2])
    return device, token, cashier, admin, _register_key(admin, token), ticket_key


def _approval(key, *, admin, device, line_id, price, server_price, kind="price_override"):
    statement = ApprovalStatement(
        kind=kind,
        subject=str(line_id),
        figures={"price": price, "server_price": server_price},
        approver=admin.pk,
        device=device.pk,
        at=datetime.now(UTC),
    )
    return sign_statement(statement, key)


def _overridden_sale(shop, ticket_key, approval, *, price="20.00", line_id=None):
    """Seat 0 at `price` (the server's 25.00) with the override, seat 1 at the list price."""
    line_id = line_id or uuid.uuid4()
    changed = sale_line(
        shop, "standard", seat=shop.seats[0], key=ticket_key, price=price, line_id=line_id
    )
    changed["override"] = {
        "reason": "Companion of a wheelchair user",
        "listed_price": "25.00",
        "approval": approval,
    }
    lines = [changed, sale_line(shop, "standard", seat=shop.seats[1], key=ticket_key)]
    return sale_payload(shop, lines), line_id


def test_an_approved_price_override_is_paid_invoiced_at_that_price_and_audited(
    desk, shop, employee_client
):
    from enturf_server.audit.models import AuditEntry
    from enturf_server.invoicing.models import Invoice
    from enturf_server.sales.models import Booking

    device, _token, cashier, admin, key, ticket_key = desk
    line_id = uuid.uuid4()
    signed = _approval(
        key, admin=admin, device=device, line_id=line_id, price="20.00", server_price="25.00"
    )
    payload, _ = _overridden_sale(shop, ticket_key, signed, line_id=line_id)
    [result] = push(cashier, payload)
    assert result["status"] == "applied", result
    sale = result["booking"]
    assert (sale["state"], sale["total"], sale["override_refusals"]) == ("paid", "45.00", {})
    assert sale["invoice"].startswith("INV-")
    booking = Booking.objects.get(pk=sale["id"])
    line = booking.lines.get(pk=line_id)
    assert (line.price, line.server_price) == (Decimal("20.00"), Decimal("25.00"))
    invoice = Invoice.objects.get(booking=booking, kind="invoice")
    assert invoice.total_gross == Decimal("45.00")
    pdf = employee_client.get(f"/api/v1/invoices/{invoice.pk}/pdf/").content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "20.00" in text and "45.00" in text

    [entry] = AuditEntry.objects.filter(action="sale.price_override", object_id=str(booking.pk))
    assert entry.actor == admin  # the administrator who approved, not the cashier
    assert (
        entry.details["cashier"],
        entry.details["line"],
        entry.details["price"],
        entry.details["server_price"],
        entry.details["reason"],
    ) == ("cashier", str(line_id), "20.00", "25.00", "Companion of a wheelchair user")


def test_an_override_without_approval_is_held_for_review_as_before(desk, shop):
    from enturf_server.audit.models import AuditEntry

    _device, _token, cashier, _admin, _key, ticket_key = desk
    payload, line_id = _overridden_sale(shop, ticket_key, None)
    [result] = push(cashier, payload)
    assert result["status"] == "applied", result
    sale = result["booking"]
    assert (sale["state"], sale["invoice"]) == ("review", None)
    assert sale["server_prices"] == {str(line_id): "25.00"}
    assert "No administrator's approval" in sale["override_refusals"][str(line_id)]
    assert AuditEntry.objects.filter(action="sale.price_override_refused").count() == 1
    assert not AuditEntry.objects.filter(action="sale.price_override").exists()


@pytest.mark.parametrize(
    "case, why",
    [
        ("other_price", "approval_mismatch"),
        ("other_line", "approval_mismatch"),
        ("other_kind", "approval_mismatch"),
        ("bad_signature", "approval_bad_signature"),
        ("other_device", "approval_other_device"),
        ("admin_demoted", "approver_not_admin"),
    ],
)
def test_a_bad_approval_sends_the_sale_to_review_with_the_reason(desk, shop, make_user, case, why):
    from enturf_server.sales.models import Booking

    device, _token, cashier, admin, key, ticket_key = desk
    line_id = uuid.uuid4()
    figures = {"price": "20.00", "server_price": "25.00"}
    signer, subject, kind = key, line_id, "price_override"
    if case in ("other_price", "bad_signature"):
        figures["price"] = "10.00"  # approved 10.00, the line says 20.00
    elif case == "other_line":
        subject = uuid.uuid4()
    elif case == "other_kind":
        kind = "refund_override"
    elif case == "other_device":
        other, other_token, _ = register_counter("Counter 2")
        signer = _register_key(admin, other_token)
        device = other
    signed = _approval(signer, admin=admin, device=device, line_id=subject, kind=kind, **figures)
    if case == "bad_signature":  # the statement altered after signing
        signed["statement"]["figures"]["price"] = "20.00"
    if case == "admin_demoted":
        admin.role = "employee"
        admin.save()
    payload, _ = _overridden_sale(shop, ticket_key, signed, line_id=line_id)
    [result] = push(cashier, payload)
    assert result["status"] == "applied", result
    sale = result["booking"]
    assert sale["state"] == "review", sale
    assert f"({why})" in sale["override_refusals"][str(line_id)], sale["override_refusals"]
    assert Booking.objects.get(pk=sale["id"]).state == "review"


def test_an_approval_is_used_once(desk, shop, admin_client):
    device, _token, cashier, admin, key, ticket_key = desk
    line_id = uuid.uuid4()
    signed = _approval(
        key, admin=admin, device=device, line_id=line_id, price="20.00", server_price="25.00"
    )
    payload, _ = _overridden_sale(shop, ticket_key, signed, line_id=line_id)
    [first] = push(cashier, payload)
    assert first["booking"]["state"] == "paid", first
    # recorded with the sale; the same proof never counts again (its line id cannot be
    # sold twice either: the push refuses a taken line id before any approval is read)
    from enturf_server.accounts.models import Approval

    assert Approval.objects.filter(kind="price_override", subject=str(line_id)).count() == 1
    from enturf_server.accounts.approvals import ApprovalRefused, verify

    with pytest.raises(ApprovalRefused) as refused:
        verify(
            proof=signed,
            kind="price_override",
            subject=str(line_id),
            figures={"price": "20.00", "server_price": "25.00"},
            device=device,
        )
    assert refused.value.code == "approval_used"
