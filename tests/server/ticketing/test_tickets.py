"""Signed ticket codes on the server: the signing key, published keys, verification and the
print-at-home PDF whose QR codes are decoded back and verified."""

from __future__ import annotations

import base64
import stat
from datetime import UTC, datetime, timedelta

import pypdfium2
import pytest
import zxingcpp
from django.core.exceptions import ImproperlyConfigured
from support.factories import sales_setup
from support.paid_booking_data import book, mark_paid

from enturf_core.ticket_codes import (
    InvalidTicketCode,
    PublicKeyInfo,
    SigningKey,
    TicketPayload,
    keyring_of,
    sign,
    verify,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_signing_key")]


@pytest.fixture
def setup(db):
    return sales_setup()


def _lines(booking):
    from enturf_server.sales.models import BookingLine

    return list(BookingLine.objects.filter(booking=booking).order_by("pk"))


def _published_keyring(client) -> dict[str, PublicKeyInfo]:
    keys = client.get("/api/v1/ticket-keys/").json()["keys"]
    return keyring_of(
        *(
            PublicKeyInfo.from_base64(
                k["public_key"],
                datetime.fromisoformat(k["retired_at"]) if k["retired_at"] else None,
            )
            for k in keys
        )
    )


def _tamper(code: str) -> str:
    """Flip one bit of the payload's first byte: still canonical base64url."""
    version, key_id, body, signature = code.split(".")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[0] ^= 0x01
    body = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    return f"{version}.{key_id}.{body}.{signature}"


# -- the server's key --------------------------------------------------------------------------


def test_key_file_is_created_once_with_owner_only_permissions(settings):
    from enturf_server.ticketing.keys import clear_cache, server_signing_key

    key = server_signing_key()
    path = settings.DATA_DIR / "signing_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert SigningKey.from_base64(path.read_text()).key_id == key.key_id
    clear_cache()
    assert server_signing_key().key_id == key.key_id  # read back, not regenerated
    assert [p.name for p in settings.DATA_DIR.iterdir()] == ["signing_key"]  # no temp files


def test_environment_key_wins_and_bad_values_are_refused(monkeypatch, settings):
    from enturf_server.ticketing.keys import server_signing_key

    configured = SigningKey.generate()
    monkeypatch.setenv("ENTURF_SIGNING_KEY", configured.to_base64())
    assert server_signing_key().key_id == configured.key_id
    assert not (settings.DATA_DIR / "signing_key").exists()

    monkeypatch.setenv("ENTURF_SIGNING_KEY", "not-a-key")
    with pytest.raises(ImproperlyConfigured, match="ENTURF_SIGNING_KEY must be an Ed25519"):
        server_signing_key()


def test_sign_lines_signs_each_valid_line_once(setup, make_user):
    from enturf_server.sales.models import BookingLine, LineState
    from enturf_server.sync.models import ChangeLogEntry
    from enturf_server.ticketing.keys import server_signing_key
    from enturf_server.ticketing.services import sign_lines

    booking = book(setup, make_user("carl"), seats=2, floor=1)
    refunded = _lines(booking)[0]
    BookingLine.objects.filter(pk=refunded.pk).update(state=LineState.REFUNDED)
    mark_paid(booking)

    ring = keyring_of(server_signing_key().public_info())
    lines = {line.pk: line for line in _lines(booking)}
    assert lines[refunded.pk].ticket_code == ""
    signed = [line for line in lines.values() if line.ticket_code]
    assert len(signed) == 2
    for line in signed:
        claims = verify(line.ticket_code, ring)
        assert claims.line_id == str(line.pk)
        assert claims.event_id == setup.event.pk
        assert (claims.seat_id, claims.area_id) == (line.seat_id, line.area_id)

    sign_lines(booking=booking)  # again: nothing changes
    assert {line.pk: line.ticket_code for line in _lines(booking)} == {
        pk: line.ticket_code for pk, line in lines.items()
    }
    # the server key was recorded and put on the change feed once, for counters to sync
    entries = list(ChangeLogEntry.objects.filter(entity="ticket_key"))
    assert [(e.entity_id, e.data["owner"]) for e in entries] == [
        (server_signing_key().key_id, "server")
    ]


def test_pending_booking_is_not_signed(setup, make_user):
    from enturf_server.ticketing.services import SigningRefused, sign_lines

    booking = book(setup, make_user("carl"), seats=1)
    with pytest.raises(SigningRefused, match="signed once it is paid"):
        sign_lines(booking=booking)
    assert all(line.ticket_code == "" for line in _lines(booking))


def test_rotated_server_key_is_retired_and_keeps_verifying_older_codes(
    setup, make_user, monkeypatch, employee_client
):
    from enturf_server.ticketing.keys import clear_cache
    from enturf_server.ticketing.models import ServerSigningKey

    customer = make_user("carl")
    old_booking = book(setup, customer, seats=1)
    mark_paid(old_booking)
    old_code = _lines(old_booking)[0].ticket_code

    monkeypatch.setenv("ENTURF_SIGNING_KEY", SigningKey.generate().to_base64())
    clear_cache()
    new_booking = book(setup, customer, seats=0, premium=1)
    mark_paid(new_booking)

    old_key, new_key = ServerSigningKey.objects.order_by("created_at", "id")
    assert old_key.retired_at is not None and new_key.retired_at is None
    for code in (old_code, _lines(new_booking)[0].ticket_code):
        r = employee_client.post("/api/v1/tickets/verify/", {"code": code}, format="json")
        assert r.json()["valid"] is True, r.json()


# -- published keys ----------------------------------------------------------------------------


def test_ticket_keys_lists_server_and_device_keys_to_anyone(setup, make_user, anon_client):
    from enturf_server.accounts.models import Device
    from enturf_server.ticketing.keys import server_signing_key

    active, retired = SigningKey.generate(), SigningKey.generate()
    retired_at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    first = Device.objects.create(
        name="Counter 1",
        signing_public_key=active.public_key_base64(),
        signing_key_id=active.key_id,
        registered_at=datetime(2025, 12, 1, tzinfo=UTC),
    )
    second = Device.objects.create(
        name="Counter 2",
        signing_public_key=retired.public_key_base64(),
        signing_key_id=retired.key_id,
        registered_at=datetime(2025, 12, 1, tzinfo=UTC),
        retired_at=retired_at,
    )
    Device.objects.create(name="never registered")

    r = anon_client.get("/api/v1/ticket-keys/")
    assert r.status_code == 200
    keys = r.json()["keys"]
    server = server_signing_key()
    assert keys == [
        {
            "key_id": server.key_id,
            "public_key": server.public_key_base64(),
            "owner": "server",
            "retired_at": None,
        },
        {
            "key_id": active.key_id,
            "public_key": active.public_key_base64(),
            "owner": f"device:{first.pk}",
            "retired_at": None,
        },
        {
            "key_id": retired.key_id,
            "public_key": retired.public_key_base64(),
            "owner": f"device:{second.pk}",
            "retired_at": retired_at.isoformat(),
        },
    ]


# -- verification ------------------------------------------------------------------------------


def _verify(client, code):
    return client.post("/api/v1/tickets/verify/", {"code": code}, format="json")


def test_verify_valid_refunded_tampered_and_superseded(setup, make_user, employee_client):
    from enturf_server.sales.models import BookingLine, LineState

    booking = book(setup, make_user("carl"), seats=2, buyer_name="Ada")
    mark_paid(booking)
    first, second = _lines(booking)

    r = _verify(employee_client, first.ticket_code)
    assert r.status_code == 200
    body = r.json()
    assert body["valid"] is True and "reason" not in body
    assert body["signed_by"] == "server"
    line = body["line"]
    assert line["id"] == str(first.pk)
    assert line["booking"] == booking.code
    assert line["event"]["id"] == setup.event.pk
    assert line["seat"]["id"] == first.seat_id and line["area"] is None
    assert line["ticket"]["name"] == "Standard"
    assert line["state"] == "valid"

    BookingLine.objects.filter(pk=second.pk).update(state=LineState.REFUNDED)
    body = _verify(employee_client, second.ticket_code).json()
    assert (body["valid"], body["reason"], body["line"]["state"]) == (False, "refunded", "refunded")

    body = _verify(employee_client, _tamper(first.ticket_code)).json()
    assert (body["valid"], body["reason"], body["line"]) == (False, "bad_signature", None)

    body = _verify(employee_client, "v1.garbage").json()
    assert (body["valid"], body["reason"]) == (False, "malformed")
    body = _verify(employee_client, "v2.a.b.c").json()
    assert body["reason"] == "unsupported_version"

    # a reissued line: its earlier code no longer counts
    old = first.ticket_code
    BookingLine.objects.filter(pk=first.pk).update(ticket_code="")
    from enturf_server.ticketing.services import sign_lines

    sign_lines(booking=booking)
    assert _verify(employee_client, old).json()["reason"] == "superseded"


def test_verify_refuses_codes_of_unpaid_bookings_and_unknown_lines(
    setup, make_user, employee_client
):
    from enturf_server.sales.models import Booking, BookingState
    from enturf_server.ticketing.keys import server_signing_key

    booking = book(setup, make_user("carl"), seats=1)
    mark_paid(booking)
    line = _lines(booking)[0]
    Booking.objects.filter(pk=booking.pk).update(state=BookingState.CANCELLED)
    assert _verify(employee_client, line.ticket_code).json()["reason"] == "cancelled"

    key = server_signing_key()
    ghost = sign(
        TicketPayload(line_id="0" * 8 + "-0000-4000-8000-" + "0" * 12, event_id=1, seat_id=1), key
    )
    assert _verify(employee_client, ghost).json()["reason"] == "unknown_line"
    elsewhere = sign(
        TicketPayload(line_id=str(line.pk), event_id=setup.event.pk, seat_id=line.seat_id + 1), key
    )
    assert _verify(employee_client, elsewhere).json()["reason"] == "claims_mismatch"


def test_device_key_verifies_codes_from_before_its_retirement_only(
    setup, make_user, employee_client, admin_client
):
    """An offline sale signed by a counter's key: valid while the counter is active and,
    after retirement, for codes issued before it; a code it signs afterwards is refused."""
    from enturf_server.accounts.models import Device
    from enturf_server.sales.models import BookingLine

    key = SigningKey.generate()
    device = Device.objects.create(
        name="Counter 1",
        signing_public_key=key.public_key_base64(),
        signing_key_id=key.key_id,
        registered_at=datetime.now(UTC) - timedelta(days=3),
    )
    booking = book(setup, make_user("carl"), seats=2)
    mark_paid(booking, sign=False)
    before, after = _lines(booking)

    def signed_by_counter(line, issued_at):
        code = sign(
            TicketPayload(
                line_id=line.pk, event_id=setup.event.pk, seat_id=line.seat_id, issued_at=issued_at
            ),
            key,
        )
        BookingLine.objects.filter(pk=line.pk).update(ticket_code=code)
        return code

    early = signed_by_counter(before, datetime.now(UTC) - timedelta(hours=1))
    body = _verify(employee_client, early).json()
    assert (body["valid"], body["signed_by"]) == (True, f"device:{device.pk}")

    assert admin_client.delete(f"/api/v1/devices/{device.pk}/").status_code in (200, 204)
    device.refresh_from_db()
    assert device.retired_at is not None

    assert _verify(employee_client, early).json()["valid"] is True
    late = signed_by_counter(after, device.retired_at + timedelta(seconds=5))
    body = _verify(employee_client, late).json()
    assert (body["valid"], body["reason"]) == (False, "key_retired")


def test_verify_is_for_staff_and_refuses_malformed_requests(
    customer_client, anon_client, employee_client
):
    assert _verify(customer_client, "v1.x").status_code == 403
    assert _verify(anon_client, "v1.x").status_code == 401
    for body in ({}, {"code": ""}, {"code": ["v1"]}, {"code": "v1." + "a" * 2000}):
        r = employee_client.post("/api/v1/tickets/verify/", body, format="json")
        assert r.status_code == 400, body
        assert r.json()["error"]["code"] == "invalid"


# -- the print-at-home PDF ---------------------------------------------------------------------


def _decoded_codes(content: bytes) -> list[list[str]]:
    """Each page rendered at 150 dpi, its QR codes decoded, top to bottom."""
    pdf = pypdfium2.PdfDocument(content)
    pages = []
    for page in pdf:
        image = page.render(scale=150 / 72).to_pil()
        found = zxingcpp.read_barcodes(image)
        pages.append(
            [
                r.text
                for r in sorted(found, key=lambda r: r.position.top_left.y)
                if r.format == zxingcpp.BarcodeFormat.QRCode
            ]
        )
    return pages


def test_tickets_pdf_qr_codes_decode_and_verify_with_published_keys(
    setup, make_user, client_for, anon_client
):
    import io

    from pypdf import PdfReader

    customer = make_user("carl")
    booking = book(setup, customer, seats=2, premium=1, floor=2, buyer_name="Ada Lovelace")
    mark_paid(booking)
    client = client_for(customer)

    r = client.get(f"/api/v1/bookings/{booking.pk}/tickets.pdf", HTTP_ACCEPT="application/pdf")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert f'filename="tickets-{booking.code}.pdf"' in r["Content-Disposition"]

    pages = _decoded_codes(r.content)
    assert [len(codes) for codes in pages] == [3, 2]  # three tickets per A4 page
    decoded = [code for codes in pages for code in codes]
    assert sorted(decoded) == sorted(line.ticket_code for line in _lines(booking))

    ring = _published_keyring(anon_client)
    by_id = {str(line.pk): line for line in _lines(booking)}
    for code in decoded:
        claims = verify(code, ring)
        line = by_id[str(claims.line_id)]
        assert (claims.seat_id, claims.area_id) == (line.seat_id, line.area_id)
    with pytest.raises(InvalidTicketCode) as refused:
        verify(_tamper(decoded[0]), ring)
    assert refused.value.reason == "bad_signature"

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    for expected in [
        setup.event.name,
        booking.code,
        "Ada Lovelace",
        "Standard",
        "Premium",
        "€49.90",
        "Floor",
        "STANDING",  # the standing area's label, as the counter prints it
    ]:
        assert expected in text, expected


def test_tickets_pdf_permissions_and_unpaid_bookings(
    setup, make_user, client_for, employee_client, other_customer_client
):
    from enturf_server.sales.models import BookingLine, LineState

    customer = make_user("carl")
    paid = book(setup, customer, seats=1)
    mark_paid(paid)
    pending = book(setup, customer, seats=0, premium=1)
    owner = client_for(customer)

    assert other_customer_client.get(f"/api/v1/bookings/{paid.pk}/tickets.pdf").status_code == 404
    assert employee_client.get(f"/api/v1/bookings/{paid.pk}/tickets.pdf").status_code == 200

    r = owner.get(f"/api/v1/bookings/{pending.pk}/tickets.pdf")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "booking_not_paid"
    assert "once it is paid" in r.json()["error"]["message"]

    BookingLine.objects.filter(booking=paid).update(state=LineState.REFUNDED)
    r = owner.get(f"/api/v1/bookings/{paid.pk}/tickets.pdf")
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_valid_tickets"
