"""Door devices against the real server: a device set to door duty, a show's check-in
lists, paid web bookings (codes the server signs), and the QR codes read back from the
printed ticket PDFs (rendered with pypdfium2, decoded with zxing-cpp)."""

from __future__ import annotations

import uuid

import pypdfium2
import zxingcpp

from enturf_pos.models import Device
from enturf_pos.services.session.pos_context import PosContext
from support.sync_support import AdminApi, Show

DPI = 150


def codes_of_pdf(pdf: bytes) -> list[str]:
    """Every QR code of every page of `pdf`, as a scanner at the door reads it."""
    doc = pypdfium2.PdfDocument(pdf)
    codes = []
    try:
        for i in range(len(doc)):
            image = doc[i].render(scale=DPI / 72).to_pil()
            codes += [
                r.text
                for r in zxingcpp.read_barcodes(image)
                if r.format == zxingcpp.BarcodeFormat.QRCode and r.text.startswith("v1.")
            ]
    finally:
        doc.close()
    return codes


def seat_ids(api: AdminApi, show: Show) -> list[int]:
    detail = api.get(f"seatmaps/{show.seat_map_id}/")
    return [s["id"] for sec in detail["sections"] for r in sec["rows"] for s in r["seats"]]


def web_booking(api: AdminApi, show: Show, seats: list[int]) -> dict:
    """A booking made on the server and paid in cash by the admin: its lines are signed by
    the server."""
    booking = api.post(
        "bookings/",
        {
            "event": show.event_id,
            "lines": [{"seat": s, "ticket": show.ticket_ids[0]} for s in seats],
            "buyer_name": "Ada Lovelace",
            "buyer_email": "ada@example.org",
        },
    )
    api.post(
        f"bookings/{booking['id']}/payments/",
        {"id": str(uuid.uuid4()), "method": "cash", "amount": booking["total"], "currency": "EUR"},
    )
    return booking


def printed_codes(api: AdminApi, booking_id: object) -> list[str]:
    """The codes on the booking's print-at-home tickets (the server's PDF), read back."""
    answer = api.session.get(f"{api.base}/api/v1/bookings/{booking_id}/tickets.pdf", timeout=60)
    assert answer.status_code == 200, answer.text[:500]
    return codes_of_pdf(answer.content)


def lists_of(api: AdminApi, show: Show) -> list[dict]:
    """The event's check-in lists (the server makes "All tickets" when there is none)."""
    return api.get(f"events/{show.event_id}/checkin-lists/")


def new_list(api: AdminApi, show: Show, **fields) -> dict:
    return api.post(f"events/{show.event_id}/checkin-lists/", {"name": "Door", **fields})


def set_door_duty(api: AdminApi, ctx: PosContext) -> int:
    """The admin sets this registered device to door duty; its server id."""
    with ctx.db.transaction() as session:
        device_id = int(session.get(Device, 1).device_id)
    api.patch(f"devices/{device_id}/", {"duty": "door"})
    return device_id
