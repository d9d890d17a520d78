"""CardTender: a card payment of the counter sale, step by step, without a widget.

The amount goes to this counter's reader, the customer taps, the sale is recorded and
the card captured (`services.payments.card_payments`, all of it off the UI thread through
the window's TaskRunner). With cash typed in and less than the total, the rest goes on
the card (split tender). The window never waits on the reader: each wait is a short
background task. `CardPanel` shows it (`status_changed`, `step_changed`, `shown`).

At creation (at login) unfinished card payments of earlier runs are reconciled
(`card_reconcile.reconcile`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from enturf_core.money import Money
from enturf_pos.services.payments import card_attempts, card_gateway, card_payments, card_reconcile
from enturf_pos.services.payments.card_payments import CardSaleResult, CardStep
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from enturf_pos.ui.cashier.counter_sale import CounterSale

log = logging.getLogger(__name__)

WAIT_SLICE = 1.5  # seconds one background wait lasts before it reports back
UNEXPECTED = "Something went wrong with the card payment; it was logged. Please try again."
OFFLINE_TOO = (
    " The server cannot be reached either: cash sales from this counter's allocation still work."
)
PAY_TIP = "Pay by card on the reader (F11); with cash typed in, the rest goes on the card"


class CardTender(QObject):
    status_changed = Signal(str, str)  # text, state: waiting, approved, declined, failed...
    step_changed = Signal()  # busy or not, the step's buttons
    shown = Signal(bool)  # the card panel shows (a payment) or goes
    availability_changed = Signal(bool, str)  # whether card works now, the pay button's tip

    def __init__(self, sale: CounterSale, *, ctx: PosContext, runner: TaskRunner) -> None:
        super().__init__(sale)
        self._sale = sale
        self._ctx = ctx
        self._runner = runner
        self.step: CardStep | None = None
        self._tendered: Money | None = None  # cash given for the rest (split tender)
        self._generation = 0  # answers of an abandoned payment are ignored
        self._hold_tries = 0
        self._then_cash = False
        self.reconcile()

    @property
    def busy(self) -> bool:
        """A card payment is under way (on the reader, declined, or being recorded)."""
        return self.step is not None

    @property
    def state(self) -> str:
        return self.step.state if self.step else ""

    def _set_status(self, text: str, state: str) -> None:
        self.status_changed.emit(text, state)

    def _end(self) -> None:
        self._generation += 1
        self.step = None
        self._tendered = None
        self._sale.end_card()
        self.step_changed.emit()

    def forget(self) -> None:
        """The window closes mid-payment: leave the payment to the next reconciliation
        (at the next login), which cancels it unless its sale was recorded."""
        if self.step is not None and self.step.attempt_id is not None:
            card_attempts.forget(self.step.attempt_id)

    # -- start -------------------------------------------------------------------------

    def start(self) -> None:
        sale = self._sale
        if self.busy or sale.cart is None:
            return
        if sale.cart.empty:
            sale.show_message("The cart is empty: pick seats or places first.", error=True)
            return
        if not sale.in_shift(self.start) or not sale.buyer_valid():
            return
        total = sale.cart.totals().total
        card_amount: Money | None = None
        tendered = sale.cash_tendered()
        if tendered is not None and tendered.amount > 0:
            if tendered >= total:
                sale.show_message(
                    "The cash typed in covers the total: complete in cash (Enter), or clear "
                    "it to pay all by card.",
                    error=True,
                )
                return
            card_amount = total - tendered
        if sale.hold_pending:
            # the seats are being held on the server: start as soon as they are
            self._hold_tries += 1
            if self._hold_tries <= 50:
                sale.show_message("Holding the seats on the server…")
                QTimer.singleShot(200, self.start)
                return
            sale.show_message("The server did not hold the seats in time; try again.", error=True)
            self._hold_tries = 0
            return
        self._hold_tries = 0
        self._tendered = tendered if card_amount is not None else None
        sale.begin_card()
        self.step = CardStep(card_payments.WAITING, "Connecting to the card reader…")
        self._set_status("Connecting to the card reader…", "waiting")
        self.shown.emit(True)
        self.step_changed.emit()
        ctx, cart, offline = self._ctx, sale.cart, sale.offline
        generation = self._generation
        self._runner.run(
            lambda: card_payments.start_card_payment(
                ctx=ctx, cart=cart, card_amount=card_amount, offline=offline
            ),
            lambda step: self._stepped(step, generation),
            self._failed,
        )

    # -- on the reader -----------------------------------------------------------------

    def _stepped(self, step: CardStep, generation: int) -> None:
        if generation != self._generation:
            return
        self.step = step
        if step.state == card_payments.WAITING:
            split = ""
            if self._tendered is not None and step.draft is not None:
                split = f" (cash {self._tendered.format()} received)"
            due = step.draft.card_due.format() if step.draft else ""
            text = f"Waiting for the card: {due} on the reader{split}…"
            if step.hiccup:  # e.g. the gateway did not answer once: say so first
                text = f"{step.message} {text}"
            self._set_status(text, "waiting")
            self._wait(step, generation)
        elif step.state == card_payments.APPROVED:
            self._set_status(f"{step.message} Recording the sale…", "approved")
            self._complete(step, generation)
        elif step.state == card_payments.DECLINED:
            self._set_status(f"Declined: {step.message}", "declined")
        elif step.state == card_payments.FAILED:
            text = step.message + (OFFLINE_TOO if self._sale.offline else "")
            self._end()
            self._set_status(text, "failed")
            self._sale.show_message(text, error=True)
        else:  # canceled
            self._end()
            self._set_status(step.message, "canceled")
            self.shown.emit(False)
            self._sale.show_message(step.message)
            if self._then_cash:
                self._then_cash = False
                self._sale.start_cash()
        self.step_changed.emit()

    def _wait(self, step: CardStep, generation: int) -> None:
        ctx = self._ctx
        self._runner.run(
            lambda: card_payments.wait_for_card(ctx=ctx, step=step, timeout=WAIT_SLICE),
            lambda s: self._stepped(s, generation),
            self._failed,
        )

    def retry(self) -> None:
        step = self.step
        if step is None or step.state != card_payments.DECLINED:
            return
        self._set_status("Offering the payment on the reader again…", "waiting")
        self.step = CardStep(card_payments.WAITING, "", step.attempt_id, step.draft, step.handle)
        self.step_changed.emit()
        ctx, generation = self._ctx, self._generation
        self._runner.run(
            lambda: card_payments.retry_card(ctx=ctx, step=step),
            lambda s: self._stepped(s, generation),
            self._failed,
        )

    def cancel(self) -> None:
        """Stop the reader and cancel the payment (nothing is taken)."""
        step = self.step
        if step is None or step.state not in (card_payments.WAITING, card_payments.DECLINED):
            return
        self._generation += 1  # a wait still running reports to nobody
        self._set_status("Canceling the card payment…", "waiting")
        self.step = CardStep("canceling", "", step.attempt_id, step.draft, step.handle)
        self.step_changed.emit()
        ctx, generation = self._ctx, self._generation
        self._runner.run(
            lambda: card_payments.cancel_card(ctx=ctx, step=step),
            lambda s: self._stepped(s, generation),
            self._failed,
        )

    def cash_instead(self) -> None:
        self._then_cash = True  # the cash panel opens once the card is canceled
        self.cancel()

    # -- approved: the sale ------------------------------------------------------------

    def _complete(self, step: CardStep, generation: int) -> None:
        sale = self._sale
        ctx, cart, offline, tendered = self._ctx, sale.cart, sale.offline, self._tendered
        seller, hold_id = sale.user.username, sale.hold_id()
        buyer = sale.buyer()  # typed while the card was on the reader, if valid
        self._runner.run(
            lambda: card_payments.complete_card_sale(
                ctx=ctx,
                cart=cart,
                step=step,
                tendered=tendered,
                seller=seller,
                hold_id=hold_id,
                offline=offline,
                buyer=buyer,
            ),
            lambda done: self._completed(done, generation),
            self._failed,
        )

    def _completed(self, done: CardSaleResult, generation: int) -> None:
        if generation != self._generation:
            return
        result = done.sale
        if not result.ok:
            self._end()
            self._set_status(done.message, "failed")
            self._sale.show_message(done.message, error=True)
            return
        assert result.total is not None
        card_due = self.step.draft.card_due if self.step and self.step.draft else result.total
        paid = f"Paid by card {done.brand.title()} •••• {done.last4} {card_due.format()}"
        if result.change is not None and result.tendered is not None:
            paid += (
                f", cash {(result.total - card_due).format()}"
                f"<br><span style='font-size:22px'>Change due <b>{result.change.format()}</b>"
                "</span>"
            )
        self._end()
        self._set_status(f"Approved: {done.brand.title()} •••• {done.last4}", "approved")
        self.shown.emit(False)
        self._sale.finish_sale(result, paid)
        if not done.captured:
            self._sale.show_message(done.message)

    def _failed(self, _error: Exception) -> None:
        self._end()
        self._set_status(UNEXPECTED, "failed")
        self._sale.show_message(UNEXPECTED, error=True)

    # -- reconciliation ----------------------------------------------------------------

    def reconcile(self) -> None:
        """Settle card payments a crash or a lost connection left unfinished."""
        ctx = self._ctx
        self._runner.run(lambda: card_reconcile.reconcile(ctx=ctx), self._reconciled)

    def _reconciled(self, report: card_reconcile.ReconcileReport) -> None:
        if report.captured or report.canceled or report.left_open:
            self._sale.show_message(report.message, error=bool(report.left_open))
        ctx = self._ctx
        self._runner.run(lambda: card_gateway.check_card(ctx), self._checked)

    def _checked(self, availability: card_gateway.CardAvailability) -> None:
        """Say on the button, before anyone presses it, when card cannot work now."""
        tip = PAY_TIP if availability.ok else f"{availability.message} Cash still works."
        self.availability_changed.emit(availability.ok, tip)
