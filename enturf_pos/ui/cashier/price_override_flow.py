"""The cashier window's price override, step by step: the price dialog on the selected
cart row, then an administrator's approval in place (`SupervisorDialog`; an admin at the
counter finds their username filled in and types their password), then the cart at the
new price. The approval is checked and signed off the UI thread
(`services.price_override.approve_change`); a refusal opens the approval again with why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from enturf_core.staff_rights import Right
from enturf_pos.services.sales import price_override
from enturf_pos.services.sales.cart_service import Cart, CartError
from enturf_pos.services.sales.price_override import OverrideResult, PriceChange
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.cashier.price_dialog import PriceDialog
from enturf_pos.ui.cashier.supervisor_dialog import SupervisorDialog
from enturf_pos.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from enturf_pos.ui.cashier.counter_sale import CounterSale

UNEXPECTED = "The approval could not be checked (unexpected error); try again."


class PriceOverrideFlow:
    def __init__(
        self, sale: CounterSale, *, parent: QWidget, ctx: PosContext, runner: TaskRunner
    ) -> None:
        """`parent`: the window the dialogs belong to."""
        self._sale, self._parent, self._ctx, self._runner = sale, parent, ctx, runner
        self.busy = False
        self._overridden: set[str] = set()  # rows shown at a changed price

    def cart_shown(self, cart: Cart | None) -> None:
        """The cart panel shows `cart` (`CounterSale.cart_changed`): say so when a row
        lost its changed price (its ticket, quantity or the voucher changed what it lists:
        the approval was for other prices)."""
        if cart is None:
            return
        rows = cart.rows()
        keys = {row.key for row in rows}
        now = {row.key for row in rows if row.override is not None}
        dropped = [row for row in rows if row.key in self._overridden - now and row.key in keys]
        self._overridden = now
        if dropped:
            self._sale.show_message(
                f"{dropped[0].label}: back to the listed price {dropped[0].amount.format()} "
                "(the row changed). Change the price again if it still applies.",
                error=True,
            )

    def start(self, key: str) -> None:
        cart = self._sale.cart
        if cart is None or self.busy:
            return
        row = next((r for r in cart.rows() if r.key == key), None)
        if row is None:
            return
        dialog = PriceDialog(
            self._parent, row=row, preview=lambda change: price_override.new_prices(cart, change)
        )
        dialog.requested.connect(lambda change: self._ask_approval(change, ""))
        dialog.resetRequested.connect(self._reset)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _reset(self, key: str) -> None:
        if self._sale.cart is not None:
            self._sale.cart.set_override(key, None)
            self._overridden.discard(key)
            self._sale.refresh_cart()
            self._sale.show_message("Back to the listed price.")

    def _ask_approval(self, change: PriceChange, why: str) -> None:
        sale, cart = self._sale, self._sale.cart
        planned = price_override.new_prices(cart, change) if cart is not None else "No cart."
        if isinstance(planned, str):
            sale.show_message(planned, error=True)
            return
        old = sum((o for o, _n in planned[1:]), planned[0][0])
        new = sum((n for _o, n in planned[1:]), planned[0][1])
        user = sale.user
        dialog = SupervisorDialog(
            self._parent,
            title="Approval",
            text=(f"{why}\n" if why else "")
            + f"Sell at {new.format()} instead of {old.format()}: {change.reason.strip()}.\n"
            "Someone who may override prices enters their username and password to approve.",
            action=f"Approve price · {new.format()}",
            username=user.username if user.can(Right.OVERRIDE_PRICE) else "",
        )
        dialog.approved.connect(
            lambda username, password: self._approve(change, username, password)
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _approve(self, change: PriceChange, username: str, password: str) -> None:
        cart = self._sale.cart
        if cart is None:
            return
        ctx = self._ctx
        self.busy = True
        self._sale.show_message("Checking the administrator's password…")
        self._runner.run(
            lambda: price_override.approve_change(
                ctx=ctx, cart=cart, change=change, username=username, password=password
            ),
            lambda result: self._approved(change, result),
            lambda _exc: self._approved(change, OverrideResult(False, UNEXPECTED)),
        )

    def _approved(self, change: PriceChange, result: OverrideResult) -> None:
        self.busy = False
        sale, cart = self._sale, self._sale.cart
        if not result.ok or result.override is None or cart is None:
            sale.show_message(result.message, error=True)
            if cart is not None:
                self._ask_approval(change, result.message)
            return
        try:
            cart.set_override(change.key, result.override)
        except CartError as exc:
            sale.show_message(str(exc), error=True)
            return
        sale.refresh_cart()
        sale.row_selected.emit(change.key)
        sale.show_message(result.message)
