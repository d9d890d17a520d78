"""The manager's Door tab against a live server: a check-in list made through the dialog
(two gates, exits scanned), figures that change after scans, a device put on door duty,
and offline the last figures with their time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QTableWidget
from support.door_back_office import fill_list_dialog, open_door_tab, paid_codes, press, scan
from support.manager_window import open_manager
from support.pos_windows import WAIT
from support.sync_support import make_show

from enturf_pos.models import Device
from enturf_pos.services.door import door_service
from enturf_pos.services.sync import sync_engine


def this_device(ctx) -> int:
    with ctx.db.transaction() as s:
        return int(s.get(Device, 1).device_id)


def list_named(tab, name: str):
    return next((x for x in tab.lists if x.name == name), None)


def test_a_list_with_two_gates_its_figures_after_scans_door_duty_and_offline(
    flow, api, proxy, qtbot
):
    show = make_show(api)
    codes = paid_codes(api, show, 3)
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    window.resize(1366, 768)
    tab = open_door_tab(qtbot, window)
    qtbot.waitUntil(lambda: tab.lists_online, timeout=WAIT)

    press(qtbot, tab, "newCheckinListButton")
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT)
    dialog = tab.dialog
    fill_list_dialog(qtbot, dialog, name="Stage door", gates="North, South", exits=True)
    qtbot.wait(50)
    dialog.grab().save("/tmp/chkback_list_dialog.png")
    press(qtbot, dialog, "checkinListDialogSave")
    qtbot.waitUntil(lambda: list_named(tab, "Stage door") is not None, timeout=WAIT)
    assert window.message.text() == "Check-in list “Stage door” created."
    made = list_named(tab, "Stage door")
    assert (made.gates, made.exits, made.reentry, made.tickets) == (
        ("North", "South"),
        True,
        False,
        (),
    )
    table = window.findChild(QTableWidget, "checkinListsTable")
    shown = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert shown["Stage door"] == "North, South"

    scan(api, codes[0], made.id, "North")
    scan(api, codes[1], made.id, "North")
    scan(api, codes[2], made.id, "South")
    scan(api, codes[2], made.id, "South", kind="exit")
    press(qtbot, tab, "refreshDoorFiguresButton")
    qtbot.waitUntil(
        lambda: (
            tab.figure("Stage door", "North") == (2, 0, 2, 0)
            and tab.figure("Stage door", "South") == (1, 1, 0, 0)
        ),
        timeout=WAIT,
    )
    assert tab.figure(None, "All entrances")[:3] == (3, 1, 2)
    time_label = window.findChild(QLabel, "doorFiguresTime")
    assert time_label.text().startswith("Live · ")
    qtbot.wait(100)
    window.grab().save("/tmp/chkback_door_figures.png")

    # edited: re-entry allowed; not deleted, as scans were made on it
    table.selectRow(
        next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Stage door")
    )
    press(qtbot, tab, "editCheckinListButton")
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT)
    dialog = tab.dialog
    assert dialog.findChild(QLineEdit, "checkinListGates").text() == "North, South"
    dialog.findChild(QCheckBox, "checkinListReentry").click()
    press(qtbot, dialog, "checkinListDialogSave")
    qtbot.waitUntil(lambda: list_named(tab, "Stage door").reentry, timeout=WAIT)
    assert window.message.text() == "Check-in list “Stage door” saved."
    press(qtbot, tab, "deleteCheckinListButton")
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT)
    press(qtbot, tab.dialog, "checkinListDeleteConfirmButton")
    qtbot.waitUntil(lambda: "did not delete" in window.message.text(), timeout=WAIT)
    assert "Scans were recorded" in window.message.text()
    assert window.message.property("error") is True

    # this counter goes on door duty
    device = this_device(flow.ctx)
    combo = window.findChild(QComboBox, f"deviceDuty{device}")
    assert combo.currentData() == "counter"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # keyboard choice: `activated`
    qtbot.waitUntil(lambda: "door duty" in window.message.text(), timeout=WAIT)
    assert window.message.property("error") is False
    assert api.get(f"devices/{device}/")["duty"] == "door"

    # offline: the last figures, with their time
    proxy.down()
    press(qtbot, tab, "refreshDoorFiguresButton")
    qtbot.waitUntil(lambda: time_label.text().startswith("Offline: the last figures"), timeout=WAIT)
    assert tab.figure("Stage door", "North") == (2, 0, 2, 0)
    notice = window.findChild(QLabel, "doorListsNotice")
    qtbot.waitUntil(lambda: "needs the server" in notice.text(), timeout=WAIT)
    press(qtbot, tab, "newCheckinListButton")
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible(), timeout=WAIT)
    fill_list_dialog(qtbot, tab.dialog, name="Late", gates="East", exits=False)
    press(qtbot, tab.dialog, "checkinListDialogSave")
    message = tab.dialog.findChild(QLabel, "checkinListDialogMessage")
    qtbot.waitUntil(lambda: "connect to it" in message.text(), timeout=WAIT)
    tab.dialog.reject()
    qtbot.wait(100)
    window.grab().save("/tmp/chkback_door_offline.png")


def test_double_entries_flagged_by_the_server_are_listed(flow, api, new_counter, qtbot):
    show = make_show(api)
    (code,) = paid_codes(api, show, 1)
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    window.resize(1366, 768)
    tab = open_door_tab(qtbot, window)
    qtbot.waitUntil(lambda: list_named(tab, "All tickets") is not None, timeout=WAIT)
    everyone = list_named(tab, "All tickets")
    east, west = new_counter("East door"), new_counter("West door")
    for door, gate in ((east, "East"), (west, "West")):
        assert sync_engine.run_sync(ctx=door).ok
        door_service.scan(ctx=door, code=code, list_id=everyone.id, gate=gate, online=False)
    for door in (east, west):
        assert sync_engine.run_sync(ctx=door).ok

    flow.sync.sync_now()  # the manager's counter learns the flagged scan
    doubles = window.findChild(QTableWidget, "doorDoubleEntries")
    qtbot.waitUntil(lambda: doubles.rowCount() == 1, timeout=WAIT)
    assert doubles.item(0, 0).text().startswith("Price 1 · ")
    assert doubles.item(0, 1).text().startswith("East · East door · ")
    assert doubles.item(0, 2).text().startswith("West · West door · ")
    qtbot.waitUntil(lambda: tab.figure(None, "All entrances") == (2, 0, 2, 1), timeout=WAIT)
    qtbot.wait(100)
    window.grab().save("/tmp/chkback_door_doubles.png")
