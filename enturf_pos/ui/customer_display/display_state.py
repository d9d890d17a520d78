"""CustomerDisplayState: what the customer's screen shows, without Qt.

The cashier side (`feed.CustomerDisplayFeed`) tells it what happens to the sale; the
window (`window.CustomerDisplay`) draws it whenever it says it changed (`subscribe`).
Tests drive it directly. It knows four phases:

* ``welcome`` - between sales: the venue's name and logo;
* ``cart`` - the lines picked so far and the total;
* ``paying`` - the same, with the cash given and the change, or the card's status;
* ``thanks`` - the sale is done: what was paid and the change, until the next sale
  starts or the feed turns back to ``welcome`` after a few seconds.

Words are the customer's ("Please present your card"), not the cashier's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from enturf_core.money import Money

WELCOME, CART, PAYING, THANKS = "welcome", "cart", "paying", "thanks"
# the card's states as `card_payments` names them, and what the customer reads
CARD_WAITING, CARD_APPROVED, CARD_DECLINED = "waiting", "approved", "declined"


@dataclass(frozen=True)
class DisplayLine:
    event: str
    place: str  # "Stalls · Row A · Seat 4", or a standing area ("Standing x 4")
    ticket: str
    price: str  # formatted, tax included, after any discount


@dataclass(frozen=True)
class CartLine:
    """What the feed passes in for one cart row (a `cart_service.CartRow`'s parts)."""

    place: str
    ticket: str
    quantity: int
    amount: Money
    seat_id: int | None = None


class CustomerDisplayState:
    def __init__(self, venue: str = "") -> None:
        self.venue = venue
        self.phase = WELCOME
        self.lines: list[DisplayLine] = []
        self.total: Money | None = None
        self.discount: Money | None = None
        self.tendered: Money | None = None  # cash given (also the cash part of a split)
        self.card_status = ""  # "", CARD_WAITING, CARD_APPROVED or CARD_DECLINED
        self.card_amount: Money | None = None  # what goes on the card
        self.seats: list[int] = []  # seat ids in the cart: shown on the small seat map
        self._listeners: list[Callable[[], None]] = []

    # -- listeners ------------------------------------------------------------------

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    # -- what the customer reads ----------------------------------------------------

    @property
    def change(self) -> Money | None:
        """The change due on the cash given (None until it covers the total)."""
        if self.tendered is None or self.total is None or self.card_amount is not None:
            return None
        if self.tendered.currency != self.total.currency or self.tendered < self.total:
            return None
        return self.tendered - self.total

    def total_text(self) -> str:
        return self.total.format() if self.total is not None else ""

    def payment_text(self) -> str:
        """The payment lines under the total ("" when nothing is being paid yet); short
        lines joined by newlines, so that they fit a 1024-pixel screen unwrapped."""
        cash = self.tendered is not None and self.tendered.is_positive()
        if self.card_status:
            card = self._card_text()
            if cash and self.tendered is not None:
                return f"Cash given {self.tendered.format()}\n{card}"
            return card
        if self.phase == THANKS:
            if cash and self.tendered is not None:
                change = self.change or Money.zero(self.tendered.currency)
                return f"Cash given {self.tendered.format()} · Your change {change.format()}"
            return ""
        if self.phase == PAYING and self.total is not None:
            if not cash or self.tendered is None:
                return f"To pay {self.total.format()}"
            change = self.change
            if change is not None:
                return f"Cash given {self.tendered.format()} · Your change {change.format()}"
            return (
                f"Cash given {self.tendered.format()} · "
                f"{(self.total - self.tendered).format()} still to pay"
            )
        return ""

    def _card_text(self) -> str:
        amount = f" {self.card_amount.format()}" if self.card_amount is not None else ""
        if self.card_status == CARD_WAITING:
            due = f":{amount}" if amount else ""
            return f"Please tap or insert your card{due}"
        if self.card_status == CARD_APPROVED:
            return f"Card approved{amount}. Thank you!"
        if self.card_status == CARD_DECLINED:
            return "Card declined.\nPlease try another card or pay another way."
        return ""

    def heading(self) -> str:
        if self.phase == THANKS:
            return "Thank you! Enjoy the show."
        if self.phase == PAYING:
            return "Your tickets: please check them"
        return "Your tickets"

    # -- what the cashier did -------------------------------------------------------

    def show_cart(
        self,
        event: str,
        lines: Sequence[CartLine],
        total: Money | None,
        discount: Money | None = None,
    ) -> None:
        """The cart as it is now. An empty cart after a sale keeps the thanks screen (the
        feed turns it back to welcome); an empty one otherwise is the welcome screen."""
        if not lines:
            if self.phase == THANKS:
                return
            self.welcome()
            return
        if self.phase in (WELCOME, THANKS):
            self._reset_payment()
            self.phase = CART
        self.lines = [
            DisplayLine(
                event=event,
                place=line.place if line.quantity == 1 else f"{line.place} x {line.quantity}",
                ticket=line.ticket,
                price=line.amount.format(),
            )
            for line in lines
        ]
        self.seats = [line.seat_id for line in lines if line.seat_id is not None]
        self.total = total
        self.discount = discount if discount is not None and discount.is_positive() else None
        self._changed()

    def paying_cash(self) -> None:
        if not self.lines:
            return
        self.phase = PAYING
        self.card_status = ""
        self.card_amount = None
        self._changed()

    def cash_given(self, amount: Money | None) -> None:
        """The cash typed in by the cashier (None: nothing, or not an amount)."""
        if self.phase not in (PAYING, CART) or self.card_status:
            return
        self.tendered = amount
        self._changed()

    def card(self, state: str, amount: Money | None = None) -> None:
        """The card payment's state (`card_payments`' names); others (failed, canceled,
        canceling...) take the card line away."""
        if not self.lines and self.phase != THANKS:
            return
        if state in (CARD_WAITING, CARD_APPROVED, CARD_DECLINED):
            self.phase = THANKS if self.phase == THANKS else PAYING
            self.card_status = state
            if amount is not None:
                self.card_amount = amount
        else:
            self.card_status = ""
            self.card_amount = None
        self._changed()

    def payment_cancelled(self) -> None:
        """Back to the cart (Esc): no payment under way."""
        if self.phase != PAYING:
            return
        self.phase = CART
        self._reset_payment()
        self._changed()

    def sale_done(self) -> None:
        """The sale is recorded: thank the customer (what was given, the change)."""
        if not self.lines:
            return
        self.phase = THANKS
        self._changed()

    def welcome(self) -> None:
        self.phase = WELCOME
        self.lines = []
        self.seats = []
        self.total = None
        self.discount = None
        self._reset_payment()
        self._changed()

    def _reset_payment(self) -> None:
        self.tendered = None
        self.card_status = ""
        self.card_amount = None
