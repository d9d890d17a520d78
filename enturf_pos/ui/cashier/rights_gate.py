"""What the cashier window offers by the user's rights (`CurrentUser.can`): one place
that hides, disables or explains the counter's actions a role may not take.

* `discount`: the voucher field and Ctrl+D are off, saying who may.
* `override_price`: the Price… button stays: someone who may approves in place (their
  username is filled in when the user may themselves).
* `cash_out`: the shift's Cash out is hidden; Open drawer asks an approval of someone who
  may; the printer settings' drawer test (``openDrawerButton``) is off.
* `refund`: the booking lookup has no Refund button; a refund above the role's limit asks
  the approval of someone whose limit covers it (`booking_refund`).
* `close_with_difference`: a Z close whose count differs needs someone who may approve.

The window applies it at its start and again when sync changes the user's grant
(`CashierWindow.apply_rights`): everything here goes both ways. A refund or a cash out
(or a payment, without `sell`) asked for after the right was taken away is refused
with `refusal`'s words, also from a dialog that was open when it changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from enturf_core.staff_rights import Right
from enturf_pos.services.session import role_grants
from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.services.session.pos_context import PosContext

if TYPE_CHECKING:
    from enturf_pos.ui.cashier.booking_lookup import BookingLookupDialog
    from enturf_pos.ui.cashier.window import CashierWindow


def who_may(ctx: PosContext, right: Right) -> str:
    return role_grants.who_may(role_grants.all_grants(ctx=ctx), right)


OWN_TIP = "ownToolTip"  # a widget's tooltip for a user who may (kept while it explains)


def _tip(widget: QWidget | QAction, allowed: bool, refusal: str) -> None:
    """Its own tooltip when the user may, else `refusal` (both ways: rights change live)."""
    own = widget.property(OWN_TIP)
    if own is None:
        own = widget.toolTip()
        widget.setProperty(OWN_TIP, own)
    widget.setToolTip(own if allowed else refusal)


def _gate(widget: QWidget | QAction, allowed: bool, refusal: str) -> None:
    widget.setEnabled(allowed)
    _tip(widget, allowed, refusal)


def refusal(ctx: PosContext, user: CurrentUser, right: Right, doing: str) -> str:
    """Why the user may not do `right` ("" when they may): "Your role may not refund:
    only Administrator or Box-office manager may."."""
    if user.can(right):
        return ""
    return f"Your role may not {doing}: only {who_may(ctx, right)} may."


def apply_to_window(window: CashierWindow, ctx: PosContext, user: CurrentUser) -> None:
    """At the window's start and again whenever the user's grant changes."""
    cart = window.cart_panel
    may_discount = user.can(Right.DISCOUNT)
    tip = f"Only {who_may(ctx, Right.DISCOUNT)} may give discounts and vouchers."
    for widget in (cart.voucher, cart.voucher_button, window.voucher_action):
        _gate(widget, may_discount, tip)
    _tip(
        cart.price_button,
        user.can(Right.OVERRIDE_PRICE),
        "Change the selected row's price or give a discount: "
        f"{who_may(ctx, Right.OVERRIDE_PRICE)} approves (Ctrl+P, or P in the cart)",
    )
    may_cash_out = user.can(Right.CASH_OUT)
    window.shift_panel.cash_out_button.setVisible(may_cash_out)  # no pay-outs otherwise
    window.printing.may_open_drawer = may_cash_out  # on their own password
    _tip(
        window.printing.drawer_action,
        may_cash_out,
        f"Open the cash drawer without a sale: {who_may(ctx, Right.CASH_OUT)} approves; "
        "recorded (Ctrl+Shift+D)",
    )
    if window.lookup is not None:
        apply_to_lookup(window.lookup, ctx, user)


def apply_to_lookup(lookup: BookingLookupDialog, ctx: PosContext, user: CurrentUser) -> None:
    why = refusal(ctx, user, Right.REFUND, "refund")
    lookup.refund_refusal = why  # a refund asked for now says it
    lookup.refund_button.setVisible(not why)
    lookup.reason.setVisible(not why)
    if why:
        lookup.refund_button.setToolTip(why)
