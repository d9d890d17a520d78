"""Updates as the cashier sees them (pytest-qt, offscreen, the real server): a newer
counter version in a banner after an online login, once a day, that leaves the keyboard
where the sale goes on; an incompatible wire format in the sync status and the banner,
while the counter sells offline and keeps its sales."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFrame, QLabel
from support.cashier_window import (
    open_counter_window,
    open_event_by_keyboard,
    pay_exact_and_complete,
    press,
    wait_on_server,
)
from support.pos_windows import WAIT, log_in
from support.sync_support import log_in_online

from enturf_core.wire import version as wire
from enturf_pos.models import Device
from enturf_pos.services.sync import counter_update, sync_engine


def banner(window) -> QLabel:
    label = window.findChild(QLabel, "updateNotice")
    assert label is not None
    return label


def test_a_newer_version_is_said_in_a_banner_once_a_day(flow, show, qtbot, monkeypatch, artifacts):
    # this counter runs an older version than the one the server publishes (its own)
    monkeypatch.setattr(counter_update, "counter_version", lambda: "0.0.1")
    window = open_counter_window(qtbot, flow, show)
    qtbot.waitUntil(lambda: banner(window).isVisible(), timeout=WAIT)
    latest = counter_update.stored(flow.ctx).latest
    assert banner(window).text() == (
        f"A newer counter version {latest} is available (this counter runs 0.0.1): "
        "ask your administrator to install it."
    )
    assert window.findChild(QFrame, "updateBanner").isVisible()
    assert not any(w.isModal() for w in QApplication.topLevelWidgets() if w.isVisible())
    open_event_by_keyboard(qtbot, window, show)  # the keys work as ever: Ctrl+F, Enter
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.map, timeout=WAIT)
    window.showNormal()
    window.resize(1366, 768)
    qtbot.wait(100)
    window.grab().save(str(artifacts / "cashier-update-banner-1366x768.png"))

    window.logout_action.trigger()  # the same day, another login: not said again
    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    again = flow.cashier_window
    qtbot.wait(1500)  # the check ran (it answers within a ping on this machine)
    assert not banner(again).isVisible()


def test_an_incompatible_wire_format_shows_why_and_the_counter_sells_offline(
    flow, show, api, qtbot, monkeypatch
):
    with flow.ctx.db.transaction() as s:
        device_id = int(s.get(Device, 1).device_id)
    allocated = show["seats"][6:9]
    api.post(f"events/{show['event']}/allocations/", {"device": device_id, "seats": allocated})
    log_in_online(flow.ctx, "cashier")
    assert sync_engine.run_sync(ctx=flow.ctx).ok  # the counter knew the programme before
    monkeypatch.setattr(wire, "WIRE_VERSION", 2)  # now it speaks a format the server does not
    window = open_counter_window(qtbot, flow, show)
    refusal = window.findChild(QLabel, "syncRefusal")
    qtbot.waitUntil(refusal.isVisible, timeout=WAIT)
    assert "sync format 2" in refusal.toolTip()
    assert "Sales are kept on this counter" in banner(window).text()
    qtbot.waitUntil(lambda: window.offline, timeout=WAIT)  # sells from its allocation
    open_event_by_keyboard(qtbot, window, show)
    assert "Offline" in window.mode_label.text()
    press(qtbot, window, Qt.Key.Key_B)  # best seats: from the allocation
    assert set(window.cart.seat_ids()) <= set(allocated)
    pay_exact_and_complete(qtbot, window)
    assert "kept on this counter" in window.receipt.text()
    press(qtbot, window, Qt.Key.Key_F5)  # Sync now: refused again, nothing lost
    qtbot.waitUntil(lambda: not flow.sync.worker.running, timeout=WAIT)
    assert sync_engine.counts(flow.ctx) == (1, 0, 0)
    assert refusal.isVisible()

    monkeypatch.setattr(wire, "WIRE_VERSION", 1)  # updated: the sale goes
    press(qtbot, window, Qt.Key.Key_F5)
    wait_on_server(qtbot, flow.ctx, window.last_sale)
    qtbot.waitUntil(lambda: not refusal.isVisible(), timeout=WAIT)
