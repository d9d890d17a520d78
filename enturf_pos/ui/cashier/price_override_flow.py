"""The cashier window's price override, step by step: the price dialog on the selected
cart row, then an administrator's approval in place (`SupervisorDialog`; an admin at the
counter finds their username filled in and types their password), then the cart at the
new price. The approval is checked and signed off the UI thread
(`services.price_override.approve_change`); a refusal opens the approval again with why."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from enturf_pos.services.sales import price_override
from enturf_pos.services.sales.cart_service import CartError, CartRow
from enturf_pos.services.sales.price_override import OverrideResult, PriceChange
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.cashier.price_dialog import PriceDialog
from enturf_pos.ui.cashier.supervisor_dialog import SupervisorDialog
from enturf_pos.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from enturf_pos.ui.cashier.window import CashierWindow

UNEXPECTED = "The approval could not be checked (unexpected error); try again."


class PriceOverrideFlow:
    def __init__(
        self, window: CashierWindow, *, ctx: PosContext, runner: TaskRunner, changed: Callable
    ) -> None:
        self._window, self._ctx, self._runner, self._changed = window, ctx, runner, changed
        self.busy = False
        self._overridden: set[str] = set()  # rows shown at a changed price

    def rows_shown(self, rows: Sequence[CartRow]) -> None:
        """Say so when a row lost its changed price (its ticket, quantity or the voucher
        changed what it lists: the approval was for other prices)."""
        keys = {row.key for row in rows}
        now = {row.key for row in rows if row.override is not None}
        dropped = [row for row in rows if row.key in self._overridden - now and row.key in keys]
        self._overridden = now
        if dropped:
            self._window.show_message(
                f"{dropped[0].label}: back to the listed price {dropped[0].amount.format()} "
                "(the row changed). Change the price again if it still applies.",
                error=True,
            )

    def start(self, key: str) -> None:
        window, cart = self._window, self._window.cart
        if cart is None or self.busy:
            return
        row = next((r for r in cart.rows() if r.key == key), None)
        if row is None:
            return
        dialog = PriceDialog(
            window, row=row, preview=lambda change: price_override.new_prices(cart, change)
        )
        dialog.requested.connect(lambda change: self._ask_approval(change, ""))
        dialog.resetRequested.connect(self._reset)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _reset(self, key: str) -> None:
        if self._window.cart is not None:
            self._window.cart.set_override(key, None)
            self._overridden.discard(key)
            self._changed()
            self._window.show_message("Back to the listed price.")

    def _ask_approval(self, change: PriceChange, why: str) -> None:
        window, cart = self._window, self._window.cart
        planned = price_override.new_prices(cart, change) if cart is not None else "No cart."
        if isinstance(planned, str):
            window.show_message(planned, error=True)
            return
        old = sum((o for o, _n in planned[1:]), planned[0][0])
        new = sum((n for _o, n in planned[1:]), planned[0][1])
        user = window.user
        dialog = SupervisorDialog(
            window,
            title="Administrator approval",
            text=(f"{why}\n" if why else "")
            + f"Sell at {new.format()} instead of {old.format()}: {change.reason.strip()}.\n"
            "Administrator: enter your username and password to approve.",
            action=f"Approve price · {new.format()}",
            username=user.username if user.is_admin else "",
        )
        dialog.approved.connect(
            lambda username, password: self._approve(change, username, password)
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _approve(self, change: PriceChange, username: str, password: str) -> None:
        cart = self._window.cart
        if cart is None:
            return
        ctx = self._ctx
        self.busy = True
        self._window.show_message("Checking the administrator's password…")
        self._runner.run(
            lambda: price_override.approve_change(
                ctx=ctx, cart=cart, change=change, username=username, password=password
            ),
            lambda result: self._approved(change, result),
            lambda _exc: self._approved(change, OverrideResult(False, UNEXPECTED)),
        )

    def _approved(self, change: PriceChange, result: OverrideResult) -> None:
        self.busy = False
        window, cart = self._window, self._window.cart
        if not result.ok or result.override is None or cart is None:
            window.show_message(result.message, error=True)
            if cart is not None:
                self._ask_approval(change, result.message)
            return
        try:
            cart.set_override(change.key, result.override)
        except CartError as exc:
            window.show_message(str(exc), error=True)
            return
        self._changed()
        window.cart_panel.select_key(change.key)
        window.show_message(result.message)
