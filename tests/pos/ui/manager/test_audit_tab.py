"""The manager's Audit tab against a live server: entries filtered by action and object,
exported as CSV and XLSX (read back), and offline the last page with its time."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QLineEdit, QPushButton, QTableView, QWidget
from support.manager_window import open_manager
from support.pos_windows import WAIT
from support.sync_support import make_show


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
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    window.resize(1366, 768)
    tab = window.findChild(QWidget, "auditTab")
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.page is not None and tab.page.live, timeout=WAIT)

    _type(tab, "auditActionFilter", "seat.")
    _type(tab, "auditObjectTypeFilter", "catalog.event")
    _type(tab, "auditObjectIdFilter", str(show.event_id))
    _press(qtbot, tab, "auditSearchButton")
    table = tab.findChild(QTableView, "auditTable")
    qtbot.waitUntil(lambda: len(_shown(table)) == 1 and not tab._fetching, timeout=WAIT)
    [(when, who, _counter, action, obj, details)] = _shown(table)
    assert (who, action, obj) == ("admin", "seat.block", f"catalog.event:{show.event_id}")
    assert "camera" in details and when
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
    assert [r[3] for r in _shown(table)] == ["seat.block"]
    assert not tab.findChild(QPushButton, "auditNextButton").isEnabled()
    qtbot.wait(100)
    window.grab().save("/tmp/audit_tab_offline.png")
