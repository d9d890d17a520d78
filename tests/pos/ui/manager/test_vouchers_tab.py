"""The manager's Vouchers tab against a live server: 500 codes made through the tab and
saved as CSV (read back: every code exists on the server), a voucher edited (a refused
value shown in the dialog first), its redemptions after a sale that used it, and offline
the last list with why editing is off."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QWidget,
)
from support.manager_window import manager_tab
from support.pos_windows import WAIT
from support.sync_support import make_show


def _press(qtbot, parent: QWidget, name: str) -> None:
    button = parent.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _dialog(qtbot, tab) -> QDialog:
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT)
    return tab.dialog


def _tick(dialog: QDialog, name: str, data: int, state=Qt.CheckState.Checked) -> None:
    widget = dialog.findChild(QListWidget, name)
    for i in range(widget.count()):
        if widget.item(i).data(Qt.ItemDataRole.UserRole) == data:
            widget.item(i).setCheckState(state)
            return
    raise AssertionError(f"{data} not in {name}")


def _set(dialog: QDialog, name: str, text: str) -> None:
    dialog.findChild(QLineEdit, name).setText(text)


def test_bulk_codes_saved_as_csv_an_edit_redemptions_and_offline(
    flow, api, proxy, qtbot, tmp_path: Path, monkeypatch
):
    show = make_show(api)
    tab = manager_tab(qtbot, flow, show, "vouchersTab")
    window = flow.manager_window
    qtbot.waitUntil(lambda: tab.listing is not None and tab.listing.live, timeout=WAIT)

    # 500 codes through the tab, for the show's first ticket
    _press(qtbot, tab, "voucherBulkButton")
    dialog = _dialog(qtbot, tab)
    assert dialog.objectName() == "voucherBulkDialog"
    assert dialog.findChild(QSpinBox, "voucherBulkCount").value() == 500
    prefix = f"T{uuid.uuid4().hex[:6].upper()}-"
    _set(dialog, "voucherPrefix", prefix)
    _set(dialog, "voucherValue", "10")
    _tick(dialog, "voucherEvents", show.event_id)
    _tick(dialog, "voucherTickets", show.ticket_ids[0])
    dialog.findChild(QSpinBox, "voucherMaxUses").setValue(2)
    qtbot.wait(50)
    dialog.grab().save("/tmp/vouchers_bulk_dialog.png")
    _press(qtbot, dialog, "voucherDialogSave")
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=WAIT)
    assert dialog.outcome.ok, dialog.outcome.message
    batch = dialog.outcome.batch
    target = tmp_path / "codes.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    _press(qtbot, dialog, "voucherSaveCsvButton")
    assert dialog.saved_to == target
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = {row["Code"] for row in rows}
    assert len(rows) == len(codes) == 500
    assert all(code.startswith(prefix) for code in codes)
    assert {row["Batch"] for row in rows} == {batch}
    on_server = api.get(f"vouchers/?batch={batch}&page_size=500")
    assert on_server["count"] == 500
    assert {v["code"] for v in on_server["results"]} == codes
    assert {tuple(v["tickets"]) for v in on_server["results"]} == {(show.ticket_ids[0],)}
    assert {v["max_uses"] for v in on_server["results"]} == {2}
    dialog.reject()

    # the tab shows the batch just made
    qtbot.waitUntil(lambda: tab.model.rowCount() == 500, timeout=WAIT)
    assert tab.findChild(QLineEdit, "voucherBatchFilter").text() == batch
    status = tab.findChild(QLabel, "voucherStatus")
    assert status.text().startswith("Live · ") and "500 vouchers" in status.text()

    # edit one: a refused value is shown in the dialog, then a good one saved
    voucher = on_server["results"][0]
    assert tab.select(voucher["id"])
    _press(qtbot, tab, "voucherEditButton")
    dialog = _dialog(qtbot, tab)
    assert dialog.findChild(QLineEdit, "voucherCode").text() == voucher["code"]
    _set(dialog, "voucherValue", "150")
    _press(qtbot, dialog, "voucherDialogSave")
    message = dialog.findChild(QLabel, "voucherDialogMessage")
    qtbot.waitUntil(lambda: "100" in message.text(), timeout=WAIT)
    assert dialog.isVisible() and message.property("error") is True
    dialog.grab().save("/tmp/vouchers_edit_refused.png")
    _set(dialog, "voucherValue", "15")
    dialog.findChild(QSpinBox, "voucherMaxUses").setValue(3)
    # for that ticket at any event: the event unticked, the ticket stays listed and ticked
    _tick(dialog, "voucherEvents", show.event_id, Qt.CheckState.Unchecked)
    tickets = dialog.findChild(QListWidget, "voucherTickets")
    assert [tickets.item(i).checkState() for i in range(tickets.count())] == [
        Qt.CheckState.Checked,
        Qt.CheckState.Unchecked,
    ]
    _press(qtbot, dialog, "voucherDialogSave")
    qtbot.waitUntil(lambda: tab.dialog is None, timeout=WAIT)
    saved = api.get(f"vouchers/{voucher['id']}/")
    assert (saved["percent"], saved["max_uses"], saved["events"], saved["tickets"]) == (
        "15.00",
        3,
        [],
        [show.ticket_ids[0]],
    )

    # a sale that uses it, then its redemptions in the tab
    seat = api.get(f"events/{show.event_id}/availability/")["seats"][0]["id"]
    booking = api.post(
        "bookings/",
        {
            "event": show.event_id,
            "lines": [{"seat": seat, "ticket": show.ticket_ids[0]}],
            "voucher": voucher["code"].lower(),
        },
    )
    api.post(
        f"bookings/{booking['id']}/payments/",
        {"id": str(uuid.uuid4()), "method": "cash", "amount": booking["total"], "currency": "EUR"},
    )
    tab.findChild(QLineEdit, "voucherCodeFilter").setText(voucher["code"])
    tab.findChild(QLineEdit, "voucherBatchFilter").clear()
    _press(qtbot, tab, "voucherSearchButton")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1 and not tab._fetching, timeout=WAIT)
    tab.table.selectRow(0)
    qtbot.waitUntil(lambda: tab.redemptions_model.rowCount() == 1, timeout=WAIT)
    redemption = tab.redemptions_model.row_at(0)
    assert (redemption.booking_code, redemption.state) == (booking["code"], "paid")
    assert tab.model.row_at(0).uses_text() == "1 of 3"
    qtbot.wait(100)
    window.grab().save("/tmp/vouchers_tab_live.png")

    # offline: the last list, and why editing is off
    proxy.down()
    _press(qtbot, tab, "voucherSearchButton")
    qtbot.waitUntil(lambda: "the list fetched" in status.text(), timeout=WAIT)
    assert status.text().startswith("Offline: the list fetched"), status.text()
    assert "editing is off" in status.text()
    assert tab.model.rowCount() == 1
    for name in ("voucherBulkButton", "voucherNewButton", "voucherEditButton"):
        assert not tab.findChild(QPushButton, name).isEnabled(), name
    assert tab.findChild(QComboBox, "voucherEventFilter").count() >= 2
    qtbot.wait(100)
    window.grab().save("/tmp/vouchers_tab_offline.png")


def test_redemptions_follow_the_list_enter_edits_and_an_empty_list_says_why(
    flow, api, qtbot, tmp_path: Path
):
    show = make_show(api)
    code = f"EYES{uuid.uuid4().hex[:6].upper()}"
    voucher = api.post("vouchers/", {"code": code, "kind": "percent", "percent": "10"})
    seat = api.get(f"events/{show.event_id}/availability/")["seats"][0]["id"]
    booking = api.post(
        "bookings/",
        {
            "event": show.event_id,
            "lines": [{"seat": seat, "ticket": show.ticket_ids[0]}],
            "voucher": code,
        },
    )
    api.post(
        f"bookings/{booking['id']}/payments/",
        {"id": str(uuid.uuid4()), "method": "cash", "amount": booking["total"], "currency": "EUR"},
    )
    tab = manager_tab(qtbot, flow, show, "vouchersTab")
    qtbot.waitUntil(lambda: tab.listing is not None and tab.listing.live, timeout=WAIT)
    code_filter = tab.findChild(QLineEdit, "voucherCodeFilter")
    code_filter.setText(code)
    qtbot.keyClick(code_filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1 and not tab._fetching, timeout=WAIT)
    assert tab.select(voucher["id"])
    title = tab.findChild(QLabel, "voucherRedemptionsTitle")
    qtbot.waitUntil(lambda: tab.redemptions_model.rowCount() == 1, timeout=WAIT)
    shown = [tab.redemptions_model.index(0, c).data() for c in range(5)]
    assert shown[0] == booking["code"] and shown[4] == "Paid"
    assert shown[2].startswith("€")  # money as the counter writes it, not "2.00 EUR"

    # Enter on the selected voucher edits it
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    dialog = _dialog(qtbot, tab)
    assert dialog.objectName() == "voucherDialog"
    assert dialog.findChild(QLineEdit, "voucherCode").text() == code
    dialog.reject()
    qtbot.waitUntil(lambda: tab.dialog is None, timeout=WAIT)

    # a search that drops the voucher drops its redemptions too, and says why nothing shows
    code_filter.setText("no-such-code-at-all")
    qtbot.keyClick(code_filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0 and not tab._fetching, timeout=WAIT)
    assert tab.redemptions_model.rowCount() == 0
    assert title.text() == "Select a voucher to see its redemptions."
    status = tab.findChild(QLabel, "voucherStatus")
    assert "no vouchers match these filters" in status.text()
    assert not tab.findChild(QPushButton, "voucherEditButton").isEnabled()

    # choosing an event searches at once, with the code typed
    before = tab.listing
    events = tab.findChild(QComboBox, "voucherEventFilter")
    code_filter.setText(code)
    events.setFocus()
    qtbot.keyClick(events, Qt.Key.Key_Down)
    assert events.currentData() is not None
    qtbot.waitUntil(lambda: tab.listing is not before and not tab._fetching, timeout=WAIT)
    assert tab.model.rowCount() == 0  # the voucher is for every event, not limited to one
    assert "no vouchers match these filters" in status.text()
