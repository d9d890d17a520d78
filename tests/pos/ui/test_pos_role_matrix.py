"""The POS side of the role matrix: for each staff role, which window opens after login,
which manager tabs it shows, and which counter actions it offers (issue 16; the server
side of the matrix is tested with the server). Against the live server, through the
login window, with the grants the server seeds (`DEFAULT_GRANTS`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QPushButton
from support.door_live import set_door_duty
from support.pos_windows import WAIT, close, log_in, make_flow
from support.staff_users import PASSWORD, new_staff

from enturf_core.staff_rights import DEFAULT_GRANTS, ROLE_LABELS, Right, StaffRole
from enturf_pos.ui.main_window_base import MainWindowBase
from enturf_pos.ui.manager.tab_rights import TAB_RIGHTS
from enturf_pos.ui.window_flow import WindowFlow

ALL_TABS = [
    "eventsTab",
    "seatMapsTab",
    "eventMapTab",
    "doorTab",
    "reportsTab",
    "vouchersTab",
    "staffTab",
    "auditTab",
]

# role: (window after login, manager tabs shown)
MATRIX = {
    StaffRole.ADMIN: ("manager", ALL_TABS),
    StaffRole.MANAGER: ("manager", [t for t in ALL_TABS if t != "staffTab"]),
    StaffRole.CASHIER: ("cashier", []),
    StaffRole.DOOR_STEWARD: ("door", []),
    StaffRole.DOOR_SUPERVISOR: ("door", []),
}


@pytest.fixture
def flow(registered, qtbot) -> Iterator[WindowFlow]:
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)


def first_window(flow: WindowFlow) -> str:
    shown = {
        "manager": flow.manager_window,
        "cashier": flow.cashier_window,
        "door": flow.door_window,
    }
    (name,) = [name for name, window in shown.items() if window is not None and window.isVisible()]
    return name


def in_toolbar(window: MainWindowBase, name: str) -> bool:
    return any(a.objectName() == name and a.isVisible() for a in window.toolbar.actions())


def test_the_matrix_covers_every_role_and_each_tab_right():
    assert set(MATRIX) == set(StaffRole)
    for role, (_window, tabs) in MATRIX.items():
        grant = DEFAULT_GRANTS[role]
        expected = [t for t in ALL_TABS if TAB_RIGHTS[t] in grant.rights] if tabs else []
        assert tabs == expected, role


@pytest.mark.parametrize("role", list(StaffRole), ids=lambda r: r.value)
def test_each_role_opens_its_window_with_what_it_may_do(role, flow, server, qtbot):
    username = new_staff(server, role.value)
    log_in(qtbot, flow, username, PASSWORD)
    qtbot.waitUntil(lambda: flow.user is not None and bool(flow.main_windows), timeout=WAIT)
    user = flow.user
    grant = DEFAULT_GRANTS[role]
    assert {r for r in Right if user.can(r)} == set(grant.rights)  # the server's grant
    window_name, tabs = MATRIX[role]
    assert first_window(flow) == window_name

    if window_name == "manager":
        window = flow.manager_window
        assert window.visible_tabs() == tabs
        assert window.open_cashier_action.isEnabled() == (Right.SELL in grant.rights)
        assert not in_toolbar(window, "openManagerAction")  # it is the manager window
        window.open_cashier_action.trigger()
        qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    if Right.SELL in grant.rights:
        cashier = flow.cashier_window
        assert cashier is not None
        cart = cashier.cart_panel
        assert cart.voucher.isEnabled() == (Right.DISCOUNT in grant.rights)
        assert cashier.voucher_action.isEnabled() == (Right.DISCOUNT in grant.rights)
        # cash out: a pay-out button only for who may; the drawer asks an approval
        assert (not cashier.shift_panel.cash_out_button.isHidden()) == (
            Right.CASH_OUT in grant.rights
        )
        if Right.OVERRIDE_PRICE not in grant.rights:
            assert "Administrator or Box-office manager approves" in cart.price_button.toolTip()
        assert in_toolbar(cashier, "openManagerAction") == bool(tabs)
        cashier.open_booking_lookup()
        refund = cashier.lookup.findChild(QPushButton, "refundButton")
        assert (not refund.isHidden()) == (Right.REFUND in grant.rights)
        cashier.lookup.close()
    if window_name == "door":
        door = flow.door_window
        assert door.override_button.isVisibleTo(door) == (Right.DOOR_OVERRIDE in grant.rights)
        assert not in_toolbar(door, "openManagerAction")
        assert flow.cashier_window is None and flow.manager_window is None
    label = flow.main_windows[0].user_label.text()
    assert label.endswith(f"({ROLE_LABELS[role]})"), label  # the role's label, not its value


def test_on_a_door_device_an_admin_can_still_reach_the_manager_window(flow, api, registered, qtbot):
    set_door_duty(api, registered)
    log_in(qtbot, flow, "admin")
    qtbot.waitUntil(lambda: flow.door_window is not None, timeout=WAIT)
    door = flow.door_window
    assert in_toolbar(door, "openManagerAction")
    door.manager_action.trigger()
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    assert flow.manager_window.isVisible()
    assert "staffTab" in flow.manager_window.visible_tabs()
