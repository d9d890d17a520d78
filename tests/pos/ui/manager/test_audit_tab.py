"""The manager's Audit tab against a live server: entries filtered by action and object,
exported as CSV and XLSX (read back), and offline the last page with its time."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit, QPushButton, QTableView, QWidget
from support.manager_window import manager_tab
from support.pos_windows import WAIT
from support.staff_users import new_staff
from support.sync_support import make_show

from enturf_pos.ui.table_models import RawRole

TOOLTIP = Qt.ItemDataRole.ToolTipRole


def _press(qtbot, parent: QWidget, name: str) -> None:
    button = parent.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type(tab: QWidget, name: str, text: str) -> None:
    edit = tab.findChild(QLineEdit, name)
    edit.setText(text)


def _shown(table: QTableView) -> list[tuple[str, ...]]:
    model = table.model()
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def test_the_trail_filtered_exported_and_kept_offline(
    flow, api, proxy, qtbot, tmp_path: Path, monkeypatch
):
    show = make_show(api)
    seats = [s["id"] for s in api.get(f"events/{show.event_id}/availability/")["seats"][:2]]
    api.post(f"events/{show.event_id}/blocks/", {"seats": seats, "reason": "camera"})
    tab = manager_tab(qtbot, flow, show, "auditTab")
    window = flow.manager_window
    qtbot.waitUntil(lambda: tab.page is not None and tab.page.live, timeout=WAIT)

    _type(tab, "auditActionFilter", "seat.")
    _type(tab, "auditObjectTypeFilter", "catalog.event")
    _type(tab, "auditObjectIdFilter", str(show.event_id))
    _press(qtbot, tab, "auditSearchButton")
    table = tab.findChild(QTableView, "auditTable")
    qtbot.waitUntil(lambda: len(_shown(table)) == 1 and not tab._fetching, timeout=WAIT)
    [(when, who, _counter, action, obj, details)] = _shown(table)
    # in words; the server's codes and JSON in the tooltips (and the exports, below)
    # the event by the name this counter knows it by
    assert (who, action) == ("admin", "Seats blocked") and obj.startswith("Event Show ")
    assert details == "2 seats · “camera”" and when
    first = table.model().index(0, 3)
    assert first.data(RawRole) == "seat.block" and "seat.block" in first.data(TOOLTIP)
    assert f"catalog.event:{show.event_id}" in table.model().index(0, 4).data(TOOLTIP)
    assert '"reason": "camera"' in table.model().index(0, 5).data(TOOLTIP)
    status = tab.findChild(QLabel, "auditStatus")
    assert status.text().startswith("Live · ") and "1 entry ·" in status.text()
    qtbot.wait(100)
    window.grab().save("/tmp/audit_tab_live.png")

    for kind in ("csv", "xlsx"):
        target = tmp_path / f"audit.{kind}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, t=target, **k: (str(t), ""))
        _press(qtbot, tab, f"auditExport{kind.title()}Button")
        qtbot.waitUntil(lambda t=target: tab.exported == t, timeout=WAIT)
    with (tmp_path / "audit.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["Who"], r["Action"], r["Object"]) for r in rows] == [
        ("admin", "seat.block", f"catalog.event:{show.event_id}")
    ]
    assert '"camera"' in rows[0]["Details"]
    sheet = load_workbook(tmp_path / "audit.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Time", "Who", "Counter", "Action", "Object", "Details", "Id")
    assert [(v[1], v[3], v[4]) for v in values[1:]] == [
        ("admin", "seat.block", f"catalog.event:{show.event_id}")
    ]
    assert values[1][0] is not None and int(values[1][6]) == int(rows[0]["Id"])

    # offline: the last page, with its time, and it says so
    proxy.down()
    _type(tab, "auditActionFilter", "refund")
    _press(qtbot, tab, "auditSearchButton")
    qtbot.waitUntil(lambda: status.text().startswith("Offline: the last page"), timeout=WAIT)
    assert [r[3] for r in _shown(table)] == ["Seats blocked"]
    assert not tab.findChild(QPushButton, "auditNextButton").isEnabled()
    qtbot.wait(100)
    window.grab().save("/tmp/audit_tab_offline.png")


def test_a_role_change_and_a_voucher_read_in_words_found_by_keyboard_and_none_explained(
    flow, api, server, qtbot
):
    show = make_show(api)
    username = new_staff(server, "employee", first_name="Anna")
    user = next(u for u in api.get(f"users/?search={username}")["results"])
    api.patch(f"users/{user['id']}/", {"role": "door_supervisor"})
    code = f"EYES-{uuid.uuid4().hex[:6].upper()}"
    api.post("vouchers/", {"code": code, "kind": "fixed", "amount": "7.50", "currency": "EUR"})
    tab = manager_tab(qtbot, flow, show, "auditTab")
    qtbot.waitUntil(lambda: tab.page is not None and tab.page.live, timeout=WAIT)
    table = tab.findChild(QTableView, "auditTable")

    # Ctrl+F goes to the filters; Enter in one searches
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    who = tab.findChild(QLineEdit, "auditWhoFilter")
    assert who.hasFocus()
    action = tab.findChild(QLineEdit, "auditActionFilter")
    action.setText("staff.role")
    object_id = tab.findChild(QLineEdit, "auditObjectIdFilter")
    object_id.setText(str(user["id"]))
    qtbot.keyClick(object_id, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(_shown(table)) == 1 and not tab._fetching, timeout=WAIT)
    [(_when, _who, _counter, words, obj, details)] = _shown(table)
    assert (words, details) == ("Role changed", "Cashier → Door supervisor")
    assert obj == "User Anna Employee"  # the staff member this counter synced, by name
    # the keyboard selects it; the whole entry shows below the table
    entry = tab.findChild(QLabel, "auditEntry")
    assert not entry.isVisible()
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Home)
    assert entry.isVisible()
    assert "admin · Role changed · User Anna Employee: Cashier → Door supervisor" in entry.text()

    action.setText("voucher.create")
    object_id.clear()
    qtbot.keyClick(action, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: not tab._fetching and any(r[4] == f"Voucher {code}" for r in _shown(table)),
        timeout=WAIT,
    )

    # nothing matches: the status says so, not an empty table alone
    action.setText("no-such-action")
    qtbot.keyClick(action, Qt.Key.Key_Return)
    status = tab.findChild(QLabel, "auditStatus")
    qtbot.waitUntil(lambda: "no entries match these filters" in status.text(), timeout=WAIT)
    assert _shown(table) == []
