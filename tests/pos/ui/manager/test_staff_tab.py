"""The Staff tab (``staffTab``) driven by objectName against the live server: add a staff
member (``staffAddButton``; the server's refusals in the dialog), change a role,
deactivate and reactivate, reset a password; the rights of a role edited in
``roleRights`` reach the server and come back through the feed; offline the buttons say
why they are off."""

from __future__ import annotations

import uuid

import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QMessageBox, QPushButton
from shiboken6 import isValid
from support.pos_windows import WAIT, log_in
from support.staff_users import new_staff

from enturf_core.staff_rights import Right, StaffRole
from enturf_pos.models import RoleRights
from enturf_pos.ui.manager.staff_tab import StaffTab
from enturf_pos.ui.table_models import RowRole


def staff_tab(qtbot, flow) -> StaffTab:
    log_in(qtbot, flow, "admin")
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    window = flow.manager_window
    window.resize(1366, 768)
    tab = window.findChild(StaffTab, "staffTab")
    bar = window.tabs.tabBar()
    qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(window.tabs.indexOf(tab)).center()
    )
    qtbot.waitUntil(lambda: tab.loaded and tab.online, timeout=WAIT)
    return tab


def member(tab: StaffTab, username: str):
    proxy = tab.table.model()
    rows = [proxy.index(r, 0).data(RowRole) for r in range(proxy.rowCount())]
    return next((m for m in rows if m.username == username), None)


def cell(tab: StaffTab, username: str, column: int) -> str:
    proxy = tab.table.model()
    for r in range(proxy.rowCount()):
        if proxy.index(r, 0).data(RowRole).username == username:
            return proxy.index(r, column).data()
    raise AssertionError(f"{username} not in the staff table")


def open_dialog(qtbot, tab: StaffTab, button: str, name: str) -> QDialog:
    qtbot.mouseClick(tab.findChild(QPushButton, button), Qt.MouseButton.LeftButton)
    (dialog,) = [d for d in tab.findChildren(QDialog, name) if d.isVisible()]
    return dialog


def fill(qtbot, dialog: QDialog, **fields: str) -> None:
    for name, text in fields.items():
        edit = dialog.findChild(QLineEdit, name)
        edit.clear()
        qtbot.keyClicks(edit, text)


def submit_and_wait_refusal(qtbot, dialog: QDialog) -> str:
    ok = dialog.findChild(QPushButton, "staffDialogOk")
    message = dialog.findChild(QLabel, "staffDialogMessage")
    message.clear()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(message.text()) and ok.isEnabled(), timeout=WAIT)
    return message.text()


def submit_and_wait_done(qtbot, dialog: QDialog) -> None:
    qtbot.mouseClick(dialog.findChild(QPushButton, "staffDialogOk"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=WAIT)


def choose_role(dialog: QDialog, role: StaffRole) -> None:
    combo = dialog.findChild(QComboBox, "staffRole")
    combo.setCurrentIndex(combo.findData(role.value))


def editable(grid) -> bool:
    item = grid.item(0, 1)  # the manager's "sell"
    return item is not None and bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)


def can_log_in(server, username: str, password: str) -> bool:
    answer = requests.post(
        f"{server.base_url}/api/v1/auth/login/",
        json={"username": username, "password": password},
        timeout=10,
    )
    return answer.status_code == 200


def test_staff_added_given_a_role_deactivated_and_reset_through_the_tab(
    flow, api, server, qtbot, artifacts
):
    tab = staff_tab(qtbot, flow)
    assert member(tab, "admin") is not None and member(tab, "customer") is None  # staff only
    username = f"anna-{uuid.uuid4().hex[:8]}"

    dialog = open_dialog(qtbot, tab, "staffAddButton", "staffAddDialog")
    fill(qtbot, dialog, staffUsername=username, staffFirstName="Anna", staffLastName="Berg")
    fill(qtbot, dialog, staffPassword="Anna-pass-4821", staffPasswordAgain="Anna-pass-4812")
    assert "two passwords differ" in submit_and_wait_refusal(qtbot, dialog)
    # the server's refusals show in the dialog, which keeps what was typed
    fill(qtbot, dialog, staffUsername="cashier", staffPasswordAgain="Anna-pass-4821")
    refusal = submit_and_wait_refusal(qtbot, dialog)
    assert "cashier" in refusal.lower() or "taken" in refusal.lower(), refusal
    fill(qtbot, dialog, staffUsername=username, staffPassword="short", staffPasswordAgain="short")
    assert submit_and_wait_refusal(qtbot, dialog)  # the server's password rules
    fill(qtbot, dialog, staffPassword="Anna-pass-4821", staffPasswordAgain="Anna-pass-4821")
    submit_and_wait_done(qtbot, dialog)
    qtbot.waitUntil(lambda: member(tab, username) is not None, timeout=WAIT)
    assert cell(tab, username, 0) == "Anna Berg" and cell(tab, username, 2) == "Cashier"
    assert can_log_in(server, username, "Anna-pass-4821")

    # change role
    assert tab.select(username)
    dialog = open_dialog(qtbot, tab, "staffRoleButton", "staffRoleDialog")
    choose_role(dialog, StaffRole.DOOR_SUPERVISOR)
    submit_and_wait_done(qtbot, dialog)
    qtbot.waitUntil(lambda: cell(tab, username, 2) == "Door supervisor", timeout=WAIT)
    server_user = next(u for u in api.get(f"users/?search={username}")["results"])
    assert server_user["role"] == "door_supervisor"

    # deactivate (confirmed), then reactivate
    assert tab.select(username)
    qtbot.mouseClick(tab.active_button, Qt.MouseButton.LeftButton)
    confirm = tab.findChild(QMessageBox, "staffDeactivateConfirm")
    qtbot.mouseClick(
        confirm.findChild(QPushButton, "staffDeactivateConfirmButton"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: cell(tab, username, 3) == "No", timeout=WAIT)
    assert not can_log_in(server, username, "Anna-pass-4821")
    assert tab.select(username) and tab.active_button.text() == "Reactivate"
    tab.window().grab().save(str(artifacts / "staff-tab-1366x768.png"))
    qtbot.mouseClick(tab.active_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(tab, username, 3) == "Yes", timeout=WAIT)

    # reset the password
    assert tab.select(username)
    dialog = open_dialog(qtbot, tab, "staffPasswordButton", "staffPasswordDialog")
    fill(qtbot, dialog, staffPassword="Anna-new-9731", staffPasswordAgain="Anna-new-9731")
    submit_and_wait_done(qtbot, dialog)
    qtbot.waitUntil(lambda: "password is reset" in flow.manager_window.message.text(), timeout=WAIT)
    assert can_log_in(server, username, "Anna-new-9731")
    assert not can_log_in(server, username, "Anna-pass-4821")

    # the administrator cannot deactivate themselves: the server says so
    assert tab.select("admin")
    qtbot.mouseClick(tab.active_button, Qt.MouseButton.LeftButton)
    confirm = [m for m in tab.findChildren(QMessageBox, "staffDeactivateConfirm") if m.isVisible()]
    qtbot.mouseClick(
        confirm[0].findChild(QPushButton, "staffDeactivateConfirmButton"), Qt.MouseButton.LeftButton
    )
    message = flow.manager_window.message
    qtbot.waitUntil(lambda: message.isVisible() and message.property("error"), timeout=WAIT)
    assert cell(tab, "admin", 3) == "Yes"


def test_rights_edited_in_the_grid_reach_the_server_and_come_back_in_the_feed(
    flow, api, server, qtbot, artifacts
):
    tab = staff_tab(qtbot, flow)
    grid = tab.grid
    assert grid.objectName() == "roleRights"
    bar = tab.pages.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert grid.isVisible()
    save = tab.findChild(QPushButton, "roleRightsSave")
    # the grid is editable once the server's grants are in
    qtbot.waitUntil(lambda: editable(grid), timeout=WAIT)
    # the administrator's column is locked
    assert not grid.item(0, 0).flags() & Qt.ItemFlag.ItemIsEnabled
    grid.item(3, 0).setCheckState(Qt.CheckState.Unchecked)  # even if forced: not sent
    assert grid.dirty_roles() == []
    before = api.get("roles/door_steward/")
    try:
        assert not save.isEnabled()
        grid.set_right(StaffRole.DOOR_STEWARD, Right.VIEW_REPORTS, True)
        grid.set_limit(StaffRole.DOOR_STEWARD, "12,50")
        assert save.isEnabled() and grid.dirty_roles() == [StaffRole.DOOR_STEWARD]
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: "view_reports" in api.get("roles/door_steward/")["rights"], timeout=WAIT
        )
        after = api.get("roles/door_steward/")
        assert after["refund_limit_cents"] == 1250 and after["version"] > before["version"]
        qtbot.waitUntil(lambda: grid.dirty_roles() == [], timeout=WAIT)  # shown as saved
        tab.window().grab().save(str(artifacts / "staff-tab-rights-1366x768.png"))
        # a bad limit says what to fix, nothing is sent
        qtbot.waitUntil(lambda: grid.dirty_roles() == [], timeout=WAIT)  # shown as saved
        grid.set_limit(StaffRole.DOOR_STEWARD, "lots")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        assert "not an amount" in tab.grid_status.text()
        assert api.get("roles/door_steward/")["version"] == after["version"]

        # someone else changes it on the server: the feed brings it to this counter
        api.call(
            "PUT",
            "roles/door_steward/",
            {"rights": ["door_scan", "view_audit"], "refund_limit_cents": None},
        )
        version = api.get("roles/door_steward/")["version"]
        flow.sync.sync_now()

        def arrived() -> bool:
            with flow.ctx.db.transaction() as s:
                row = s.get(RoleRights, "door_steward")
                return row is not None and row.version == version

        qtbot.waitUntil(arrived, timeout=WAIT)
        with flow.ctx.db.transaction() as s:
            assert sorted(s.get(RoleRights, "door_steward").rights) == ["door_scan", "view_audit"]
        grid.set_limit(StaffRole.DOOR_STEWARD, "12.50")  # as saved: unsaved edits survive a reload
        assert grid.dirty_roles() == []
        tab.refresh()
        qtbot.waitUntil(
            lambda: (
                grid.grant_in_column(StaffRole.DOOR_STEWARD)[0]
                == {Right.DOOR_SCAN, Right.VIEW_AUDIT}
            ),
            timeout=WAIT,
        )
    finally:
        api.call(
            "PUT",
            "roles/door_steward/",
            {"rights": before["rights"], "refund_limit_cents": before["refund_limit_cents"]},
        )


def test_offline_the_tab_lists_this_counters_staff_and_says_why_it_cannot_change(
    flow, server, proxy, qtbot
):
    steward = new_staff(server, "door_steward")
    tab = staff_tab(qtbot, flow)
    assert member(tab, steward) is not None
    proxy.down()
    tab.refresh()
    qtbot.waitUntil(lambda: not tab.online, timeout=WAIT)
    for name in ("staffAddButton", "staffRoleButton", "staffActiveButton", "staffPasswordButton"):
        button = tab.findChild(QPushButton, name)
        assert not button.isEnabled() and "needs the server" in button.toolTip(), name
    assert "Offline" in tab.status.text()
    assert member(tab, "admin") is not None  # this counter's users, with its last login
    assert cell(tab, "admin", 4) != ""
    qtbot.waitUntil(lambda: not editable(tab.grid), timeout=WAIT)  # read-only offline
    assert not tab.findChild(QPushButton, "roleRightsSave").isEnabled()
