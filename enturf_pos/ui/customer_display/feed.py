"""The customer display kept to the cashier window's sale.

`CustomerDisplayFeed` listens to the counter sale's signals (the cart, the tender, the
card's status, the sale's end) and to the cash panel's amount, and tells a
`CustomerDisplayState`; the `CustomerDisplay` window draws that state on the screen
chosen in the counter's settings (Printers… dialog: ``customerDisplayScreen``), and
only while that screen is connected. The cashier window does not wait on any of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication

from enturf_pos.models import SiteSettings
from enturf_pos.ui.cashier.sale_payment import CASH, NO_TENDER
from enturf_pos.ui.customer_display import settings as display_settings
from enturf_pos.ui.customer_display.display_state import THANKS, CartLine, CustomerDisplayState
from enturf_pos.ui.customer_display.window import CustomerDisplay, logo_path

if TYPE_CHECKING:
    from enturf_pos.ui.cashier.window import CashierWindow

THANKS_SECONDS = 8.0  # the thank-you screen, then the welcome screen
SAME_SCREEN = (
    "The customer display is set to {screen}, the screen this window is on: it stays off. "
    "Choose the customer's screen in Printers…."
)


def venue_name(ctx) -> str:
    """The seller's name as the server's settings have it (synced to the counter)."""
    with ctx.db.transaction() as session:
        settings = session.get(SiteSettings, 1)
        return str((settings.data if settings else {}).get("seller_name") or "")


class CustomerDisplayFeed(QObject):
    def __init__(self, window: CashierWindow, *, thanks_seconds: float = THANKS_SECONDS) -> None:
        super().__init__(window)
        self._window = window
        self._data_dir = window.sale.ctx.config.data_dir
        self.state = CustomerDisplayState(venue=venue_name(window.sale.ctx))
        self.display: CustomerDisplay | None = None
        self.screen_name = display_settings.load_screen(self._data_dir)
        self._card_amount = None
        self._thanks = QTimer(self)
        self._thanks.setSingleShot(True)
        self._thanks.setInterval(int(thanks_seconds * 1000))
        self._thanks.timeout.connect(self._after_thanks)

        sale = window.sale
        sale.cart_changed.connect(self._cart)
        sale.tender_changed.connect(self._tender)
        sale.sale_completed.connect(self._completed)
        sale.card.status_changed.connect(self._card)
        window.cash.tenderChanged.connect(self._cash_given)
        window.printing.display_screen = self.screen_name  # the combo in Printers…
        window.printing.displayScreenChosen.connect(self.choose_screen)
        app = QGuiApplication.instance()  # bound slots: gone with this object, unlike lambdas
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screens_changed)
        QTimer.singleShot(0, self, self.apply)  # once the window is shown on its screen

    # -- the screen ----------------------------------------------------------------------

    def choose_screen(self, name: str) -> None:
        """The counter's settings chose a screen ("" = off): kept, and applied now."""
        self.screen_name = name
        self._window.printing.display_screen = name
        display_settings.save_screen(self._data_dir, name)
        self.apply()

    def apply(self) -> None:
        """Show the display full screen on the chosen screen when it is connected, and
        never over the cashier's own window (a counter with one screen chose it)."""
        screen = display_settings.find_screen(self.screen_name)
        window = self._window
        if screen is not None and window.isVisible() and window.screen() is screen:
            window.show_message(
                SAME_SCREEN.format(screen=display_settings.describe(screen)), error=True
            )
            screen = None
        if screen is None:
            if self.display is not None:
                self.display.hide()
            return
        if self.display is None:
            self.display = CustomerDisplay(
                self.state,
                seat_map=self._window.map.state,
                logo=logo_path(self._data_dir),
                parent=self._window,
            )
        self.display.show_on(screen)

    def _screens_changed(self, _screen=None) -> None:
        QTimer.singleShot(0, self, self.apply)  # after Qt moved the windows of a gone screen

    def close(self) -> None:
        self._thanks.stop()
        if self.display is not None:
            self.display.close()
            self.display.deleteLater()
            self.display = None

    # -- the sale ------------------------------------------------------------------------

    def _cart(self, cart) -> None:
        sale = self._window.sale
        event = sale.current_event.name if sale.current_event is not None else ""
        if cart is None or cart.empty:
            self.state.show_cart(event, [], None)
            return
        self._thanks.stop()
        totals = cart.totals()
        lines = [
            CartLine(row.label, row.ticket_name, row.quantity, row.amount, row.seat_id)
            for row in cart.rows()
        ]
        self.state.show_cart(event, lines, totals.total, totals.discount)

    def _cash_given(self, amount, _covered: bool) -> None:
        self.state.cash_given(amount)

    def _tender(self, tender: str) -> None:
        if tender == CASH:
            self.state.paying_cash()
        elif tender == NO_TENDER:
            # after the sale's own signals of this turn: a card approved, or cash taken
            # instead of a canceled card, is not a payment given up
            QTimer.singleShot(0, self, self._maybe_cancelled)

    def _maybe_cancelled(self) -> None:
        if self._window.sale.tender == NO_TENDER and self.state.phase != THANKS:
            self.state.payment_cancelled()

    def _card(self, text: str, state: str) -> None:
        if state == "waiting" and text.startswith("Canceling"):
            state = "canceling"  # the card is being taken off the reader: no "please tap"
        step = self._window.sale.card.step
        if step is not None and step.draft is not None:
            self._card_amount = step.draft.card_due
        self.state.card(state, self._card_amount)
        if state not in ("waiting", "approved", "declined"):
            self._card_amount = None

    def _completed(self, _sale_id) -> None:
        self.state.sale_done()
        self._card_amount = None
        self._thanks.start()

    def _after_thanks(self) -> None:
        if self.state.phase == THANKS:
            self.state.welcome()
