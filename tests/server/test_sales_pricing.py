"""The booking's prices without voucher or fee (computed once per ticket price and rate)
are what `enturf_core.pricing.breakdown.compute_breakdown` gives for the whole booking."""

from __future__ import annotations

from decimal import Decimal

import pytest

from enturf_core.pricing.tax import BreakdownError


def _ticket(pk: int, price: str, rate: str, currency: str = "EUR"):
    from enturf_server.catalog.models import Ticket

    return Ticket(pk=pk, price=Decimal(price), tax_rate=Decimal(rate), currency=currency)


CASES = [
    [("39.90", "7"), ("39.90", "7")],
    [("0.05", "19"), ("0.15", "7"), ("0.25", "19.00")],  # tax rounded half up per line
    [("12.5", "19"), ("100", "0"), ("99.99", "5.5")],
    [("0.00", "19")],
    [("1234567.89", "21"), ("0.01", "100")],
]


@pytest.mark.parametrize("lines", CASES)
def test_prices_without_extras_equal_the_full_breakdown(lines):
    from enturf_server.sales.pricing import price_tickets

    tickets = [_ticket(n, price, rate) for n, (price, rate) in enumerate(lines, 1)]
    priced = price_tickets(tickets)
    full = priced.breakdown  # built on demand, by compute_breakdown over all lines
    assert priced.currency == full.currency == "EUR"
    assert priced.prices == [(line.gross.amount, line.tax.amount) for line in full.ticket_lines()]
    assert priced.total == full.total.amount
    assert str(priced.total) == str(full.total.amount)  # same exponent too
    for price, tax in priced.prices:
        assert price.as_tuple().exponent == tax.as_tuple().exponent == -2


def test_bad_prices_are_refused_as_before():
    from enturf_server.sales.pricing import price_tickets

    with pytest.raises(BreakdownError):
        price_tickets([_ticket(1, "10.005", "7")])
    with pytest.raises(BreakdownError):
        price_tickets([_ticket(1, "-1.00", "7")])
