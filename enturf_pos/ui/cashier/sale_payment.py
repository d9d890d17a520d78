"""Paying and the sale's end, the second half of `CounterSale` (a mixin: one object, one
set of signals for the panels; this half never runs alone).

The tender is cash (the cash panel), card (`CardTender`) or both (split: the cash typed
in, the rest on the card); paying needs an open shift (`in_shift`). A completed sale is
one local transaction (`sale_service.record_cash_sale`, or `card_payments` for a card):
the cart clears, the receipt shows, and online the sale is pushed at once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from enturf_core.money import Money
from enturf_core.staff_rights import Right
from enturf_pos.services.sales import sale_service
from enturf_pos.services.sales.buyer import Buyer, parse_buyer
from enturf_pos.ui.cashier import rights_gate

if TYPE_CHECKING:
    from enturf_pos.ui.cashier.counter_sale import CounterSale

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong on this counter; it was logged. Please try again."
NO_TENDER, CASH, CARD = "", "cash", "card"


class SalePayment:
    """Its state (`tender`, the cash typed, the buyer typed, the receipt) is set up by
    `CounterSale.__init__`."""

    tender: str
    last_sale: uuid.UUID | None
    _tendered: Money | None
    _covered: bool
    _buyer_text: str
    _receipt: str
    _complete_when_held: bool

    @property
    def paying(self) -> bool:
        return self.tender != NO_TENDER

    def _set_tender(self: CounterSale, tender: str) -> None:
        self.tender = tender
        self.tender_changed.emit(tender)

    # -- the tender --------------------------------------------------------------------

    def set_cash(self: CounterSale, tendered: Money | None, covered: bool) -> None:
        """The cash panel's amount received, and whether it covers the total."""
        self._tendered, self._covered = tendered, covered

    def cash_tendered(self: CounterSale) -> Money | None:
        """The cash typed in while paying cash (the rest of a split goes on the card)."""
        return self._tendered if self.tender == CASH else None

    def set_buyer_text(self: CounterSale, text: str) -> None:
        self._buyer_text = text

    def buyer_valid(self: CounterSale) -> bool:
        """Whether the buyer field holds a usable buyer (or nothing); says why if not."""
        parsed = parse_buyer(self._buyer_text)
        if isinstance(parsed, str):
            self.buyer_refused.emit(parsed)
            return False
        return True

    def buyer(self: CounterSale) -> Buyer | None:
        parsed = parse_buyer(self._buyer_text)
        return None if isinstance(parsed, str) or parsed.empty else parsed

    def may_sell(self: CounterSale) -> bool:
        """Whether the user's role may sell; says why not (it lost `sell` on the server
        while the window was open: the server would refuse the sale)."""
        why = rights_gate.refusal(self.ctx, self.user, Right.SELL, "sell at the counter")
        if why:
            self.show_message(why, error=True)
        return not why

    def in_shift(self: CounterSale, go_on: Callable[[], object]) -> bool:
        """A counter sells only inside an open shift: without one the open-shift dialog
        comes up, and `go_on` (the payment asked for) runs once it is open. Refused
        without `sell` (`may_sell`)."""
        if not self.may_sell():
            return False
        if sale_service.shift_refusal(self.ctx) is None:
            return True
        self.show_message("No shift is open: enter the float to open one; the sale goes on.")
        self.shift_wanted.emit(lambda: (self.show_message(""), go_on()))
        return False

    def start_cash(self: CounterSale) -> None:
        if self.card.busy:
            self.show_message("A card payment is under way: cancel it first (Esc).", error=True)
            return
        if self.cart is None or self.cart.empty:
            self.show_message("The cart is empty: pick seats or places first.", error=True)
            return
        if not self.paying and not self.in_shift(self.start_cash):
            return
        self._set_tender(CASH)
        self.cash_due.emit(self.cart.totals().total)
        self.state_changed.emit()

    def pay_exact(self: CounterSale) -> None:
        if not self.paying:
            if self.has_items and not self.in_shift(self.pay_exact):
                return
            self.start_cash()
        if self.paying:
            self.exact_cash.emit()

    def cancel_payment(self: CounterSale) -> None:
        if self.card.busy:
            self.card.cancel()
            return
        if not self.paying:
            return
        self._complete_when_held = False
        self._set_tender(NO_TENDER)
        self.state_changed.emit()
        self.focus_map.emit()

    def begin_card(self: CounterSale) -> None:
        """`CardTender`: the card payment starts (the cash panel gives way)."""
        self._set_tender(CARD)
        self.show_message("")

    def end_card(self: CounterSale) -> None:
        self._set_tender(NO_TENDER)

    def complete_cash(self: CounterSale) -> None:
        if not self.paying or self.cart is None or self.cart.empty:
            return
        if not self.may_sell():
            return
        tendered = self._tendered
        if tendered is None or not self._covered:
            self.show_message("Enter the cash received (F10: exact cash).", error=True)
            return
        if not self.buyer_valid():
            return
        if self.hold_pending:
            self._complete_when_held = True  # completes as soon as the server holds the seats
            self.show_message("Holding the seats on the server…")
            return
        try:
            result = sale_service.record_cash_sale(
                ctx=self.ctx,
                cart=self.cart,
                tendered=tendered,
                seller=self.user.username,
                hold_id=self.hold_id(),
                offline=self.offline,
                buyer=self.buyer(),
            )
        except Exception:
            log.exception("recording a sale failed")
            self.show_message(UNEXPECTED, error=True)
            return
        if not result.ok:
            self.show_message(result.message, error=True)
            if result.needs_shift:  # closed meanwhile (another window): open one, go on
                self.in_shift(self.complete_cash)
            return
        assert result.change is not None
        change = result.change.format()
        self.finish_sale(result, f"<span style='font-size:22px'>Change due <b>{change}</b></span>")

    # -- the sale's end ----------------------------------------------------------------

    def finish_sale(self: CounterSale, result: sale_service.SaleResult, paid_html: str) -> None:
        """A sale was recorded (in cash, or by card in `CardTender`): clear the cart, show
        the receipt, push it."""
        assert self.cart is not None and result.total is not None
        self.last_sale = result.sale_id
        if result.tendered is not None:  # cash, or the cash part of a split
            self.cash_taken.emit(result.sale_id)
        self.sale_completed.emit(result.sale_id)
        self.live.sold()
        sold = {sid: "sold" for sid in self.cart.seat_ids()}
        self.selection_set.emit([])
        self.seat_statuses.emit(sold)
        self.cart.clear()
        self.sale_cleared.emit()
        self._set_tender(NO_TENDER)
        self._show_cart()
        where = (
            "It is kept on this counter and sent when the server is back."
            if result.offline
            else "Sending it to the server…"
        )
        self._receipt = (
            f"<b>Sale {result.code}</b> · {result.tickets} ticket"
            f"{'s' if result.tickets != 1 else ''} · {result.total.format()}"
            f"<br>{paid_html}<br>{where}"
        )
        self.receipt_changed.emit(self._receipt)
        self.show_message("")
        self.refresh_wanted.emit()
        if not result.offline:
            self.push_wanted.emit()  # push it now
        self.focus_map.emit()

    def check_sale_status(self: CounterSale) -> None:
        """After a sync: where the last sale stands with the server (`receipt_status`)."""
        if self.last_sale is None:
            return
        ctx, sale_id = self.ctx, self.last_sale
        self.runner.run(
            lambda: sale_service.sale_status(ctx=ctx, sale_id=sale_id),
            lambda status: self._sale_status(sale_id, status),
        )

    def _sale_status(
        self: CounterSale, sale_id: uuid.UUID, status: sale_service.SaleStatus | None
    ) -> None:
        if status is None or sale_id != self.last_sale or not self._receipt:
            return  # another sale's receipt shows by now
        self._receipt = f"{self._receipt.rsplit('<br>', 1)[0]}<br>{status.message}"
        self.receipt_status.emit(self._receipt)

    def start_new_sale(self: CounterSale, keep_receipt: bool = False) -> None:
        self.card.cancel()  # a card still on the reader is canceled (nothing taken)
        released = self.live.release()
        if self.cart is not None:
            self.cart.clear()
        self.selection_set.emit([])
        self.seats_released.emit(released)  # our own seats: free here at once
        self.sale_cleared.emit()
        self._complete_when_held = False
        self._set_tender(NO_TENDER)
        if not keep_receipt:
            self.receipt_changed.emit("")
        self.show_message("")
        self._show_cart()
        if self.current_event is not None:
            self.focus_map.emit()
