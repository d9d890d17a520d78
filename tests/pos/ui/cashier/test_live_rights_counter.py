"""A role's grant changed on the server (`PUT /roles/{role}/`) reaches a signed-in cashier
with the next sync: the counter's gated actions show, hide, enable and explain
themselves at once (by objectName), the user's refund limit follows, and a dialog that
was open when a right went refuses to submit with why. A user deactivated on the server
is sent back to the login window at their next sync."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMessageBox, QPushButton
from support.booking_lookup import find, online_booking, open_lookup
from support.cashier_window import open_counter_window
from support.live_grants import role_grants, sync_until
from support.pos_windows import WAIT, log_in
from support.staff_users import PASSWORD, new_staff

from enturf_core.staff_rights import Right


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


def action(window, name: str) -> QAction:
    (found,) = [a for a in window.findChildren(QAction) if a.objectName() == name]
    return found


def test_a_grant_changed_on_the_server_changes_the_counter_at_once(flow, show, api, qtbot):
    buyer = unique("Live Rights")
    booking = online_booking(api, show, show["seats"][4], name=buyer, email="l@example.org")
    window = open_counter_window(qtbot, flow, show)
    qtbot.waitUntil(lambda: flow.sync.last_sync is not None and not window.offline, timeout=WAIT)
    cash_out = window.findChild(QPushButton, "cashOutButton")
    voucher = window.findChild(QLineEdit, "voucherCode")
    assert cash_out.isHidden() and voucher.isEnabled()  # the cashier's defaults
    assert not action(window, "openManagerAction").isVisible()
    assert flow.user.grant.refund_limit_cents == 10000  # the site's employee_refund_limit

    lookup = open_lookup(qtbot, window)
    find(qtbot, lookup, buyer.split()[-1], uuid.UUID(booking["id"]))
    refund = lookup.findChild(QPushButton, "refundButton")
    assert not refund.isHidden() and refund.isEnabled()
    qtbot.mouseClick(refund, Qt.MouseButton.LeftButton)  # "Refund …?" waits for a yes
    confirm = lookup.findChild(QMessageBox, "refundConfirm")
    assert confirm is not None and confirm.isVisible()

    with role_grants(api) as grants:
        grants.change("employee", add=("cash_out",), refund_limit_cents=5000)
        sync_until(qtbot, flow, lambda: not cash_out.isHidden())
        assert flow.user.grant.refund_limit_cents == 5000
        assert window.printing.may_open_drawer  # on their own password
        qtbot.mouseClick(cash_out, Qt.MouseButton.LeftButton)
        (movement,) = [d for d in window.findChildren(QDialog, "cashMovementDialog")]
        assert movement.isVisible()

        grants.change(
            "employee", add=("view_reports",), remove=("discount", "refund", "cash_out", "sell")
        )
        sync_until(qtbot, flow, lambda: cash_out.isHidden())
        # discount: off, saying who may
        assert not voucher.isEnabled() and "may give discounts" in voucher.toolTip()
        assert not action(window, "voucherAction").isEnabled()
        # a manager tab's right: Back office shows
        assert action(window, "openManagerAction").isVisible()
        # cash out: the drawer asks someone else's approval; the open dialog refuses
        assert not window.printing.may_open_drawer
        assert "Box-office manager approves" in action(window, "openDrawerAction").toolTip()
        movement.findChild(QLineEdit, "movementAmountEdit").setText("5")
        movement.findChild(QLineEdit, "movementReasonEdit").setText("to the safe")
        qtbot.mouseClick(
            movement.findChild(QPushButton, "confirmMovementButton"), Qt.MouseButton.LeftButton
        )
        said = movement.findChild(QLabel, "movementMessage").text()
        assert "Your role may not take cash out" in said and movement.isVisible()
        # refund: the button went, the confirmation left open refuses, nothing is refunded
        assert refund.isHidden()
        qtbot.mouseClick(
            confirm.findChild(QPushButton, "refundConfirmButton"), Qt.MouseButton.LeftButton
        )
        assert "Your role may not refund" in lookup.message.text()
        assert api.get(f"bookings/{booking['id']}/")["state"] == "paid"
        assert flow.user.grant.refund_limit_cents == 0
        # sell: the window says so at once
        assert "may not sell at the counter" in window.message.text()
        movement.reject()
        lookup.close()

        grants.restore()
        sync_until(qtbot, flow, lambda: voucher.isEnabled())
        assert not action(window, "openManagerAction").isVisible()
        assert cash_out.isHidden() and flow.user.can(Right.REFUND)
        assert flow.user.grant.refund_limit_cents == 10000


def test_a_user_deactivated_on_the_server_is_sent_back_to_login(flow, api, server, qtbot):
    username = new_staff(server, "employee")
    log_in(qtbot, flow, username, PASSWORD)
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: flow.sync.last_sync is not None, timeout=WAIT)
    (member,) = api.get(f"users/?search={username}")["results"]
    api.post(f"users/{member['id']}/deactivate/", {})
    flow.sync.sync_now()  # its token is gone (401), and its login is refused
    qtbot.waitUntil(lambda: flow.login_window is not None, timeout=WAIT)
    assert flow.user is None and flow.cashier_window is None
    notice = flow.login_window.findChild(QLabel, "loginNotice")
    assert "deactivated" in notice.text() and "logged out" in notice.text()
    assert flow.login_window.isVisible()


def test_the_door_window_of_a_counter_follows_the_door_override_right(flow, api, qtbot):
    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: flow.sync.last_sync is not None, timeout=WAIT)
    action(flow.cashier_window, "openDoorAction").trigger()
    qtbot.waitUntil(lambda: flow.door_window is not None, timeout=WAIT)
    door = flow.door_window
    override = door.findChild(QPushButton, "overrideButton")
    assert not override.isVisibleTo(door)  # a cashier does not let refused tickets in
    with role_grants(api) as grants:
        grants.change("employee", add=("door_override",))
        sync_until(qtbot, flow, lambda: override.isVisibleTo(door))
        grants.restore()
        sync_until(qtbot, flow, lambda: not override.isVisibleTo(door))
