"""Card payment in the cashier window (objectName ``cardPanel``): shows the counter sale's
card payment (`CardTender`, which drives the reader) and passes the cashier's presses on.

F11 (``payCardButton``) pays the whole total by card; with the cash panel open and less
cash typed than the total, F11 puts the rest on the card (split tender). While the card
is on the reader, ``cardStatus`` says so and ``cancelCardButton`` (or Esc) stops it; a
decline shows its reason with ``retryCardButton`` (another card on the reader) and
``cardToCashButton`` (cancel the card, pay cash).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from enturf_pos.services.payments import card_payments
from enturf_pos.services.payments.card_payments import CardStep
from enturf_pos.ui.cashier.card_tender import PAY_TIP, CardTender
from enturf_pos.ui.form_widgets import restyle
from enturf_pos.ui.main_window_base import action


class CardPanel(QFrame):
    def __init__(self, tender: CardTender, parent: QWidget) -> None:
        """`parent`: the window, which gets the F11 action."""
        super().__init__(parent)
        self.setObjectName("cardPanel")
        self.tender = tender

        self.pay_button = QPushButton("Pay card  F11", objectName="payCardButton")
        self.pay_button.setProperty("big", True)
        self.pay_button.setToolTip(PAY_TIP)
        self.pay_action = action(parent, "payCardAction", "Pay card", "F11", "Pay by card")
        parent.addAction(self.pay_action)
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

        self.pay_button.clicked.connect(tender.start)
        self.pay_action.triggered.connect(tender.start)
        self.cancel_button.clicked.connect(tender.cancel)
        self.retry_button.clicked.connect(tender.retry)
        self.cash_button.clicked.connect(tender.cash_instead)
        tender.status_changed.connect(self._set_status)
        tender.step_changed.connect(self._show_buttons)
        tender.shown.connect(self.setVisible)
        tender.availability_changed.connect(self._available)
        self._show_buttons()

    @property
    def busy(self) -> bool:
        """A card payment is under way (on the reader, declined, or being recorded)."""
        return self.tender.busy

    @property
    def step(self) -> CardStep | None:
        return self.tender.step

    def cancel(self) -> None:
        self.tender.cancel()

    def set_enabled(self, has_items: bool) -> None:
        self.pay_button.setEnabled(has_items and not self.busy)
        if not has_items and not self.busy:
            self.hide()  # an old status (e.g. card unavailable) goes with the sale

    def _set_status(self, text: str, state: str) -> None:
        self.status.setText(text)
        restyle(self.status, state=state)

    def _show_buttons(self) -> None:
        state = self.tender.state
        self.cancel_button.setVisible(state in (card_payments.WAITING, card_payments.DECLINED))
        self.retry_button.setVisible(state == card_payments.DECLINED)
        self.cash_button.setVisible(state == card_payments.DECLINED)

    def _available(self, ok: bool, tip: str) -> None:
        """Say on the button, before anyone presses it, when card cannot work now."""
        self.pay_button.setProperty("available", ok)
        self.pay_button.setToolTip(tip)
