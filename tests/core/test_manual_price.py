"""A supervisor's price override through enturf_core.pricing: new price, percent off,
amount off, and a breakdown whose overridden lines stay consistent (issue 12 item 11)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from enturf_core.money import Money
from enturf_core.pricing.breakdown import compute_breakdown
from enturf_core.pricing.overrides import manual_price, override_prices
from enturf_core.pricing.tax import BreakdownError
from enturf_core.pricing.terms import LineInput, Voucher


def eur(text: str) -> Money:
    return Money(text, "EUR")


def test_a_new_price_a_percent_off_or_an_amount_off():
    assert manual_price(eur("25.00"), price=eur("18.50")) == eur("18.50")
    assert manual_price(eur("25.00"), price=eur("30.00")) == eur("30.00")  # above: allowed
    assert manual_price(eur("19.99"), percent=Decimal("50")) == eur("9.99")  # 9.995 -> 10.00 off
    assert manual_price(eur("25.00"), percent=Decimal("100")) == eur("0.00")
    assert manual_price(eur("25.00"), amount_off=eur("5.00")) == eur("20.00")


@pytest.mark.parametrize(
    "kwargs, says",
    [
        ({}, "exactly one"),
        ({"percent": Decimal("0")}, "percent off"),
        ({"percent": Decimal("120")}, "percent off"),
        ({"amount_off": Money("30.00", "EUR")}, "more than the price"),
        ({"amount_off": Money("0.00", "EUR")}, "more than zero"),
        ({"price": Money("-1.00", "EUR")}, "negative"),
        ({"price": Money("1.005", "EUR")}, "decimals"),
    ],
)
def test_impossible_changes_are_refused(kwargs, says):
    with pytest.raises(BreakdownError, match=says):
        manual_price(eur("25.00"), **kwargs)


def test_overridden_lines_keep_the_breakdown_consistent_with_a_voucher():
    lines = [
        LineInput(eur("25.00"), Decimal("10"), quantity=2, key="a", ticket_id="1"),
        LineInput(eur("19.99"), Decimal("7"), key="b", ticket_id="2"),
    ]
    voucher = Voucher.percentage("TEN", 10)
    listed = compute_breakdown(lines, currency="EUR", voucher=voucher)
    changed = override_prices(listed, {1: eur("12.00"), 3: eur("30.00")})
    one, two, three = changed.ticket_lines()
    assert (one.price, one.discount, one.gross) == (eur("25.00"), eur("13.00"), eur("12.00"))
    assert two == listed.ticket_lines()[1]  # untouched
    assert (three.price, three.discount, three.gross) == (eur("30.00"), eur("0.00"), eur("30.00"))
    assert changed.total == eur("12.00") + two.gross + eur("30.00")
    assert sum((t.tax for t in changed.taxes), eur("0")) == sum(
        (line.tax for line in changed.lines), eur("0")
    )
