"""How many user actions a standard counter sale takes, counted on the real window.

Starts the real server (subprocess, SQLite), registers a counter, logs a cashier in
through the login window, opens an event (not counted: the sale starts with the event
open) and then sells by pressing keys where the keyboard focus is, as a cashier would.
Every key press or click counts as one action; the run waits for each sale to be recorded
and to reach the server before it goes on.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/sale_actions.py

Sales: cash, 2 seats (best seats, pay cash, exact cash, complete), cash, 4 standing
places (places, quantity, add, pay cash, exact cash, complete) and card, 2 seats (best
seats, pay card; the customer's tap on the reader is the gateway simulator's test
helper, not a cashier action, and the run waits for the capture).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import keyring  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from support.card_support import GatewayView  # noqa: E402
from support.memory_keyring import MemoryKeyring  # noqa: E402
from support.open_drawer import open_drawer  # noqa: E402
from support.server_process import USERS, card_gateway_env, running_server  # noqa: E402
from support.sync_support import AdminApi, make_show, open_counter, register  # noqa: E402

from enturf_pos.services.sales import sale_service  # noqa: E402
from enturf_pos.ui.app import create_application  # noqa: E402
from enturf_pos.ui.window_flow import WindowFlow  # noqa: E402
from gateway_sim.testing import start_simulator  # noqa: E402

TIMEOUT = 60.0


class Counter:
    """Presses keys where the focus is and counts them."""

    def __init__(self) -> None:
        self.actions = 0

    def press(self, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:
        self.actions += 1
        QTest.keyClick(QApplication.focusWidget(), key, mods)


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.01)


def main() -> None:
    keyring.set_keyring(MemoryKeyring())
    create_application()
    with tempfile.TemporaryDirectory() as tmp:
        sim = start_simulator(db_path=Path(tmp) / "gateway.sqlite3")
        try:
            with running_server(Path(tmp) / "server", extra_env=card_gateway_env(sim)) as server:
                results = sell(
                    server, Path(tmp), GatewayView(sim.url, sim.secret_key, sim.reader_id)
                )
        finally:
            sim.stop()
    print("Actions per standard sale at the counter (the event already open), counted on")
    print("the real window: one key press = one action. Target: at most 6.")
    print(f"{'sale':<26}{'actions':>8}{'recorded (s)':>14}{'on the server (s)':>19}")
    for label, actions, recorded, on_server in results:
        print(f"{label:<26}{actions:>8}{recorded:>14.2f}{on_server:>19.2f}")
    print("(times include waiting for the hold, the reader and the push on a shared 2-core")
    print(" machine; they are indications, not targets)")


def sell(server, tmp: Path, reader: GatewayView) -> list[tuple[str, int, float, float]]:
    api = AdminApi(server)
    show = make_show(api, tickets=2, rows=4, seats=10)
    area = api.get(f"seatmaps/{show.seat_map_id}/")["areas"][0]["id"]
    api.post(
        "tickets/",
        {
            "event": show.event_id,
            "name": "Standing",
            "price": "15.00",
            "tax_rate": "7.00",
            "area": area,
        },
    )
    name = api.get(f"events/{show.event_id}/")["name"]
    ctx = register(open_counter(tmp / "pos"), server, server.base_url, "Bench")
    open_drawer(ctx)  # the counter sells only inside an open shift
    flow = WindowFlow(ctx)
    flow.start()
    login = flow.login_window
    QTest.keyClicks(login.username, "cashier")
    QTest.keyClicks(login.password, USERS["cashier"][1])
    QTest.mouseClick(login.button, Qt.MouseButton.LeftButton)
    wait_for(lambda: flow.cashier_window is not None, "the counter window")
    window = flow.cashier_window
    window.activateWindow()
    wait_for(lambda: window.events.row_of(show.event_id) is not None, "the programme")
    window.programme.focus_search()
    QTest.keyClicks(window.programme.search, name)
    QTest.keyClick(window.programme.search, Qt.Key.Key_Return)
    wait_for(
        lambda: window.sale.current_event is not None and not window.offline, "the event, online"
    )

    results = []
    for label, keys in (
        ("cash, 2 seats", [Qt.Key.Key_B, Qt.Key.Key_F9, Qt.Key.Key_F10, Qt.Key.Key_Return]),
        (
            "cash, 4 standing places",
            [
                Qt.Key.Key_G,
                Qt.Key.Key_4,
                Qt.Key.Key_Return,
                Qt.Key.Key_F9,
                Qt.Key.Key_F10,
                Qt.Key.Key_Return,
            ],
        ),
        ("card, 2 seats", [Qt.Key.Key_B, Qt.Key.Key_F11]),
    ):
        counter = Counter()
        before = window.last_sale
        started = time.perf_counter()
        for key in keys:
            counter.press(key)
            if key == Qt.Key.Key_F9:
                wait_for(window.cash.isVisible, "the cash panel")
            if key == Qt.Key.Key_F11:
                status = window.card_panel.status
                wait_for(lambda s=status: "Waiting for the card" in s.text(), "the reader")
                reader.tap()  # the customer, not the cashier
        wait_for(lambda b=before: window.last_sale not in (None, b), "the sale")
        recorded = time.perf_counter() - started

        def applied(sale=window.last_sale) -> bool:
            status = sale_service.sale_status(ctx=ctx, sale_id=sale)
            return status is not None and status.state == "applied"

        wait_for(applied, "the sale on the server")
        on_server = time.perf_counter() - started
        results.append((label, counter.actions, recorded, on_server))
        window.sale.start_new_sale()

    flow.shutdown()
    for widget in QApplication.topLevelWidgets():
        widget.close()
    ctx.close()
    reader.close()
    return results


if __name__ == "__main__":
    main()
