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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from enturf_core.staff_rights import Right
from enturf_pos.services.session import role_grants
from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.services.session.pos_context import PosContext

if TYPE_CHECKING:
    from enturf_pos.ui.cashier.booking_lookup import BookingLookupDialog
    from enturf_pos.ui.cashier.window import CashierWindow


def who_may(ctx: PosContext, right: Right) -> str:
    return role_grants.who_may(role_grants.all_grants(ctx=ctx), right)


def apply_to_window(window: CashierWindow, ctx: PosContext, user: CurrentUser) -> None:
    cart = window.cart_panel
    if not user.can(Right.DISCOUNT):
        tip = f"Only {who_may(ctx, Right.DISCOUNT)} may give discounts and vouchers."
        for widget in (cart.voucher, cart.voucher_button):
            widget.setEnabled(False)
            widget.setToolTip(tip)
        window.voucher_action.setEnabled(False)
        window.voucher_action.setToolTip(tip)
    if not user.can(Right.OVERRIDE_PRICE):
        cart.price_button.setToolTip(
            "Change the selected row's price or give a discount: "
            f"{who_may(ctx, Right.OVERRIDE_PRICE)} approves (Ctrl+P, or P in the cart)"
        )
    if not user.can(Right.CASH_OUT):
        window.shift_panel.cash_out_button.hide()  # no pay-outs from this user's drawer
        window.printing.drawer_action.setToolTip(
            f"Open the cash drawer without a sale: {who_may(ctx, Right.CASH_OUT)} approves; "
            "recorded (Ctrl+Shift+D)"
        )


def apply_to_lookup(lookup: BookingLookupDialog, ctx: PosContext, user: CurrentUser) -> None:
    if not user.can(Right.REFUND):
        lookup.refund_button.hide()
        lookup.reason.hide()
        lookup.refund_button.setToolTip(f"Only {who_may(ctx, Right.REFUND)} may refund.")
