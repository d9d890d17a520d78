"""CustomerDisplayState without any window: the phases of a sale as the customer sees them."""

from __future__ import annotations

from enturf_core.money import Money
from enturf_pos.ui.customer_display.display_state import (
    CART,
    PAYING,
    THANKS,
    WELCOME,
    CartLine,
    CustomerDisplayState,
)


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


def two_seats(state: CustomerDisplayState) -> None:
    state.show_cart(
        "Hamlet",
        [
            CartLine("Stalls · Row A · Seat 4", "Adult", 1, eur("20.00"), seat_id=4),
            CartLine("Stalls · Row A · Seat 5", "Child", 1, eur("15.50"), seat_id=5),
        ],
        eur("35.50"),
    )


def test_welcome_then_cart_lines_and_total():
    state = CustomerDisplayState(venue="Grand Hall")
    seen: list[str] = []
    state.subscribe(lambda: seen.append(state.phase))
    assert state.phase == WELCOME and state.payment_text() == ""
    two_seats(state)
    assert state.phase == CART and seen == [CART]
    assert [(line.event, line.place, line.ticket, line.price) for line in state.lines] == [
        ("Hamlet", "Stalls · Row A · Seat 4", "Adult", "€20.00"),
        ("Hamlet", "Stalls · Row A · Seat 5", "Child", "€15.50"),
    ]
    assert state.total_text() == "€35.50" and state.seats == [4, 5]
    state.show_cart("Hamlet", [CartLine("Standing", "Standing", 4, eur("60.00"))], eur("60.00"))
    assert state.lines[0].place == "Standing x 4" and state.seats == []


def test_cash_given_change_and_thanks_then_welcome():
    state = CustomerDisplayState()
    two_seats(state)
    state.paying_cash()
    assert state.phase == PAYING and state.payment_text() == "To pay €35.50"
    state.cash_given(eur("20.00"))
    assert state.payment_text() == "Cash given €20.00 · €15.50 still to pay"
    assert state.change is None
    state.cash_given(eur("50.00"))
    assert state.change == eur("14.50")
    assert state.payment_text() == "Cash given €50.00 · Your change €14.50"
    state.sale_done()
    state.show_cart("Hamlet", [], None)  # the cashier's cart empties: the thanks stays
    assert state.phase == THANKS and "Your change €14.50" in state.payment_text()
    assert state.heading().startswith("Thank you")
    state.welcome()
    assert state.phase == WELCOME and state.lines == [] and state.tendered is None


def test_card_waiting_declined_approved():
    state = CustomerDisplayState()
    two_seats(state)
    state.card("waiting")
    assert state.payment_text() == "Please tap or insert your card"
    state.card("waiting", eur("35.50"))
    assert state.payment_text() == "Please tap or insert your card: €35.50"
    state.card("declined")
    assert state.payment_text().startswith("Card declined")
    state.card("approved", eur("35.50"))
    assert state.payment_text() == "Card approved €35.50. Thank you!"
    state.card("canceled")  # the card line goes; the tender ends as the sale says
    assert state.card_status == "" and state.payment_text() == "To pay €35.50"
    state.payment_cancelled()
    assert state.phase == CART and state.payment_text() == ""


def test_split_tender_shows_the_cash_and_the_card():
    state = CustomerDisplayState()
    two_seats(state)
    state.paying_cash()
    state.cash_given(eur("15.00"))
    state.card("waiting", eur("20.50"))
    assert state.payment_text() == "Cash given €15.00\nPlease tap or insert your card: €20.50"
    assert state.change is None  # the rest is on the card: no change


def test_going_back_from_paying_and_a_new_sale_after_thanks():
    state = CustomerDisplayState()
    two_seats(state)
    state.paying_cash()
    state.cash_given(eur("5.00"))
    state.payment_cancelled()
    assert state.phase == CART and state.tendered is None
    state.sale_done()
    two_seats(state)  # the next customer's picks: a fresh cart, nothing paid
    assert state.phase == CART and state.tendered is None and state.payment_text() == ""
    state.show_cart("Hamlet", [], None)  # new sale (Ctrl+N): welcome
    assert state.phase == WELCOME
