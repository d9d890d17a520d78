"""A supervisor's price override: a ticket's new price, and a breakdown re-priced
with it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from enturf_core.money import Money, round_fraction, to_decimal
from enturf_core.pricing.breakdown import LineKind, PriceBreakdown, priced_line
from enturf_core.pricing.tax import BreakdownError, checked_price

__all__ = ["manual_price", "override_prices"]


def manual_price(
    listed: Money,
    *,
    price: Money | None = None,
    percent: Decimal | None = None,
    amount_off: Money | None = None,
) -> Money:
    """A ticket's price after a supervisor's override, from its ``listed`` price (what it
    costs now, voucher included): exactly one of a new ``price``, a ``percent`` off
    (rounded once, ROUND_HALF_UP) or an ``amount_off``. Never below zero."""
    if sum(x is not None for x in (price, percent, amount_off)) != 1:
        raise BreakdownError("give exactly one of a new price, a percent off or an amount off")
    currency = listed.currency
    if price is not None:
        new = checked_price(price, "new price", currency)
    elif percent is not None:
        pct = to_decimal(percent, "percent off")
        if not 0 < pct <= 100:
            raise BreakdownError(f"the percent off must be above 0 and at most 100, got {pct}")
        off = round_fraction(Fraction(listed.amount) * Fraction(pct) / 100, listed.exponent)
        new = listed - Money(off, currency)
    else:
        assert amount_off is not None
        off_money = checked_price(amount_off, "amount off", currency)
        if not off_money.is_positive():
            raise BreakdownError("the amount off must be more than zero")
        if off_money > listed:
            raise BreakdownError(f"the amount off is more than the price of {listed.format()}")
        new = listed - off_money
    if new.is_negative():
        raise BreakdownError("a price cannot be below zero")
    return new


def override_prices(breakdown: PriceBreakdown, prices: Mapping[int, Money]) -> PriceBreakdown:
    """``breakdown`` with the ticket lines numbered in ``prices`` (``line_no``) paid at
    those tax-inclusive prices: below the list price the difference is the line's
    discount (a voucher's share included); above it, the line's price with no discount.
    Tax is recomputed per line, so the totals stay the sums of the lines."""
    lines = []
    for line in breakdown.lines:
        new = prices.get(line.line_no)
        if new is None or line.kind is not LineKind.TICKET:
            lines.append(line)
            continue
        new = checked_price(new, f"new price of line {line.line_no}", breakdown.currency)
        if new.is_negative():
            raise BreakdownError(f"line {line.line_no}: a price cannot be below zero")
        list_price = max(line.price, new)
        lines.append(
            priced_line(
                line.line_no,
                LineKind.TICKET,
                list_price,
                list_price - new,
                line.tax_rate,
                key=line.key,
                ticket_id=line.ticket_id,
            )
        )
    return PriceBreakdown.from_lines(breakdown.currency, lines, breakdown.voucher_code)
