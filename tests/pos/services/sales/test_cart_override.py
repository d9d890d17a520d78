"""A supervisor's price override in the counter's cart (issue 12 item 11): kept only
while the row's listed prices are the ones it was approved against; the sale payload
carries each ticket's approval under the line id it was signed for."""

from __future__ import annotations

import uuid
from decimal import Decimal

from PySide6.QtCore import Qt

from enturf_core.money import Money
from enturf_core.pricing.terms import Voucher
from enturf_core.wire.feed import Ticket
from enturf_pos.services.sales import price_override
from enturf_pos.services.sales.cart_service import Cart, LineOverride, RowOverride
from enturf_pos.services.sales.price_override import PriceChange
from enturf_pos.services.sales.sale_service import _lines

EUR = "EUR"
FLOOR = Ticket(7, "Floor", Decimal("20.00"), EUR, Decimal("10"), area=3)


def eur(text: str) -> Money:
    return Money(text, EUR)


def cart_of_three() -> Cart:
    cart = Cart(event_id=1, tickets=[FLOOR], area_names={3: "Floor"})
    cart.set_area_quantity(3, 7, 3)
    return cart


def test_planning_a_change_per_ticket_and_what_to_fix():
    cart = cart_of_three()
    key = cart.rows()[0].key
    planned = price_override.new_prices(cart, PriceChange(key, "percent", "25%", "Group"))
    assert planned == [(eur("20.00"), eur("15.00"))] * 3
    for value, reason, says in (
        ("15", "  ", "Give a reason"),
        ("abc", "x", "Type a number"),
        ("20.00", "x", "listed price"),
        ("25", "x", "more than the price"),
    ):
        mode = "amount" if value == "25" else "price"
        assert says in price_override.new_prices(cart, PriceChange(key, mode, value, reason))


def test_an_override_stands_until_the_row_changes_and_travels_with_its_lines():
    cart = cart_of_three()
    key = cart.rows()[0].key
    ids = [uuid.uuid4() for _ in range(3)]
    proof = {"statement": {}, "key_id": "k", "signature": "s"}
    override = RowOverride(
        "Group of three",
        "admin",
        tuple(LineOverride(i, eur("20.00"), eur("15.00"), proof) for i in ids),
    )
    cart.set_override(key, override)
    assert cart.totals().total == eur("45.00") and cart.rows()[0].override == override
    lines = _lines(cart, cart.breakdown(), _key(), 1, _now())
    assert [line.id for line in lines] == ids
    assert {line.to_wire()["price"] for line in lines} == {"15.00"}
    assert lines[0].override is not None
    assert lines[0].override.to_wire() == {
        "reason": "Group of three",
        "listed_price": "20.00",
        "approval": proof,
    }
    # a voucher changes the listed prices: the approval no longer applies
    cart.set_voucher(Voucher.percentage("TEN", 10))
    assert cart.override(key) is None and cart.totals().total == eur("54.00")
    cart.set_voucher(None)
    assert cart.totals().total == eur("60.00")  # not back: approve again


def _key():
    from enturf_core.ticket_codes import SigningKey

    return SigningKey.generate()


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_an_admin_at_the_counter_finds_their_username_filled_in_and_enter_approves(qtbot):
    from PySide6.QtWidgets import QWidget

    from enturf_pos.ui.cashier.supervisor_dialog import SupervisorDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    dialog = SupervisorDialog(
        parent,
        title="Administrator approval",
        text="Sell at €15.00",
        action="Approve",
        username="admin",
    )
    dialog.open()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.username.text() == "admin"
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.password)
    approved = []
    dialog.approved.connect(lambda user, password: approved.append((user, password)))
    qtbot.keyClicks(dialog.password, "secret")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)  # Enter in the password field
    assert approved == [("admin", "secret")] and dialog.result() == 1
