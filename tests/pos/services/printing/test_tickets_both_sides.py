"""The counter's printed tickets and the server's e-mailed ones are one drawing
(`enturf_core.ticket_pdf`): for the same sale they carry the same text, line for line,
and a counter's reprint from the server's data is the same ticket marked COPY. A real
sale at a counter, pushed to the real server."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

import pytest
from pypdf import PdfReader
from support.open_drawer import open_drawer
from support.sync_support import log_in_online, make_show

from enturf_core.money import Money
from enturf_core.ticket_pdf import render_tickets_a4
from enturf_pos.services.printing import documents, ticket_reprint
from enturf_pos.services.sales import counter_selectors, sale_service
from enturf_pos.services.sales.buyer import Buyer
from enturf_pos.services.sales.cart_service import Cart, SeatPick
from enturf_pos.services.sync import sync_engine

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def lines_of(pdf: bytes) -> list[str]:
    return [
        line for page in PdfReader(BytesIO(pdf)).pages for line in page.extract_text().splitlines()
    ]


def test_a_sales_tickets_read_the_same_from_the_counter_and_from_the_server(
    registered, api, artifacts
):
    show = make_show(api, tickets=2, rows=1, seats=4)
    seat_map = api.get(f"seatmaps/{show.seat_map_id}/")
    seats = [s["id"] for sec in seat_map["sections"] for r in sec["rows"] for s in r["seats"]]
    [area] = seat_map["areas"]
    api.post(
        "tickets/",
        {"event": show.event_id, "name": "Standing", "price": "15.00", "tax_rate": "10.00",
         "area": area["id"], "position": 5},
    )  # fmt: skip
    ctx = registered
    log_in_online(ctx, "cashier")
    open_drawer(ctx)
    assert sync_engine.run_sync(ctx=ctx).ok

    event = counter_selectors.event_for_sale(ctx=ctx, event_id=show.event_id)
    cart = Cart(event_id=event.id, tickets=event.tickets, area_names={area["id"]: area["name"]})
    cart.set_seats([SeatPick(s, f"Seat {s}", "standard") for s in seats[1:3]])
    standing = next(t for t in event.tickets if t.area == area["id"])
    cart.set_area_quantity(area["id"], standing.id, 1)
    sale = sale_service.record_cash_sale(
        ctx=ctx,
        cart=cart,
        tendered=cart.totals().total + Money("10.00", "EUR"),
        seller="cashier",
        hold_id=None,
        offline=False,
        buyer=Buyer(name="Ada Lovelace"),
    )
    assert sale.ok, sale.message
    report = sync_engine.run_sync(ctx=ctx)
    assert report.ok and report.pending == 0, report.message

    printed = documents.tickets_for_sale(ctx, sale.sale_id)
    counter_pdf = render_tickets_a4(printed)
    answer = api.session.get(f"{api.base}/api/v1/bookings/{sale.sale_id}/tickets.pdf", timeout=60)
    assert answer.status_code == 200, answer.text[:500]
    (artifacts / "tickets-from-the-counter.pdf").write_bytes(counter_pdf)
    (artifacts / "tickets-from-the-server.pdf").write_bytes(answer.content)

    counter_lines, server_lines = lines_of(counter_pdf), lines_of(answer.content)
    assert counter_lines == server_lines
    for expected in ("Ada Lovelace", "STANDING", "Standing", "€15.00", printed[0].booking_code):
        assert any(expected in line for line in counter_lines), expected

    # a counter's reprint (the server's data) is the same ticket, marked COPY
    reprint = ticket_reprint.server_tickets(ctx=ctx, booking_id=sale.sale_id)
    assert reprint.ok, reprint.message
    assert [replace(t, copy=False) for t in reprint.tickets] == printed
    assert all(t.copy for t in reprint.tickets)
