"""The booking lookup at the counter: a show of its own per test (seats only), a booking
made on the server (not at this counter), the lookup dialog opened and a booking found."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from support.cashier_window import press
from support.pos_windows import WAIT
from support.sync_support import AdminApi, make_show


@pytest.fixture
def show(api):
    """An event on sale (2 rows x 6 seats, tickets 20.00 and 21.00), its seat ids."""
    show = make_show(api, tickets=2, rows=2, seats=6)
    detail = api.get(f"seatmaps/{show.seat_map_id}/")
    seats = [s["id"] for sec in detail["sections"] for r in sec["rows"] for s in r["seats"]]
    name = api.get(f"events/{show.event_id}/")["name"]
    return {"event": show.event_id, "name": name, "tickets": show.ticket_ids, "seats": seats}


def online_booking(api: AdminApi, show, seat: int, *, name: str, email: str) -> dict:
    """A booking made on the server (not at this counter), paid in cash by the admin."""
    booking = api.post(
        "bookings/",
        {
            "event": show["event"],
            "lines": [{"seat": seat, "ticket": show["tickets"][0]}],
            "buyer_name": name,
            "buyer_email": email,
        },
    )
    api.post(
        f"bookings/{booking['id']}/payments/",
        {"id": str(uuid.uuid4()), "method": "cash", "amount": booking["total"], "currency": "EUR"},
    )
    return booking


def open_lookup(qtbot, window):
    press(qtbot, window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    dialog = window.lookup
    assert dialog is not None and dialog.objectName() == "bookingLookup"
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    assert dialog.findChild(QLineEdit, "bookingSearch") is dialog.search
    return dialog


def find(qtbot, dialog, text: str, booking_id: uuid.UUID) -> None:
    dialog.search.clear()
    qtbot.keyClicks(dialog.search, text)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: dialog.booking is not None and dialog.booking.id == booking_id, timeout=WAIT
    )
    # the detail pane was just shown: wait until its buttons are laid out to be clicked
    qtbot.waitUntil(lambda: not dialog.refund_button.visibleRegion().isEmpty(), timeout=WAIT)
