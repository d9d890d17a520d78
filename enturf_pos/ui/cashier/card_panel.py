"""Card payment in the cashier window (objectName ``cardPanel``): the amount goes to this
counter's reader, the customer taps, the sale is recorded and the card captured
(`services.payments.card_payments`, all of it off the UI thread through the window's TaskRunner).

F11 (``payCardButton``) pays the whole total by card; with the cash panel open and less
cash typed than the total, F11 puts the rest on the card (split tender). While the card
is on the reader, ``cardStatus`` says so and ``cancelCardButton`` (or Esc) stops it; a
decline shows its reason with ``retryCardButton`` (another card on the reader) and
``cardToCashButton`` (cancel the card, pay cash). The window never waits on the reader:
each wait is a short background task.

When the panel is created (at login) unfinished card payments of earlier runs are
reconciled (`card_reconcile.reconcile`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from enturf_core.money import Money
from enturf_pos.services.payments import card_attempts, card_gateway, card_payments, card_reconcile
from enturf_pos.services.payments.card_payments import CardSaleResult, CardStep
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.form_widgets import restyle
from enturf_pos.ui.main_window_base import action
from enturf_pos.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from enturf_pos.ui.cashier.window import CashierWindow

log = logging.getLogger(__name__)

WAIT_SLICE = 1.5  # seconds one background wait lasts before it reports back
UNEXPECTED = "Something went wrong with the card payment; it was logged. Please try again."
OFFLINE_TOO = (
    " The server cannot be reached either: cash sales from this counter's allocation still work."
)


class CardPanel(QFrame):
    def __init__(self, *, window: CashierWindow, ctx: PosContext, runner: TaskRunner) -> None:
        super().__init__(window)
        self.setObjectName("cardPanel")
        self._window = window
        self._ctx = ctx
        self._runner = runner
        self.step: CardStep | None = None
        self._tendered: Money | None = None  # cash given for the rest (split tender)
        self._generation = 0  # answers of an abandoned payment are ignored
        self._hold_tries = 0

        self.pay_button = QPushButton("Pay card  F11", objectName="payCardButton")
        self.pay_button.setProperty("big", True)
        self.pay_button.setToolTip(
            "Pay by card on the reader (F11); with cash typed in, the rest goes on the card"
        )
        self.pay_action = action(window, "payCardAction", "Pay card", "F11", "Pay by card")
        window.addAction(self.pay_action)
        self.title = QLabel("Card", objectName="sectionTitle")
        self.status = QLabel("", objectName="cardStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Card payment status")
        self.retry_button = QPushButton("Try again on the reader", objectName="retryCardButton")
        self.cash_button = QPushButton("Take cash instead", objectName="cardToCashButton")
        self.cancel_button = QPushButton("Cancel card  Esc", objectName="cancelCardButton")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button, 1)
        buttons.addWidget(self.cash_button, 1)
        buttons.addWidget(self.retry_button, 2)
        layout.addLayout(buttons)
        self.hide()

        self.pay_button.clicked.connect(self.start)
        self.pay_action.triggered.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.retry_button.clicked.connect(self._retry)
        self.cash_button.clicked.connect(self._cash_instead)
        self._then_cash = False
        self._show_buttons(update_window=False)
        window.installEventFilter(self)
        self.reconcile()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The window closes mid-payment: leave the payment to the next reconciliation
        (at the next login), which cancels it unless its sale was recorded."""
        closing = watched is self._window and event.type() == QEvent.Type.Close
        if closing and self.step is not None and self.step.attempt_id is not None:
            card_attempts.forget(self.step.attempt_id)
        return False

    # -- state -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A card payment is under way (on the reader, declined, or being recorded)."""
        return self.step is not None

    def set_enabled(self, has_items: bool) -> None:
        self.pay_button.setEnabled(has_items and not self.busy)
        if not has_items and not self.busy:
            self.hide()  # an old status (e.g. card unavailable) goes with the sale

    def _set_status(self, text: str, state: str) -> None:
        self.status.setText(text)
        restyle(self.status, state=state)

    def _show_buttons(self, *, update_window: bool = True) -> None:
        state = self.step.state if self.step else ""
        self.cancel_button.setVisible(state in (card_payments.WAITING, card_payments.DECLINED))
        self.retry_button.setVisible(state == card_payments.DECLINED)
        self.cash_button.setVisible(state == card_payments.DECLINED)
        if update_window:
            self._window._update_buttons()

    def _end(self) -> None:
        self._generation += 1
        self.step = None
        self._tendered = None
        self._window.paying = False
        self._show_buttons()

    # -- start -------------------------------------------------------------------------

    def start(self) -> None:
        window = self._window
        if self.busy or window.cart is None:
            return
        if window.cart.empty:
            window.show_message("The cart is empty: pick seats or places first.", error=True)
            return
        if not window.in_shift(self.start) or not window.buyer.valid():
            return
        total = window.cart.totals().total
        card_amount: Money | None = None
        tendered = window.cash.amount() if window.cash.isVisible() else None
        if tendered is not None and tendered.amount > 0:
            if tendered >= total:
                window.show_message(
                    "The cash typed in covers the total: complete in cash (Enter), or clear "
                    "it to pay all by card.",
                    error=True,
                )
                return
            card_amount = total - tendered
        if not window.offline and not window.live.in_step:
            # the seats are being held on the server: start as soon as they are
            self._hold_tries += 1
            if self._hold_tries <= 50:
                window.show_message("Holding the seats on the server…")
                QTimer.singleShot(200, self.start)
                return
            window.show_message("The server did not hold the seats in time; try again.", error=True)
            self._hold_tries = 0
            return
        self._hold_tries = 0
        self._tendered = tendered if card_amount is not None else None
        window.paying = True
        window.cash.hide()
        window.show_message("")
        self.step = CardStep(card_payments.WAITING, "Connecting to the card reader…")
        self._set_status("Connecting to the card reader…", "waiting")
        self.show()
        self._show_buttons()
        ctx, cart, offline = self._ctx, window.cart, window.offline
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
            if not step.message.startswith("Waiting"):  # e.g. the gateway did not answer once
                text = f"{step.message} {text}"
            self._set_status(text, "waiting")
            self._wait(step, generation)
        elif step.state == card_payments.APPROVED:
            self._set_status(f"{step.message} Recording the sale…", "approved")
            self._complete(step, generation)
        elif step.state == card_payments.DECLINED:
            self._set_status(f"Declined: {step.message}", "declined")
        elif step.state == card_payments.FAILED:
            text = step.message + (OFFLINE_TOO if self._window.offline else "")
            self._end()
            self._set_status(text, "failed")
            self._window.show_message(text, error=True)
        else:  # canceled
            self._end()
            self._set_status(step.message, "canceled")
            self.hide()
            self._window.show_message(step.message)
            if self._then_cash:
                self._then_cash = False
                self._window.start_cash()
        self._show_buttons()

    def _wait(self, step: CardStep, generation: int) -> None:
        ctx = self._ctx
        self._runner.run(
            lambda: card_payments.wait_for_card(ctx=ctx, step=step, timeout=WAIT_SLICE),
            lambda s: self._stepped(s, generation),
            self._failed,
        )

    def _retry(self) -> None:
        step = self.step
        if step is None or step.state != card_payments.DECLINED:
            return
        self._set_status("Offering the payment on the reader again…", "waiting")
        self.step = CardStep(card_payments.WAITING, "", step.attempt_id, step.draft, step.handle)
        self._show_buttons()
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
        self._show_buttons()
        ctx, generation = self._ctx, self._generation
        self._runner.run(
            lambda: card_payments.cancel_card(ctx=ctx, step=step),
            lambda s: self._stepped(s, generation),
            self._failed,
        )

    def _cash_instead(self) -> None:
        self._then_cash = True  # the cash panel opens once the card is canceled
        self.cancel()

    # -- approved: the sale ------------------------------------------------------------

    def _complete(self, step: CardStep, generation: int) -> None:
        window = self._window
        hold = window.live.hold
        ctx, cart, offline, tendered = self._ctx, window.cart, window.offline, self._tendered
        seller = window.user.username
        buyer = window.buyer.buyer()  # typed while the card was on the reader, if valid
        self._runner.run(
            lambda: card_payments.complete_card_sale(
                ctx=ctx,
                cart=cart,
                step=step,
                tendered=tendered,
                seller=seller,
                hold_id=hold.id if hold else None,
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
            self._window.show_message(done.message, error=True)
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
        self.hide()
        self._window.finish_sale(result, paid)
        if not done.captured:
            self._window.show_message(done.message)

    def _failed(self, _error: Exception) -> None:
        self._end()
        self._set_status(UNEXPECTED, "failed")
        self._window.show_message(UNEXPECTED, error=True)

    # -- reconciliation ----------------------------------------------------------------

    def reconcile(self) -> None:
        """Settle card payments a crash or a lost connection left unfinished."""
        ctx = self._ctx
        self._runner.run(lambda: card_reconcile.reconcile(ctx=ctx), self._reconciled)

    def _reconciled(self, report: card_reconcile.ReconcileReport) -> None:
        if report.captured or report.canceled or report.left_open:
            self._window.show_message(report.message, error=bool(report.left_open))
        ctx = self._ctx
        self._runner.run(lambda: card_gateway.check_card(ctx), self._checked)

    def _checked(self, availability: card_gateway.CardAvailability) -> None:
        """Say on the button, before anyone presses it, when card cannot work now."""
        self.pay_button.setProperty("available", availability.ok)
        self.pay_button.setToolTip(
            "Pay by card on the reader (F11); with cash typed in, the rest goes on the card"
            if availability.ok
            else f"{availability.message} Cash still works."
        )
