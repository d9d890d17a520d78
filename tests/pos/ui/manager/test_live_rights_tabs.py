"""A role's grant changed on the server (`PUT /roles/{role}/`) reaches a signed-in
manager with the next sync: the manager window's tabs follow at once (by objectName),
the tab on screen gives way to an allowed one saying why, and a dialog of a tab that
closed does not stay open to save a change the server would refuse."""

from __future__ import annotations

from shiboken6 import isValid
from support.live_grants import role_grants, sync_until
from support.manager_window import open_dialog
from support.pos_windows import WAIT, log_in
from support.staff_users import PASSWORD, new_staff

from enturf_core.staff_rights import Right

MANAGER_TABS = ["eventsTab", "seatMapsTab", "eventMapTab", "doorTab", "reportsTab"]
MANAGER_TABS += ["vouchersTab", "auditTab"]


def test_a_grant_changed_on_the_server_shows_and_hides_tabs_at_once(flow, api, server, qtbot):
    log_in(qtbot, flow, new_staff(server, "manager"), PASSWORD)
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: flow.sync.last_sync is not None, timeout=WAIT)
    window = flow.manager_window
    assert window.visible_tabs() == MANAGER_TABS
    dialog = open_dialog(qtbot, window, "eventCreateButton")  # New event… on the Events tab
    assert window.tabs.currentWidget().objectName() == "eventsTab"

    with role_grants(api) as grants:
        grants.change("manager", remove=("edit_events",), add=("manage_staff",))
        sync_until(qtbot, flow, lambda: "eventsTab" not in window.visible_tabs())
        assert window.visible_tabs() == [
            "seatMapsTab",
            "reportsTab",
            "vouchersTab",
            "staffTab",
            "auditTab",
        ]
        assert not flow.user.can(Right.EDIT_EVENTS) and flow.user.can(Right.MANAGE_STAFF)
        # the tab on screen was one of them: an allowed one shows, and the window says why
        assert window.tabs.currentWidget().objectName() == "seatMapsTab"
        assert window.tabs.isTabVisible(window.tabs.currentIndex())
        message = window.message.text()
        assert "rights changed" in message and "Events" in message, message
        assert "Showing Seat maps" in message, message
        # the New event dialog is gone, its event unsaved
        assert not isValid(dialog) or not dialog.isVisible()
        assert window.events_tab.dialog is None

        grants.restore()  # given back: the tabs come back with the next sync
        sync_until(qtbot, flow, lambda: window.visible_tabs() == MANAGER_TABS)
        assert flow.user.can(Right.EDIT_EVENTS) and not flow.user.can(Right.MANAGE_STAFF)


def test_losing_every_tab_says_so_and_the_counter_stays_reachable(flow, api, server, qtbot):
    log_in(qtbot, flow, new_staff(server, "manager"), PASSWORD)
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: flow.sync.last_sync is not None, timeout=WAIT)
    window = flow.manager_window
    tab_rights = ("edit_events", "edit_seat_maps", "view_reports", "manage_vouchers")
    with role_grants(api) as grants:
        grants.change("manager", remove=(*tab_rights, "view_audit", "sell"))
        sync_until(qtbot, flow, lambda: window.visible_tabs() == [])
        assert "no back-office tab left" in window.message.text()
        assert not window.open_cashier_action.isEnabled()
        assert "may not sell" in window.open_cashier_action.toolTip()
        grants.change("manager", add=("sell",))
        sync_until(qtbot, flow, window.open_cashier_action.isEnabled)
        assert window.open_cashier_action.toolTip().startswith("Open the cashier's counter")
