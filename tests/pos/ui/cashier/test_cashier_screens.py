"""A screenshot of the cashier window selling the 20,000-seat arena, for the README and
for people to look at (tests/artifacts/cashier-arena.png; docs/img/cashier-arena.png is
the committed copy). Its pixels are checked for the cart's colour.

The arena goes into this counter's local database through the sync's own apply path
(`sync_apply.apply_page`, the snapshot's entry shapes); it does not exist on the server,
so the window is told not to hold seats there.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QSize, Qt
from support.pos_windows import WAIT, log_in
from support.seat_map_fixtures import arena_seat_map, availability_statuses

from enturf_pos.services.sync import sync_apply
from enturf_pos.ui.seat_map.palette import CART_FILL

EVENT, SEAT_MAP, VENUE, AREA = 90_001, 90_001, 90_001, 90_001
PRICES = {"lower": "89.00", "club": "120.00", "upper": "59.00", "gallery": "39.00"}


def load_arena(ctx) -> None:
    detail = arena_seat_map(20_000)
    detail["areas"][0]["id"] = AREA  # not to clash with areas synced from the server
    statuses = availability_statuses(detail, sold=0.35, held=0.03, blocked=0.005)
    starts = (datetime.now(UTC) + timedelta(days=2)).replace(hour=19, minute=30, second=0)
    entries = [
        {
            "entity": "venue",
            "id": str(VENUE),
            "version": 1,
            "op": "upsert",
            "data": {"name": "Enturf Arena", "address": "Harbour Road 1"},
        },
        {
            "entity": "seatmap",
            "id": str(SEAT_MAP),
            "version": 1,
            "op": "upsert",
            "data": {
                "venue": VENUE,
                "name": "Arena",
                "stage_x": detail["stage_x"],
                "stage_y": detail["stage_y"],
                "width": detail["width"],
                "height": detail["height"],
                "areas": detail["areas"],
            },
        },
        {
            "entity": "event",
            "id": str(EVENT),
            "version": 1,
            "op": "upsert",
            "data": {
                "seat_map": SEAT_MAP,
                "venue": VENUE,
                "name": "Northern Lights Tour",
                "starts_at": starts.isoformat(),
                "state": "on_sale",
            },
        },
        {
            "entity": "seat_status",
            "id": str(EVENT),
            "version": 7,
            "op": "upsert",
            "data": {
                "full": True,
                "seats": {str(k): v for k, v in statuses.items()},
                "areas": {str(AREA): 1240},
            },
        },
    ]
    ticket_ids = itertools.count(90_001)

    def ticket(name: str, price: str, position: int, **where: object) -> dict:
        ticket_id = next(ticket_ids)
        data = {"id": ticket_id, "event": EVENT, "name": name, "price": price, "tax_rate": "7.00"}
        data.update(where, position=position)
        return {
            "entity": "ticket",
            "id": str(ticket_id),
            "version": 1,
            "op": "upsert",
            "data": data,
        }

    for position, (category, price) in enumerate(PRICES.items()):
        for name, factor in (("Adult", 1), ("Child", 0.6)):
            amount = f"{float(price) * factor:.2f}" if factor != 1 else price
            entries.append(ticket(name, amount, position, category=category))
    entries.append(ticket("Floor", "49.00", 9, area=AREA))
    with ctx.db.transaction() as session:
        sync_apply.apply_page(session, entries, layouts={SEAT_MAP: detail})


def test_screenshot_of_the_cashier_selling_the_arena(flow, qtbot, artifacts):
    load_arena(flow.ctx)
    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    window = flow.cashier_window
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: window.events.row_of(EVENT) is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: not window.offline, timeout=WAIT)
    window.sale.open_event(EVENT)
    qtbot.waitUntil(lambda: window.sale.current_event is not None, timeout=WAIT)
    window.live.set_online(False)  # the arena is local only: no holds, no polling
    window.programme.select_event(EVENT)

    window.seat_panel.seat_count.setValue(4)
    qtbot.keyClick(window.map, Qt.Key.Key_B)
    assert len(window.cart.seat_ids()) == 4
    window.sale.cycle_ticket(f"s{window.cart.seat_ids()[-1]}")  # one child ticket
    window.map.fit()  # the whole arena; the cart is drawn large enough to find
    window.sale.start_cash()
    window.cash.quick[1].click()
    qtbot.wait(200)

    assert window.size() == QSize(1600, 900)  # the legend or the cart never widen it
    image = window.grab().toImage()
    assert image.save(str(artifacts / "cashier-arena.png"))
    cart = CART_FILL.rgb()
    top_left = window.map.mapTo(window, window.map.rect().topLeft())
    yellow = sum(
        1
        for x in range(top_left.x(), top_left.x() + window.map.width(), 2)
        for y in range(top_left.y(), top_left.y() + window.map.height(), 2)
        if image.pixel(x, y) == cart
    )
    assert yellow > 0  # the cart's seats are on the map
    assert window.cart_panel.model.rowCount() == 4 and "€" in window.cash.change.text()
